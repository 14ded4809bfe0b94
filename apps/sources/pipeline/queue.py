"""Sending stage tasks: always after the surrounding transaction commits."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from apps.sources.models import Source

Status, Stage = Source.Status, Source.Stage

RUNNING = {
    Stage.FETCH: Status.FETCHING,
    Stage.EXTRACT: Status.EXTRACTING,
    Stage.CLASSIFY: Status.CLASSIFYING,
}
WAITING = (Status.QUEUED, Status.RETRYING)
FINAL = (Status.DONE, Status.FAILED, Status.BLOCKED, Status.NO_CONTENT)


# Set while `manage.py ingest --sync` drives the stages itself: no task is sent then.
_inline: ContextVar[bool] = ContextVar("inline_pipeline", default=False)


@contextmanager
def inline_pipeline() -> Iterator[None]:
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def running_inline() -> bool:
    """True while `ingest --sync` drives the stages: work that would be a task runs in place."""
    return _inline.get()


# Longer waits are left to the sweeper, which sends the task when `next_attempt_at` comes
# (it runs every 30 seconds). A countdown message is held unacknowledged by a worker for its
# whole wait: past Redis's visibility timeout it would be delivered again, and a worker
# holding hundreds of them is a worker lost with all of them.
LONGEST_COUNTDOWN = 50.0


def enqueue(source_id: int, stage: str, *, countdown: float = 0) -> None:
    """Send the stage's task once the current transaction commits, never before.

    A task sent before commit could run before its row is visible and find nothing to do.
    A wait over LONGEST_COUNTDOWN sends nothing: the caller has set the source's
    `next_attempt_at`, and the sweeper sends the task when it is due.
    """
    if _inline.get() or countdown > LONGEST_COUNTDOWN:
        return
    from apps.sources import tasks  # tasks import the runner, which imports this module

    task = {Stage.FETCH: tasks.fetch, Stage.EXTRACT: tasks.extract, Stage.CLASSIFY: tasks.classify}
    transaction.on_commit(
        lambda: task[stage].apply_async(kwargs={"source_id": source_id}, countdown=countdown)
    )
