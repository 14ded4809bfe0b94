"""Who follows which theme, and each user's digest preferences and send state."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q


class Follow(models.Model):
    """A user follows a theme. A follow of a theme merged later means the theme it was
    merged into: selectors read through `merged_into`, so no merge has to move these rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey("knowledge.Theme", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "theme"], name="digests_follow_unique")
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} follows theme {self.theme_id}"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    DAILY = "daily", "Daily"
    NEVER = "never", "Never"


# How long after a digest the next one is due.
INTERVALS = {Frequency.WEEKLY: timedelta(days=7), Frequency.DAILY: timedelta(days=1)}
# Since-last-digest (0) or a number of days: what the digest page shows by default.
PERIODS = [
    (0, "Since my last digest"),
    (1, "The last day"),
    (7, "The last 7 days"),
    (30, "The last 30 days"),
    (90, "The last 90 days"),
]


class DigestPreference(models.Model):
    """A user's digest settings, and when the last e-mail went out.

    `claimed_at` is set by a conditional UPDATE before a send, so two beats (or a beat and
    the command) never both send the same digest; a claim older than CLAIM_TIMEOUT is
    taken as abandoned by a worker that died.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="digest_preference",
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    min_relevancy = models.PositiveSmallIntegerField(default=4)
    period_days = models.PositiveSmallIntegerField(choices=PERIODS, default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_relevancy__gte=1, min_relevancy__lte=5),
                name="digests_min_relevancy_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"digest of user {self.user_id} ({self.frequency})"
