"""Core tasks. `heartbeat` is the first task: it proves the worker path end to end."""

import socket

from celery import shared_task
from celery.signals import worker_ready
from django.db import connections
from django.db.models import F
from django.utils import timezone

from apps.core.models import WorkerHeartbeat


def heartbeat_record(hostname: str = "", *, ran_task: bool = True) -> None:
    """Record that a worker on this host is alive just now.

    `beats` counts heartbeat tasks run (what `worker_check` waits for); a worker that only
    reports itself ready moves `seen_at` and leaves the count alone.
    """
    host = hostname or socket.gethostname()
    now = timezone.now()
    added = 1 if ran_task else 0
    updated = WorkerHeartbeat.objects.filter(hostname=host).update(
        seen_at=now, beats=F("beats") + added
    )
    if not updated:
        WorkerHeartbeat.objects.get_or_create(
            hostname=host, defaults={"seen_at": now, "beats": added}
        )


@shared_task(name="core.heartbeat", ignore_result=True, soft_time_limit=20, time_limit=30)
def heartbeat(*, hostname: str = "") -> None:
    """Record that a worker on this host ran a task just now."""
    heartbeat_record(hostname)


@worker_ready.connect
def heartbeat_when_ready(**_kwargs) -> None:
    """Beat once as soon as the worker consumes, so the pipeline page shows it at once
    rather than after the first beat tick (a minute after start).

    This runs in the worker's main process, whose pool has already forked: the connection
    is closed again so that no child forked later inherits it.
    """
    try:
        heartbeat_record(ran_task=False)
    finally:
        connections.close_all()
