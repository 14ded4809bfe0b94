from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Editors' review queue of the classifiers' unreviewed findings (docs/curation.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.review"
