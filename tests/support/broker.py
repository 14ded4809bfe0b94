"""The test run's broker: emptying it, and losing its messages as a restart would.

The filesystem broker keeps one file per message in its queue folder; Redis keeps queues
as lists (messages a worker took but has not acknowledged wait in the "unacked" hash).
"""

from pathlib import Path

import redis
from django.conf import settings


def _queue_folder() -> Path | None:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    return None


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def purge_broker() -> None:
    """Drop every message, waiting or taken-but-unacknowledged; keep the queue bindings.

    Bindings stay so a process that declared its queues earlier can still route to them.
    """
    folder = _queue_folder()
    if folder is not None:
        for path in folder.glob("*.msg*"):  # with half-written ".part" files
            path.unlink(missing_ok=True)
        return
    client = _redis()
    keys = [key for key in client.scan_iter() if not key.startswith(b"_kombu.binding.")]
    if keys:
        client.delete(*keys)


def lose_broker_messages() -> None:
    """What a broker restart does to messages: the filesystem queue folder emptied, or
    Redis (which keeps nothing on disk on this machine) starting from an empty database."""
    folder = _queue_folder()
    if folder is not None:
        purge_broker()
        return
    _redis().flushdb()


def waiting_messages(queue: str) -> int:
    """How many messages wait in `queue` (not counting ones a worker holds)."""
    folder = _queue_folder()
    if folder is not None:
        return len(list(folder.glob(f"*.{queue}.msg")))
    client = _redis()
    # kombu keeps one list per priority step: "fetch", "fetch\x06\x163", ...
    return sum(client.llen(key) for key in client.scan_iter(match=f"{queue}*"))
