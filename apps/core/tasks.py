"""Core tasks. `heartbeat` is the first task: it proves the worker path end to end."""

import socket
import threading

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.db import connections
from django.db.models import F
from django.utils import timezone

from apps.core.models import WorkerHeartbeat

# How often each worker reports itself, whatever queues it consumes: the beat's heartbeat
# task reaches only the default queue, and /api/v1/health/workers reads these per queue.
SELF_REPORT_SECONDS = 20.0


def heartbeat_record(hostname: str = "", *, ran_task: bool = True, queues: str = "") -> None:
    """Record that a worker on this host is alive just now.

    `beats` counts heartbeat tasks run (what `worker_check` waits for); a worker that only
    reports itself (ready, or its periodic self-report) moves `seen_at` and leaves the
    count alone. `queues` is given by the worker's own reports.
    """
    host = hostname or socket.gethostname()
    now = timezone.now()
    added = 1 if ran_task else 0
    values = {"seen_at": now, **({"queues": queues} if queues else {})}
    updated = WorkerHeartbeat.objects.filter(hostname=host).update(
        **values, beats=F("beats") + added
    )
    if not updated:
        WorkerHeartbeat.objects.get_or_create(hostname=host, defaults={**values, "beats": added})


@shared_task(
    bind=True, name="core.heartbeat", ignore_result=True, soft_time_limit=20, time_limit=30
)
def heartbeat(self, *, hostname: str = "") -> None:
    """Record that this worker (its Celery node name) ran a task just now."""
    heartbeat_record(hostname or self.request.hostname or "")


_stop_reporting = threading.Event()


def _consumed_queues(consumer) -> str:
    try:
        return ",".join(sorted(consumer.app.amqp.queues.consume_from))
    except AttributeError:
        return ""


def _self_report(queues: str, node: str = "") -> None:
    try:
        heartbeat_record(node, ran_task=False, queues=queues)
    finally:
        connections.close_all()


def _report_until_shutdown(queues: str, node: str) -> None:
    while not _stop_reporting.wait(SELF_REPORT_SECONDS):
        try:
            _self_report(queues, node)
        except Exception:  # a database hiccup must not end the reports for good
            continue


@worker_ready.connect
def heartbeat_when_ready(sender=None, **_kwargs) -> None:
    """Beat once as soon as the worker consumes, so the pipeline page shows it at once
    rather than after the first beat tick (a minute after start); then report every
    SELF_REPORT_SECONDS from a thread of the main process, with the queues consumed.

    This runs in the worker's main process, whose pool has already forked: each report
    closes its connection again so that no child forked later inherits it.
    """
    queues, node = _consumed_queues(sender), getattr(sender, "hostname", "") or ""
    _self_report(queues, node)
    _stop_reporting.clear()
    threading.Thread(
        target=_report_until_shutdown, args=(queues, node), name="spyglass-heartbeat", daemon=True
    ).start()


@worker_shutdown.connect
def stop_reporting(**_kwargs) -> None:
    _stop_reporting.set()
