"""A subscribed feed, its polling state, and each entry it has shown."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.knowledge.models import Theme
from apps.sources.models import Source


class Feed(models.Model):
    url = models.URLField("feed URL", max_length=2048)
    # One subscription per feed: a second analyst adding it is told who already did.
    canonical_url = models.URLField(max_length=2048, unique=True)
    title = models.CharField(max_length=300, blank=True)
    site_url = models.URLField(max_length=2048, blank=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="feeds"
    )
    interval_minutes = models.PositiveIntegerField(default=60)
    paused = models.BooleanField(default=False)
    subscribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Polling state. `next_poll_at` is the claim column: a poll claims the feed by moving it
    # forward in a conditional UPDATE (polling.feed_claim), so two beats or workers never
    # poll one feed at once. `polling_until` marks a claim; a worker that died leaves it to
    # expire, and the feed is due again.
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    polling_until = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, blank=True)  # "new", "not modified", "error"
    last_error_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    last_error = models.TextField(blank=True)
    # A feed found on the HTML page given instead of a feed: offered to the subscriber.
    suggested_url = models.URLField(max_length=2048, blank=True)
    last_warning = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)  # in a row; drives the backoff
    # Entries in the feed at its last full answer; entries recorded (each one submitted once);
    # of those, how many were new to the base (the others were already sources).
    entries_in_feed = models.PositiveIntegerField(default=0)
    entries_seen = models.PositiveIntegerField(default=0)
    sources_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["title", "canonical_url"]
        indexes = [models.Index(fields=["paused", "next_poll_at"])]

    def __str__(self) -> str:
        return self.title or self.canonical_url

    def get_absolute_url(self) -> str:
        return reverse("feeds:detail", args=[self.pk])

    @property
    def failing(self) -> bool:
        return self.failures > 0


class FeedEntry(models.Model):
    """One entry a feed showed, by its canonical link: seen once, submitted once."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    canonical_url = models.URLField(max_length=2048)
    url = models.URLField(max_length=2048)
    guid = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_entries"
    )
    created_source = models.BooleanField(default=False)

    class Meta:
        ordering = ["-seen_at", "-id"]
        constraints = [
            # The guarantee behind "an entry seen twice never makes a second submission",
            # also when two polls of one feed race (a hand-run poll beside the beat's).
            models.UniqueConstraint(fields=["feed", "canonical_url"], name="feeds_entry_unique")
        ]
        indexes = [models.Index(fields=["feed", "-seen_at"])]

    def __str__(self) -> str:
        return self.title or self.url
