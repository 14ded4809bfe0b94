from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """RSS and Atom subscriptions polled on their own interval into submissions (docs/feeds.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.feeds"
