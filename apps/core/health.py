"""Health checks for probes and monitoring: is the database there, the broker, a worker
on every queue? Each check says what failed in words an operator can act on."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from kombu import Connection

from apps.core.models import WorkerHeartbeat

# Workers report every 20 s (apps/core/tasks.py); three missed reports mean it is gone.
WORKER_STALE_AFTER = timedelta(seconds=60)
BROKER_TIMEOUT = 3.0


def database_problem() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"the database does not answer ({error.__class__.__name__}: {error})"
    return ""


def broker_problem() -> str:
    """Connect to the broker the settings name (the folder broker needs its folders)."""
    broker = Connection(
        settings.CELERY_BROKER_URL,
        transport=getattr(settings, "CELERY_BROKER_TRANSPORT", None),
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=BROKER_TIMEOUT,
    )
    try:
        with broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception as error:  # any transport's error: this is a probe, it reports
        return f"the broker ({broker_name()}) does not answer ({error.__class__.__name__})"
    return ""


def broker_name() -> str:
    url = settings.CELERY_BROKER_URL
    return url.split("://", 1)[0] if "://" in url else url


@dataclass
class QueueHealth:
    queue: str
    workers: int  # reporting within WORKER_STALE_AFTER
    last_seen: datetime | None

    def age_seconds(self, now: datetime) -> float | None:
        return None if self.last_seen is None else (now - self.last_seen).total_seconds()


def pipeline_queues() -> list[str]:
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    return ["celery", *sorted(routed)]


def queue_health(now: datetime | None = None) -> list[QueueHealth]:
    """Per queue the pipeline uses: live workers and the newest report."""
    now = now or timezone.now()
    beats = list(WorkerHeartbeat.objects.exclude(queues="").order_by("-seen_at")[:500])
    health = []
    for queue in pipeline_queues():
        serving = [beat for beat in beats if queue in beat.queues.split(",")]
        alive = sum(beat.seen_at >= now - WORKER_STALE_AFTER for beat in serving)
        health.append(QueueHealth(queue, alive, serving[0].seen_at if serving else None))
    return health
