"""Real Celery workers for tests: a `celery -A config worker` subprocess on the test database.

The worker sees the test database (a file on SQLite, see tests/conftest.py) and the run's
broker: the filesystem folder under the test VAR_DIR, or Redis when REDIS_URL is set.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60
PIPELINE_QUEUES = ("fetch", "extract", "classify")
# Limits for pipeline workers in tests: small, so that failures come quickly.
MAX_BYTES = 256 * 1024  # "too large: over 0.25 MB"
MAX_ATTEMPTS = 3
QUICK_ATTEMPTS = 2  # not MAX_ATTEMPTS, so a test tells the two policies apart


def database_url(settings_dict: dict) -> str:
    """The URL of the database this test runs on, for a process started by the test."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{settings_dict['HOST']}{port}/{settings_dict['NAME']}"


def allowed_addresses(*ports: int) -> tuple[str, ...]:
    return tuple(f"127.0.0.1:{port}" for port in ports)


def pipeline_env(*ports: int) -> dict[str, str]:
    """Settings for pipeline workers: small limits, quick retries, and only the test site's
    address and port(s) let through the SSRF guard (not every private address)."""
    return {
        "SPYGLASS_FETCH_ALLOW_PRIVATE": "false",
        "SPYGLASS_FETCH_ALLOWED_ADDRESSES": ",".join(allowed_addresses(*ports)),
        "SPYGLASS_FETCH_CONNECT_TIMEOUT": "2",
        "SPYGLASS_FETCH_READ_TIMEOUT": "1",
        "SPYGLASS_FETCH_TOTAL_TIMEOUT": "10",
        "SPYGLASS_FETCH_MAX_BYTES": str(MAX_BYTES),
        "SPYGLASS_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "SPYGLASS_RETRY_BACKOFF": "0.2",
        "SPYGLASS_RETRY_BACKOFF_MAX": "5",
        "SPYGLASS_QUICK_ATTEMPTS": str(QUICK_ATTEMPTS),
        "SPYGLASS_QUICK_BACKOFF": "0.2",
        "SPYGLASS_HOST_DELAY": "0",
    }


class Worker:
    """One worker process (its own session, so a kill reaches every process it forked)."""

    def __init__(
        self,
        log: Path,
        *,
        queues: Iterable[str] = ("celery",),
        env: dict[str, str] | None = None,
        pool: str = "solo",
        name: str = "",
    ) -> None:
        self.log = log
        self.name = name or f"pytest-{uuid.uuid4().hex[:8]}@%h"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(connection.settings_dict),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", pool]
        command += ["--queues", ",".join(queues), "--hostname", self.name]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--loglevel", "INFO"]
        if pool == "prefork":
            command += ["--concurrency", "1"]
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self) -> "Worker":
        """Wait until the worker consumes (its queues are declared on the broker by then)."""
        wait_until(lambda: " ready." in self.output(), self)
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown, no acknowledgement, no clean-up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """A warm shutdown (it waits out the broker poll: seconds); SIGKILL after 15 s."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(
    condition: Callable[[], object], *workers: Worker, timeout: float = WAIT_SECONDS
) -> None:
    """Poll `condition` until it holds; fail with the workers' logs if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            if not worker.alive():
                pytest.fail(
                    f"the worker exited with {worker.process.returncode}:\n{worker.output()}"
                )
        time.sleep(0.1)
    logs = "\n".join(f"--- worker log {worker.log}:\n{worker.output()}" for worker in workers)
    pytest.fail(f"no result within {timeout:g}s\n{logs}")
