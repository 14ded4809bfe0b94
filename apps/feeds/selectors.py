"""Reads for the feed pages and commands."""

from django.db.models import QuerySet

from apps.feeds.models import Feed, FeedEntry

RECENT_ENTRIES = 50


def feed_list() -> QuerySet[Feed]:
    return Feed.objects.select_related("theme", "subscribed_by").order_by("title", "canonical_url")


def feed_get(feed_id: int) -> Feed:
    return feed_list().get(pk=feed_id)


def recent_entries(feed: Feed, limit: int = RECENT_ENTRIES) -> list[FeedEntry]:
    """The newest entries first, with the source each one was submitted as."""
    return list(feed.entries.select_related("source").order_by("-seen_at", "-id")[:limit])
