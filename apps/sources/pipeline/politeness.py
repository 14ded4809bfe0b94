"""One fetch per host per SPYGLASS_HOST_DELAY seconds, at the cost of one task per fetch.

Before, a fetch that found its host busy was put back with a countdown of one delay, and
tried again, and again: every source waiting for a busy host became a countdown message
held by a worker, and 200 links ran about 17,000 fetch tasks. Now a fetch reserves the
host's next free slot (`reserve`); when the slot is later than now, the source is put back
once, due at its slot, and runs then without asking again (`holds_slot`).
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.sources.models import HostSlot, Source

# A reservation older than this many delays (its worker died, the sweeper sent it again
# much later) no longer counts: the fetch reserves a new slot.
STALE_AFTER_DELAYS = 3
# Waits shorter than this are not worth a round trip through the broker.
NOT_WORTH_A_TASK = 0.5


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()[:255]


def reserve(host: str, delay: float, now: datetime | None = None) -> datetime:
    """Reserve the host's next free slot; returns when this fetch may start."""
    now = now or timezone.now()
    step = timedelta(seconds=delay)
    for _ in range(2):  # the second round only after losing the race to create the row
        try:
            with transaction.atomic():
                slot = HostSlot.objects.select_for_update().filter(host=host).first()
                if slot is None:
                    HostSlot.objects.create(host=host, next_free=now + step)
                    return now
                start = max(now, slot.next_free)
                slot.next_free = start + step
                slot.save(update_fields=["next_free"])
                return start
        except IntegrityError:
            continue
    return now


def holds_slot(source: Source, delay: float, now: datetime | None = None) -> bool:
    """True when this source was put back to wait for a slot it reserved, and it is time.

    A source waiting for its slot is queued with `next_attempt_at` set and no failure; a
    retry after a failure has its failure code, and a new or re-queued source has no time.
    """
    due = source.next_attempt_at
    if due is None or source.failure_code:
        return False
    now = now or timezone.now()
    return due >= now - timedelta(seconds=STALE_AFTER_DELAYS * delay)


def seconds_to_wait(source: Source, delay: float) -> float:
    """0 when the fetch may run now, else how long until the slot it has just reserved."""
    if delay <= 0 or holds_slot(source, delay):
        return 0.0
    now = timezone.now()
    wait = (reserve(host_of(source.url), delay, now) - now).total_seconds()
    return wait if wait >= NOT_WORTH_A_TASK else 0.0
