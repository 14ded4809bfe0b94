"""One fetch per host per SPYGLASS_HOST_DELAY seconds, at the cost of one task per fetch.

Before, a fetch that found its host busy was put back with a countdown of one delay, and
tried again, and again: every source waiting for a busy host became a countdown message
held by a worker, and 200 links ran about 17,000 fetch tasks. Now a submitted link
reserves its host's next free slot at once (`reserve_first_fetch`) and its one fetch task
is sent due at that slot; the fetch then runs without asking again (`holds_slot`). A fetch
without a slot (a retry, a re-ingest, a slot gone stale) reserves one when it runs and,
when the slot is later than now, is put back once, due at it.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.sources.models import HostSlot, Source

# A reservation older than this many delays, and older than LATE_SLOT_SECONDS, no longer
# counts (its worker died, the sweeper sent it again much later): the fetch reserves a new
# slot. The seconds allow for a countdown task that starts late behind other work (workers
# busy extracting and classifying): re-reserving would put it at the end of the host's
# line and cost a second task. The price: after a stall, the fetches whose slots fell in
# those seconds may run closer together than the delay (at most the fetch concurrency at
# once); after a longer stall they take new slots, one delay apart.
STALE_AFTER_DELAYS = 3
LATE_SLOT_SECONDS = 30.0
# Waits shorter than this are not worth a round trip through the broker.
NOT_WORTH_A_TASK = 0.5


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()[:255]


def reserve(host: str, delay: float, now: datetime | None = None) -> datetime:
    """Reserve the host's next free slot; returns when this fetch may start."""
    return reserve_many(host, 1, delay, now or timezone.now())[0]


def reserve_many(host: str, count: int, delay: float, now: datetime) -> list[datetime]:
    """Reserve the host's next `count` slots, one delay apart, in one short transaction."""
    step = timedelta(seconds=delay)
    for _ in range(2):  # the second round only after losing the race to create the row
        try:
            with transaction.atomic():
                slot = HostSlot.objects.select_for_update().filter(host=host).first()
                start = now if slot is None else max(now, slot.next_free)
                next_free = start + step * count
                if slot is None:
                    HostSlot.objects.create(host=host, next_free=next_free)
                else:
                    slot.next_free = next_free
                    slot.save(update_fields=["next_free"])
                return [start + step * n for n in range(count)]
        except IntegrityError:
            continue
    return [now + step * n for n in range(count)]


def stale_before(delay: float, now: datetime) -> datetime:
    return now - timedelta(seconds=max(STALE_AFTER_DELAYS * delay, LATE_SLOT_SECONDS))


def holds_slot(source: Source, delay: float, now: datetime | None = None) -> bool:
    """True when this source reserved a slot that is still good, and it is time.

    A submitted link holds the slot it reserved (`fetch_slot`). A source put back to wait
    for its slot is queued with `next_attempt_at` set and no failure; a retry after a
    failure has its failure code, and a re-queued source has no time.
    """
    now = now or timezone.now()
    if source.fetch_slot is not None and source.fetch_slot >= stale_before(delay, now):
        return True
    due = source.next_attempt_at
    if due is None or source.failure_code:
        return False
    return due >= stale_before(delay, now)


def reserve_first_fetches(sources: list[Source], delay: float) -> dict[int, float]:
    """Reserve new sources' slots, host by host; returns each one's task countdown.

    A wait too short for a round trip through the broker is sent at once; a longer one
    records the slot as the source's due time too, which the sweeper goes by.
    """
    if delay <= 0 or not sources:
        return {source.pk: 0.0 for source in sources}
    now = timezone.now()
    by_host: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        by_host[host_of(source.url)].append(source)
    countdowns = {}
    for host, group in by_host.items():
        for source, start in zip(group, reserve_many(host, len(group), delay, now), strict=True):
            wait = (start - now).total_seconds()
            worth_a_countdown = wait >= NOT_WORTH_A_TASK
            source.fetch_slot = start
            source.next_attempt_at = start if worth_a_countdown else None
            countdowns[source.pk] = wait if worth_a_countdown else 0.0
    Source.objects.bulk_update(sources, ["fetch_slot", "next_attempt_at"], batch_size=500)
    return countdowns


def seconds_to_wait(source: Source, delay: float) -> float:
    """0 when the fetch may run now, else how long until the slot it has just reserved."""
    if delay <= 0 or holds_slot(source, delay):
        return 0.0
    now = timezone.now()
    wait = (reserve(host_of(source.url), delay, now) - now).total_seconds()
    return wait if wait >= NOT_WORTH_A_TASK else 0.0
