"""Rescuing sources that would otherwise wait forever, and sending work when it is due.

A worker killed mid-task leaves its source in a running state; a broker that lost its
messages leaves sources queued with no task. Beat runs `sweep` every 30 seconds: it
re-queues running sources held by a worker that stopped reporting (apps/core/tasks.py,
every 20 s) and sends again the messages such a worker had received (pipeline/holders.py;
a worker that restarts under its node name does that itself at once), re-queues running
sources older than their stage's hard limit plus a margin, sends the task again for
sources queued too long, and sends the task of every source whose time has come
(`next_attempt_at`: a retry's backoff, a slot on a busy host). Long waits are not held in
the broker as countdown messages (queue.LONGEST_COUNTDOWN): a worker would hold each one
unacknowledged for its whole wait, past Redis's visibility timeout. Sending twice is
harmless: the claim lets one win.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.health import WORKER_STALE_AFTER
from apps.core.models import WorkerHeartbeat
from apps.sources.models import Source
from apps.sources.pipeline.holders import resend
from apps.sources.pipeline.queue import RUNNING, WAITING, enqueue

Status = Source.Status
# A source due this long ago, and not sent again meanwhile, gets its task from the sweeper.
DUE_GRACE = timedelta(seconds=60)


def sweep(now=None) -> dict[str, int]:
    now = now or timezone.now()
    config = settings.SPYGLASS_PIPELINE
    counts = {"rescued": 0, "resent": 0}
    silent = now - WORKER_STALE_AFTER
    live_workers = WorkerHeartbeat.objects.filter(seen_at__gte=silent).values("hostname")
    with transaction.atomic():
        for stage, running in RUNNING.items():
            hard_limit = settings.SPYGLASS_STAGE_LIMITS[stage][1]
            cutoff = now - timedelta(seconds=hard_limit + config["stuck_margin"])
            # Over the stage's time limit, whoever holds it; or held by a worker that has
            # not reported for WORKER_STALE_AFTER (killed, or its machine gone), at once.
            overdue = Q(status_changed_at__lt=cutoff)
            orphaned = (
                Q(status_changed_at__lt=silent)
                & ~Q(claimed_by="")
                & ~Q(claimed_by__in=live_workers)
            )
            stuck = list(
                Source.objects.filter(overdue | orphaned, status=running).values_list(
                    "pk", flat=True
                )[:1000]
            )
            Source.objects.filter(pk__in=stuck, status=running).update(
                status=Status.QUEUED, status_changed_at=now, claimed_by=""
            )
            for source_id in stuck:
                enqueue(source_id, stage)
            counts["rescued"] += len(stuck)
        # Messages a silent worker had received and not run (a countdown, a prefetched
        # task): sent again, at their due time (pipeline/holders.py).
        held = (
            Source.objects.filter(status__in=WAITING)
            .exclude(claimed_by="")
            .exclude(claimed_by__in=live_workers)
        )
        orphans = list(held.values_list("pk", "stage", "status", "next_attempt_at")[:1000])
        sent = {row[0] for row in orphans}
        Source.objects.filter(pk__in=sent).update(claimed_by="")
        resend(orphans, now)
        grace = now - timedelta(seconds=config["queued_grace"])
        lost = Source.objects.filter(
            status=Status.QUEUED, next_attempt_at__isnull=True, status_changed_at__lt=grace
        )
        due = Source.objects.filter(
            status__in=(Status.QUEUED, Status.RETRYING),
            next_attempt_at__lte=now,
            status_changed_at__lt=now - DUE_GRACE,
        )
        waiting = list(lost.values_list("pk", "stage")[:1000]) + list(
            due.values_list("pk", "stage")[:1000]
        )
        waiting = [(pk, stage) for pk, stage in waiting if pk not in sent]
        # Touch them so the next sweep waits a full grace period before sending again.
        Source.objects.filter(pk__in=[pk for pk, _ in waiting]).update(status_changed_at=now)
        for source_id, stage in waiting:
            enqueue(source_id, stage)
        counts["resent"] = len(waiting) + len(orphans)
    return counts
