from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search over sources and findings: index, page and API (docs/search.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.search"
