"""Core tasks. `heartbeat` is the first task: it proves the worker path end to end."""

import socket

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from apps.core.models import WorkerHeartbeat


@shared_task(name="core.heartbeat", ignore_result=True, soft_time_limit=20, time_limit=30)
def heartbeat(*, hostname: str = "") -> None:
    """Record that a worker on this host ran a task just now."""
    host = hostname or socket.gethostname()
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(hostname=host).update(
        seen_at=now, beats=F("beats") + 1
    )
    if not updated:
        WorkerHeartbeat.objects.get_or_create(hostname=host, defaults={"seen_at": now, "beats": 1})
