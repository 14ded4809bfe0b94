"""The Celery application: configured from Django settings (the CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("spyglass")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Stage messages are noted with the node that received them, and a worker starting or
# reconnecting sends again what it held (apps/sources/pipeline/holders.py).
from apps.sources.pipeline.worker_steps import RescueHeld  # noqa: E402

app.steps["consumer"].add(RescueHeld)

app.conf.beat_schedule = {
    "worker-heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    # Every 30 s: with workers reporting every 20 s, a dead worker's sources are rescued
    # within about 90 s (60 s without a report, then the next sweep).
    "pipeline-sweep": {"task": "sources.sweep", "schedule": 30.0},
    # Hourly: each user's digest goes when their frequency has passed since the last one
    # (apps/digests/sending.py); the claim makes an overlapping round harmless.
    "digests-send": {"task": "digests.send_due", "schedule": 3600.0},
    # Every minute: each feed has its own interval (apps/feeds); this only finds due ones.
    "feeds-poll-due": {"task": "feeds.poll_due", "schedule": 60.0},
}
