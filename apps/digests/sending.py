"""Sending digests: find who is due, claim each one atomically, send, record the time.

The claim is a conditional UPDATE on `claimed_at` (healthchecks' pattern): of two beats, or
a beat and `manage.py send_digests`, exactly one gets the row, so nobody gets a digest
twice. The digest then covers (last_sent_at, claim time]; after the mail backend accepted
it, `last_sent_at` becomes the claim time, so the next one starts where it ended. Nothing
new: nothing is sent and `last_sent_at` stays, so the next digest still starts there.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from apps.accounts.access import can_read
from apps.digests.mail import digest_message
from apps.digests.models import INTERVALS, DigestPreference, Follow, Frequency
from apps.digests.selectors import digest_for

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send: it may be taken again.
CLAIM_TIMEOUT = timedelta(minutes=30)
# Beat looks every hour: a digest due within the next hour goes now, so a weekly digest
# leaves at the same hour each week instead of drifting by up to an hour every time.
DUE_SLACK = timedelta(hours=1)


class Outcome(StrEnum):
    SENT = "sent"
    EMPTY = "nothing new"
    WOULD_SEND = "would send"  # --dry-run
    SKIPPED = "skipped"


@dataclass
class Result:
    username: str
    outcome: Outcome
    items: int = 0
    reason: str = ""


def _due(now: datetime, prefix: str = "") -> Q:
    due = Q(**{f"{prefix}last_sent_at__isnull": True})
    for frequency, interval in INTERVALS.items():
        last = now - interval + DUE_SLACK
        due |= Q(**{f"{prefix}frequency": frequency, f"{prefix}last_sent_at__lte": last})
    return due & ~Q(**{f"{prefix}frequency": Frequency.NEVER})


def _unclaimed(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)


def due_users(now: datetime | None = None):
    """Users due a digest: they follow a theme, are active, have an address, and their last
    digest is a frequency ago (or they have none; no saved preferences means weekly)."""
    now = now or timezone.now()
    followers = Follow.objects.values("user_id")
    defaults = Q(digest_preference__isnull=True)
    return (
        get_user_model()
        .objects.filter(defaults | _due(now, "digest_preference__"), pk__in=followers)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _claim(user, now: datetime, *, due_only: bool) -> bool:
    rows = DigestPreference.objects.filter(_unclaimed(now), user=user).exclude(
        frequency=Frequency.NEVER
    )
    if due_only:
        rows = rows.filter(_due(now))
    return rows.update(claimed_at=now) == 1


def _release(user, now: datetime, **changes) -> None:
    DigestPreference.objects.filter(user=user, claimed_at=now).update(claimed_at=None, **changes)


def _refusal(user) -> str:
    if not user.email:
        return "no e-mail address"
    if not user.is_active:
        return "the account is inactive"
    if not can_read(user):
        return "no reader role"
    return ""


def digest_send(*, user, due_only: bool = True, dry_run: bool = False) -> Result:
    """Send `user` their digest if there is anything new; claimed so it goes out once."""
    now = timezone.now()
    preference = DigestPreference.objects.filter(user=user).first()
    if reason := _refusal(user):
        return Result(user.username, Outcome.SKIPPED, reason=reason)
    if preference is not None and preference.frequency == Frequency.NEVER:
        return Result(user.username, Outcome.SKIPPED, reason="digests are turned off")
    if dry_run:
        digest = digest_for(user, preference=preference, now=now)
        outcome = Outcome.EMPTY if digest.is_empty else Outcome.WOULD_SEND
        return Result(user.username, outcome, digest.total)
    DigestPreference.objects.get_or_create(user=user)
    if not _claim(user, now, due_only=due_only):
        return Result(user.username, Outcome.SKIPPED, reason="not due, or being sent already")
    try:
        digest = digest_for(user, preference=DigestPreference.objects.get(user=user), now=now)
        if digest.is_empty:
            _release(user, now)
            return Result(user.username, Outcome.EMPTY)
        digest_message(user, digest).send()
    except Exception:
        _release(user, now)  # the next beat tries again
        raise
    _release(user, now, last_sent_at=now)
    logger.info("digest sent to user %s: %s items", user.pk, digest.total)
    return Result(user.username, Outcome.SENT, digest.total)


def send_due_digests(*, dry_run: bool = False) -> list[Result]:
    """One round: every due user's digest. A failure for one user does not stop the rest."""
    results = []
    for user in due_users():
        try:
            results.append(digest_send(user=user, dry_run=dry_run))
        except Exception as error:  # a mail server refusing one address
            logger.exception("digest for user %s failed", user.pk)
            results.append(Result(user.username, Outcome.SKIPPED, reason=str(error)))
    return results
