"""A real Celery worker, in its own process, takes tasks through the configured broker.

The worker runs `celery -A config worker` against the test database (a file on SQLite, see
tests/conftest.py) and the run's broker: the filesystem folder under the test VAR_DIR, or
Redis when REDIS_URL is set.
"""

import io
import socket
import time

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import heartbeat
from apps.sources import selectors
from config.celery import app
from tests.support.worker import WAIT_SECONDS, Worker, wait_until


def purge_default_queue() -> None:
    app.control.purge()


@pytest.fixture
def empty_queue():
    """No message left over from another test, and none left behind for the next."""
    purge_default_queue()
    yield
    purge_default_queue()


@pytest.fixture
def worker(transactional_db, empty_queue, tmp_path):
    # transactional_db: the worker sees only committed rows, so tests must not run inside
    # the usual rolled-back transaction.
    running = Worker(tmp_path / "worker.log")
    yield running
    running.kill()  # a warm shutdown waits out the broker poll, and nothing needs one here
    # Shown by pytest only when the test failed.
    print(running.output())


@pytest.mark.worker
def test_a_worker_runs_the_heartbeat_task(worker):
    heartbeat.delay(hostname="pytest-worker")

    wait_until(lambda: WorkerHeartbeat.objects.filter(hostname="pytest-worker").exists(), worker)
    assert WorkerHeartbeat.objects.get(hostname="pytest-worker").beats == 1


@pytest.mark.worker
def test_worker_check_succeeds_when_a_worker_runs(worker):
    out = io.StringIO()

    call_command("worker_check", "--timeout", str(WAIT_SECONDS), stdout=out)

    assert "A worker ran the heartbeat task" in out.getvalue()


@pytest.mark.django_db
def test_worker_check_fails_quickly_without_a_worker(empty_queue):
    started = time.monotonic()

    with pytest.raises(CommandError, match="No worker ran the heartbeat task within 1 second"):
        call_command("worker_check", "--timeout", "1")

    assert time.monotonic() - started < 10


@pytest.mark.worker
def test_a_worker_reports_itself_as_soon_as_it_is_ready(worker):
    # No beat runs in this worker, and no heartbeat task is sent: the row can only come
    # from the worker announcing itself when it is ready.
    worker.wait_ready()

    beat = WorkerHeartbeat.objects.get()
    assert beat.hostname.endswith(f"@{socket.gethostname()}")  # its Celery node name
    assert beat.beats == 0  # a task run is still what worker_check waits for
    assert selectors.worker_status().ok
    # It says which queues it consumes, so /api/v1/health/workers can tell them apart.
    assert "celery" in beat.queues.split(",")
