"""A real Celery worker, in its own process, takes tasks through the configured broker.

The worker runs `celery -A config worker` against the test database (a file on SQLite, see
tests/conftest.py) and the run's broker: the filesystem folder under the test VAR_DIR, or
Redis when REDIS_URL is set.
"""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import heartbeat
from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


def database_url(settings_dict: dict) -> str:
    """The URL of the database this test runs on, for a process started by the test."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{settings_dict['HOST']}{port}/{settings_dict['NAME']}"


class Worker:
    def __init__(self, log: Path) -> None:
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(connection.settings_dict),
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
        command += ["--queues", "celery", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", "--loglevel", "INFO"]
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


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
    running.stop()
    # Shown by pytest only when the test failed.
    print(running.output())


def wait_until(condition, worker: Worker) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited with {worker.process.returncode}:\n{worker.output()}")
        time.sleep(0.2)
    pytest.fail(f"no result within {WAIT_SECONDS}s; worker log:\n{worker.output()}")


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
