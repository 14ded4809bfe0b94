"""`manage.py worker_check`: send a heartbeat task and wait until a worker has run it."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import heartbeat


class Command(BaseCommand):
    help = "Send a task to the Celery worker and wait until it has run (exit 1 on timeout)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait")

    def handle(self, *args, timeout: float, **options):
        before = _total_beats()
        heartbeat.delay()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _total_beats() > before:
                self.stdout.write(self.style.SUCCESS("A worker ran the heartbeat task."))
                return
            time.sleep(0.5)
        raise CommandError(
            f"No worker ran the heartbeat task within {timeout:g} seconds. "
            "Is a Celery worker running against the same broker and database?"
        )


def _total_beats() -> int:
    return WorkerHeartbeat.objects.aggregate(total=Sum("beats"))["total"] or 0
