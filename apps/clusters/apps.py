from django.apps import AppConfig


class ClustersConfig(AppConfig):
    """Signals from several sources grouped when they describe one change (docs/clusters.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.clusters"
