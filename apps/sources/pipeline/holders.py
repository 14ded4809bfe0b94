"""Which worker holds a source's task, and sending it again when that worker cannot run it.

A worker holds a stage message from the moment it receives it: a countdown message (a slot
on a busy host, a retry's backoff) waits in its memory until due, a running stage in its
pool. Redis gives an unacknowledged message back only after the visibility timeout (300 s),
and Celery drops the countdown messages it holds when it loses the broker connection; so a
worker killed, or cut from Redis for a second, would leave those sources waiting minutes.

Each receipt therefore records the worker's node name in `Source.claimed_by`, and
- a worker starting under a node name sends again every source still held under that name
  (its previous run died: `rescue_held(node, running=True)`);
- a worker reconnecting to the broker sends again the waiting sources it held
  (`rescue_held(node, running=False)`: its running stages carry on);
- the sweeper sends again what a node silent for WORKER_STALE_AFTER held (sweeper.py).

Only the holder's own sources are sent again, so the other workers' messages are never
doubled. Sending twice stays harmless all the same: the claim lets one task win.
"""

import logging

from django.db import transaction
from django.utils import timezone

from apps.sources.models import Source
from apps.sources.pipeline.queue import RUNNING, WAITING, enqueue

log = logging.getLogger(__name__)
Status = Source.Status
STAGE_TASKS = {f"sources.{stage}": stage for stage in RUNNING}
# Enough for any worker's holdings; what is left waits for the next sweep.
MOST_AT_ONCE = 5000


def note_received(source_id: int, stage: str, node: str) -> None:
    """Record that `node` now holds the waiting source's message for `stage`."""
    Source.objects.filter(pk=source_id, stage=stage, status__in=WAITING).update(
        claimed_by=node[:200]
    )


def resend(sources: list[tuple[int, str, str, object]], now) -> None:
    """Send each (pk, stage, status, next_attempt_at) again: running ones at once, waiting
    ones at their due time. Call inside the transaction that released them."""
    for pk, stage, status, due in sources:
        wait = 0.0
        if status in WAITING and due is not None:
            wait = max(0.0, (due - now).total_seconds())
        enqueue(pk, stage, countdown=wait)


def rescue_held(node: str, *, running: bool) -> int:
    """Send again the sources `node` holds; with `running`, its running stages too.

    Returns how many were sent. Each source is released with a conditional UPDATE on its
    holder and state, so a source another worker took meanwhile is left alone.
    """
    if not node:
        return 0
    now = timezone.now()
    statuses = WAITING + (tuple(RUNNING.values()) if running else ())
    held = Source.objects.filter(claimed_by=node[:200], status__in=statuses)
    rows = list(held.values_list("pk", "stage", "status", "next_attempt_at")[:MOST_AT_ONCE])
    with transaction.atomic():
        stopped = [pk for pk, _, status, _ in rows if status not in WAITING]
        Source.objects.filter(pk__in=stopped, claimed_by=node[:200], status__in=statuses).update(
            status=Status.QUEUED, status_changed_at=now, claimed_by=""
        )
        Source.objects.filter(pk__in=[row[0] for row in rows], claimed_by=node[:200]).update(
            claimed_by=""
        )
        resend(rows, now)
    if rows:
        log.info("%s: sent again %d sources it held", node, len(rows))
    return len(rows)
