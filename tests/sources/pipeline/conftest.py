"""Fixtures for the pipeline tests: the test site, quick settings, and real workers."""

import pytest

from tests.support.broker import purge_broker
from tests.support.http import serving
from tests.support.worker import (
    MAX_ATTEMPTS,
    MAX_BYTES,
    PIPELINE_QUEUES,
    QUICK_ATTEMPTS,
    Worker,
    allowed_addresses,
    pipeline_env,
)


@pytest.fixture(scope="module")
def site():
    with serving() as running:
        yield running


@pytest.fixture
def allow_private(settings):
    """In-process fetches may reach the test site on 127.0.0.1, with test-sized limits."""
    settings.SPYGLASS_FETCH = {
        **settings.SPYGLASS_FETCH,
        "allow_private": True,
        "allowed_addresses": (),
        "connect_timeout": 2.0,
        "read_timeout": 1.0,
        "max_bytes": MAX_BYTES,
    }


@pytest.fixture
def quick_retries(settings):
    settings.SPYGLASS_PIPELINE = {
        **settings.SPYGLASS_PIPELINE,
        "max_attempts": MAX_ATTEMPTS,
        "backoff_base": 0.2,
        "backoff_max": 5.0,
        "quick_attempts": QUICK_ATTEMPTS,
        "quick_backoff": 0.2,
        "host_delay": 0.0,
    }


@pytest.fixture
def empty_broker():
    """No message left over from another test, and none left behind for the next."""
    purge_broker()
    yield
    purge_broker()


@pytest.fixture
def start_worker(transactional_db, empty_broker, site, tmp_path, settings):
    """Start pipeline workers (fetch, extract, classify queues); all stopped at the end.

    transactional_db: a worker sees only committed rows, and on_commit must fire. The test
    site is let through the guard here too, so that its links pass the submit check.
    """
    settings.SPYGLASS_FETCH = {
        **settings.SPYGLASS_FETCH,
        "allow_private": False,
        "allowed_addresses": allowed_addresses(site.port),
    }
    workers: list[Worker] = []

    def start(*, pool: str = "solo", name: str = "", **env: str) -> Worker:
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        worker = Worker(
            log,
            queues=PIPELINE_QUEUES,
            env={**pipeline_env(site.port), **env},
            pool=pool,
            name=name,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        # Not a warm shutdown: that waits out the broker poll (seconds) and nothing here
        # needs it; the broker is purged and the database flushed after the test anyway.
        worker.kill()
    for worker in workers:
        print(f"--- {worker.log}\n{worker.output()}")  # shown by pytest when the test failed
