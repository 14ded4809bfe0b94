"""Reads: the themes a user follows (through merges), their preferences, and the digest."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.digests.models import INTERVALS, DigestPreference
from apps.digests.sections import SECTIONS, Section, Window
from apps.knowledge.models import Theme

# Themes a follow can point at. Merged themes are read through `merged_into` (theme_merge
# keeps it pointing at the final survivor, one hop), rejected ones carry nothing.
FOLLOWABLE = (Theme.Status.APPROVED, Theme.Status.PROPOSED)
# The window when there is no last digest to start from.
FIRST_WINDOW = timedelta(days=7)


def _follows_of(user) -> Q:
    """Themes `user` follows, directly or through a theme merged into them."""
    return Q(follows__user=user) | Q(merged_themes__follows__user=user)


def followed_themes(user) -> QuerySet[Theme]:
    """The live themes `user` follows, alphabetical, each once."""
    if not user.is_authenticated:
        return Theme.objects.none()
    themes = Theme.objects.filter(status__in=FOLLOWABLE).filter(_follows_of(user))
    return Theme.objects.filter(pk__in=themes.values("pk")).order_by("name", "id")


def followed_ids(user) -> set[int]:
    """Ids of the themes `user` follows, for marking buttons on a list (one query)."""
    return set(followed_themes(user).values_list("pk", flat=True))


def is_following(user, theme: Theme) -> bool:
    return theme.pk in followed_ids(user)


def preference_of(user) -> DigestPreference:
    """The user's preferences; the defaults (unsaved) when they never changed them."""
    found = DigestPreference.objects.filter(user=user).first()
    return found or DigestPreference(user=user)


@dataclass
class Digest:
    themes: list[Theme]
    since: datetime
    until: datetime
    min_relevancy: int
    since_label: str
    sections: list[Section] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(section.total for section in self.sections)

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)


def _since_last(preference: DigestPreference, now: datetime) -> tuple[datetime, str]:
    if preference.last_sent_at is not None:
        return preference.last_sent_at, "since your last digest"
    interval = INTERVALS.get(preference.frequency, FIRST_WINDOW)
    return now - interval, f"in the last {interval.days} day{'s' if interval.days != 1 else ''}"


def digest_window(
    preference: DigestPreference, *, days: int | None = None, now: datetime | None = None
) -> tuple[datetime, str]:
    """Where a digest starts: `days` ago, or (0 or None) the last digest e-mailed, or for a
    first one the length of the user's frequency (7 days for weekly and never)."""
    now = now or timezone.now()
    if days:
        return now - timedelta(days=days), f"in the last {days} day{'s' if days != 1 else ''}"
    return _since_last(preference, now)


def digest_for(
    user,
    *,
    preference: DigestPreference | None = None,
    days: int | None = None,
    now: datetime | None = None,
) -> Digest:
    """The digest of `user`: each section's new items on the themes they follow.

    The page and the e-mail both call this; the e-mail passes `now` as its claim time, so
    the next digest starts exactly where this one ended.
    """
    preference = preference or preference_of(user)
    now = now or timezone.now()
    since, label = digest_window(preference, days=days, now=now)
    themes = list(followed_themes(user))
    digest = Digest(themes, since, now, preference.min_relevancy, label)
    window = Window(user, themes, since, now, preference.min_relevancy)
    if themes:
        digest.sections = [provider(window) for provider in SECTIONS]
    return digest
