from django.apps import AppConfig


class TrendsConfig(AppConfig):
    """Signals and sources over time, and the themes whose share grows (docs/trends.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.trends"
