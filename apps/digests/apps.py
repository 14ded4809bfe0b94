from django.apps import AppConfig


class DigestsConfig(AppConfig):
    """Users follow themes; a digest of what is new on them, as a page and an e-mail."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.digests"
    label = "digests"
