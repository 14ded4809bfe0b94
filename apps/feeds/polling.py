"""Polling: claiming due feeds, fetching them, and turning new entries into submissions.

Each poll claims its feed first (`feed_claim`), so two beats or workers never poll one feed
at once; each entry is recorded once per feed by a unique constraint (docs/feeds.md).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.core.models import Origin
from apps.feeds.fetching import backoff, fetch_feed, host_slot
from apps.feeds.models import Feed, FeedEntry
from apps.feeds.parsing import Entry, FeedError, parse_feed
from apps.sources.admission import submittable_url
from apps.sources.canonical import InvalidURL
from apps.sources.models import SourceTheme
from apps.sources.services import source_submit

log = logging.getLogger(__name__)


def _config() -> dict:
    return settings.SPYGLASS_FEEDS


# --- Claiming -------------------------------------------------------------------------


def _lease() -> timedelta:
    return timedelta(seconds=_config()["lease_seconds"])


def feed_claim(feed_id: int, *, force: bool = False, now: datetime | None = None) -> bool:
    """Claim one feed for a poll in a conditional UPDATE; False if another poll has it.

    Due means not paused and `next_poll_at` passed; `force` (a poll asked for by hand) skips
    that, never an unexpired claim. The UPDATE re-checks its WHERE on the row it locks, so of
    two beats or workers claiming at once exactly one wins.
    """
    now = now or timezone.now()
    free = Q(polling_until__isnull=True) | Q(polling_until__lt=now)
    due = Q() if force else Q(paused=False, next_poll_at__lte=now)
    claimed = Feed.objects.filter(free, due, pk=feed_id).update(
        polling_until=now + _lease(), next_poll_at=now + _lease()
    )
    return claimed == 1


def due_feed_ids(*, now: datetime | None = None, limit: int = 100) -> list[int]:
    now = now or timezone.now()
    due = Feed.objects.filter(paused=False, next_poll_at__lte=now)
    free = due.filter(Q(polling_until__isnull=True) | Q(polling_until__lt=now))
    return list(free.order_by("next_poll_at").values_list("pk", flat=True)[:limit])


# --- Polling --------------------------------------------------------------------------


@dataclass
class PollOutcome:
    feed_id: int
    status: str  # "new", "not modified", "error", "postponed", "skipped"
    entries: int = 0
    new_entries: int = 0
    message: str = ""
    skipped: list[str] = field(default_factory=list)


def feed_poll(feed_id: int, *, force: bool = False) -> PollOutcome:
    """Claim the feed, fetch it conditionally, turn its new entries into submissions."""
    if not feed_claim(feed_id, force=force):
        return PollOutcome(feed_id, "skipped", message="not due, paused, or being polled")
    feed = Feed.objects.select_related("theme", "subscribed_by").filter(pk=feed_id).first()
    if feed is None:
        return PollOutcome(feed_id, "skipped", message="the feed was deleted")
    try:
        return _poll(feed)
    except SoftTimeLimitExceeded:
        return _record_failure(feed, FeedError("timeout", "the poll ran out of time"))
    except Exception:
        # A bug must not leave the feed claimed until the lease ends with no word of why.
        # Entries submitted before it stay (each in its own transaction): none is repeated.
        log.exception("poll of feed %s crashed", feed_id)
        message = "an internal error stopped this poll; an admin can see the log"
        return _record_failure(feed, FeedError("internal_error", message))


def _poll(feed: Feed) -> PollOutcome:
    later = host_slot(feed.url)
    if later is not None:
        Feed.objects.filter(pk=feed.pk).update(next_poll_at=later, polling_until=None)
        return PollOutcome(feed.pk, "postponed", message=f"the host is busy until {later:%H:%M:%S}")
    try:
        page = fetch_feed(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if page.status == 304:
            return _record_success(feed, PollOutcome(feed.pk, "not modified"))
        parsed = parse_feed(
            page.body,
            url=page.url,
            content_type=_content_type(page),
            max_entries=_config()["max_entries"],
        )
    except FeedError as error:
        return _record_failure(feed, error)
    if not feed.title and parsed.title:  # before the entries: their via label names it
        feed.title = parsed.title
        Feed.objects.filter(pk=feed.pk).update(title=feed.title)
    outcome = PollOutcome(feed.pk, "new", entries=len(parsed.entries))
    entries_submit(feed, parsed.entries, outcome)
    values = {"etag": page.etag[:500], "last_modified": page.last_modified[:100]}
    values["entries_in_feed"] = parsed.total_entries
    values["site_url"] = parsed.site_url[:2048] if parsed.site_url.startswith("http") else ""
    warnings = [parsed.warning] if parsed.warning else []
    if outcome.skipped:
        warnings.append(
            f"{len(outcome.skipped)} entries skipped: " + "; ".join(outcome.skipped[:3])
        )
    values["last_warning"] = " ".join(warnings)
    return _record_success(feed, outcome, **values)


def _content_type(page) -> str:
    return f"{page.content_type}; charset={page.charset}" if page.charset else page.content_type


def entries_submit(feed: Feed, entries: list[Entry], outcome: PollOutcome) -> None:
    """Each entry not seen before becomes a submission, once, in its own transaction."""
    wanted: dict[str, Entry] = {}
    for entry in entries:
        if not entry.link:
            outcome.skipped.append(f"“{entry.title or entry.guid or '?'}” has no link")
            continue
        try:
            wanted.setdefault(submittable_url(entry.link), entry)
        except InvalidURL as error:
            outcome.skipped.append(f"{entry.link[:80]}: {error}")
    seen = set(
        FeedEntry.objects.filter(feed=feed, canonical_url__in=list(wanted)).values_list(
            "canonical_url", flat=True
        )
    )
    for canonical, entry in wanted.items():
        if canonical not in seen and _entry_submit(feed, canonical, entry):
            outcome.new_entries += 1


def _entry_submit(feed: Feed, canonical: str, entry: Entry) -> bool:
    """False when a racing poll recorded the entry first (the unique constraint decides)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = FeedEntry.objects.create(
                    feed=feed,
                    canonical_url=canonical,
                    url=entry.link[:2048],
                    guid=entry.guid,
                    title=entry.title,
                    published_at=entry.published_at,
                )
        except IntegrityError:
            return False
        source, created = source_submit(
            entry.link,
            user=feed.subscribed_by,
            note=f"from the feed “{feed}”",
            via_url=feed.url,
            via_label=str(feed),
        )
        if created and feed.theme_id:
            SourceTheme.objects.get_or_create(
                source=source,
                theme_id=feed.theme_id,
                defaults={"origin": Origin.EDITOR, "added_by": feed.subscribed_by},
            )
        FeedEntry.objects.filter(pk=row.pk).update(source=source, created_source=created)
        Feed.objects.filter(pk=feed.pk).update(
            entries_seen=F("entries_seen") + 1, sources_created=F("sources_created") + int(created)
        )
    return True


def _record_success(feed: Feed, outcome: PollOutcome, **values) -> PollOutcome:
    now = timezone.now()
    Feed.objects.filter(pk=feed.pk).update(
        last_polled_at=now,
        last_success_at=now,
        last_status=outcome.status,
        failures=0,
        error_code="",
        last_error="",
        suggested_url="",
        polling_until=None,
        next_poll_at=now + timedelta(minutes=feed.interval_minutes),
        **values,
    )
    return outcome


def _record_failure(feed: Feed, error: FeedError) -> PollOutcome:
    now = timezone.now()
    failures = feed.failures + 1
    wait = backoff(feed.interval_minutes, failures)
    message = str(error)
    if failures > 1:
        message += f" ({failures} polls in a row failed; next try in {_duration(wait)})"
    Feed.objects.filter(pk=feed.pk).update(
        last_polled_at=now,
        last_error_at=now,
        last_status="error",
        failures=failures,
        error_code=error.code[:40],
        last_error=message,
        suggested_url=error.suggested_url[:2048],
        polling_until=None,
        next_poll_at=now + wait,
    )
    return PollOutcome(feed.pk, "error", message=message)


def _duration(wait: timedelta) -> str:
    minutes = int(wait.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def feeds_poll_due(*, limit: int = 100) -> list[int]:
    """Send a poll task for each due feed (the beat's round); the task claims it."""
    from apps.feeds import tasks

    ids = due_feed_ids(limit=limit)
    for feed_id in ids:
        tasks.poll.apply_async(kwargs={"feed_id": feed_id})
    return ids
