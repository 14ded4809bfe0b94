"""The Celery application: configured from Django settings (the CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("spyglass")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "worker-heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    # Every 30 s: with workers reporting every 20 s, a dead worker's sources are rescued
    # within about 90 s (60 s without a report, then the next sweep).
    "pipeline-sweep": {"task": "sources.sweep", "schedule": 30.0},
    # Every minute: each feed has its own interval (apps/feeds); this only finds due ones.
    "feeds-poll-due": {"task": "feeds.poll_due", "schedule": 60.0},
}
