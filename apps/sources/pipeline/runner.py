"""Running one stage for one source: claim, work, record the outcome, send the next task.

Every transition is a conditional UPDATE on the state column, so two workers (or a worker
and the sweeper) can never both move a source forward: the loser's UPDATE matches no row.
"""

import logging
import random
import time
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.logs import working_on
from apps.core.metrics import STAGE_SECONDS
from apps.sources.models import Source
from apps.sources.pipeline import stages
from apps.sources.pipeline.failures import QUICK_RETRY_CODES, Blocked, Failure, NoContent
from apps.sources.pipeline.queue import RUNNING, WAITING, enqueue

log = logging.getLogger(__name__)
Status, Stage = Source.Status, Source.Stage


def claim(source_id: int, stage: str, worker: str = "") -> Source | None:
    """Move a waiting source into the stage's running state; None if it is not ours to run.

    `worker` is the Celery node running it (empty in `ingest --sync`): when that node stops
    reporting, the sweeper rescues the source without waiting for the stage's time limit.
    """
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + timedelta(seconds=2))
    claimed = Source.objects.filter(due, pk=source_id, stage=stage, status__in=WAITING).update(
        status=RUNNING[stage], status_changed_at=now, claimed_by=worker[:200]
    )
    return Source.objects.filter(pk=source_id).first() if claimed else None


def run_stage(source_id: int, stage: str, worker: str = "") -> str | None:
    """Run `stage` for the source if it is waiting for it; returns the resulting status.

    Every log line written meanwhile carries the source id (apps/core/logs.py), and the
    outcome is logged with the stage's duration.
    """
    with working_on(source_id):
        started = time.monotonic()
        status = _run_claimed(source_id, stage, worker)
        if status is not None:
            seconds = round(time.monotonic() - started, 3)
            STAGE_SECONDS.labels(stage=stage, outcome=status).observe(seconds)
            code = Source.objects.filter(pk=source_id).values_list("failure_code", flat=True)
            failure = (code.first() or "") if status not in (Status.QUEUED, Status.DONE) else ""
            log.info(
                "%s: %s in %.2f s%s",
                stage,
                status,
                seconds,
                f" ({failure})" if failure else "",
                extra={
                    "stage": stage,
                    "outcome": status,
                    "seconds": seconds,
                    "failure_code": failure,
                },
            )
        return status


def _run_claimed(source_id: int, stage: str, worker: str) -> str | None:
    source = claim(source_id, stage, worker)
    if source is None:
        return None
    try:
        outcome = _work(source, stage)
    except stages.Postpone as wait:
        return _release(source, stage, countdown=wait.seconds)
    except (Failure, SoftTimeLimitExceeded) as error:
        if isinstance(error, SoftTimeLimitExceeded):
            error = Failure("timeout", f"the {stage} stage ran out of time", transient=True)
        if error.transient:
            return _retry_or_fail(source, stage, error)
        return _finish(source, stage, Status.FAILED, error.code, error.message)
    except Blocked as wall:
        return _finish(source, stage, Status.BLOCKED, wall.code, wall.message)
    except NoContent as empty:
        return _finish(source, stage, Status.NO_CONTENT, "no_content", str(empty))
    except Exception:
        # A bug must not leave the source running forever: record it, keep the traceback.
        log.exception("stage %s crashed for source %s", stage, source_id)
        message = "an internal error stopped this stage; an admin can see the log"
        return _finish(source, stage, Status.FAILED, "internal_error", message)
    return _advance(source, stage, outcome)


def _work(source: Source, stage: str) -> stages.StageOutcome:
    if stage == Stage.FETCH:
        return stages.fetch_stage(source, host_delay=settings.SPYGLASS_PIPELINE["host_delay"])
    if stage == Stage.EXTRACT:
        return stages.extract_stage(source)
    return stages.classify_stage(source)


def _transition(source: Source, running_stage: str, /, **values) -> bool:
    """Write `values` only if this worker still holds the source.

    The claim's time is the token: a source the sweeper rescued from this worker (a task
    that overran its limits) was claimed again at another time, so a late write matches
    no row instead of overwriting the new worker's outcome.
    """
    values.setdefault("status_changed_at", timezone.now())
    # The next holder is whichever worker receives the next message (pipeline/holders.py),
    # and this attempt has used its host slot (pipeline/politeness.py).
    values.setdefault("claimed_by", "")
    values.setdefault("fetch_slot", None)
    held = Source.objects.filter(
        pk=source.pk, status=RUNNING[running_stage], status_changed_at=source.status_changed_at
    )
    return bool(held.update(**values))


def _advance(source: Source, stage: str, outcome: stages.StageOutcome) -> str | None:
    next_stage = outcome.next_stage
    status = Status.QUEUED if next_stage else Status.DONE
    with transaction.atomic():
        moved = _transition(
            source,
            stage,
            **outcome.values,
            status=status,
            stage=next_stage or stage,
            attempts=0,
            next_attempt_at=None,
            failure_code="",
            failure_message="",
        )
        if not moved:
            return None
        if outcome.after is not None:
            outcome.after()
        if next_stage:
            enqueue(source.pk, next_stage)
    return status


def _release(source: Source, stage: str, *, countdown: float) -> str | None:
    """Put the source back, due in `countdown` seconds (its slot on a busy host)."""
    due = timezone.now() + timedelta(seconds=countdown)
    with transaction.atomic():
        if not _transition(source, stage, status=Status.QUEUED, next_attempt_at=due):
            return None
        enqueue(source.pk, stage, countdown=countdown)
    return Status.QUEUED


def retry_policy(error: Failure) -> tuple[int, float]:
    """How many attempts in all, and the first backoff, for this kind of transient failure.

    A refused connection (nothing listens on that port) or a name DNS says does not exist:
    waiting minutes rarely changes that, so they get a few quick attempts (seconds apart)
    and then fail with their reason.
    """
    config = settings.SPYGLASS_PIPELINE
    if error.code in QUICK_RETRY_CODES:
        return config["quick_attempts"], config["quick_backoff"]
    return config["max_attempts"], config["backoff_base"]


def _retry_or_fail(source: Source, stage: str, error: Failure) -> str | None:
    max_attempts, base = retry_policy(error)
    attempts = source.attempts + 1
    if attempts >= max_attempts:
        message = f"{error.message} (gave up after {attempts} attempts)"
        return _finish(source, stage, Status.FAILED, error.code, message, attempts=attempts)
    delay = backoff_seconds(attempts, error.retry_after, base=base)
    with transaction.atomic():
        moved = _transition(
            source,
            stage,
            status=Status.RETRYING,
            attempts=attempts,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            failure_code=error.code,
            failure_message=error.message,
        )
        if not moved:
            return None
        enqueue(source.pk, stage, countdown=delay)
    return Status.RETRYING


def backoff_seconds(
    attempts: int, retry_after: float | None = None, *, base: float | None = None
) -> float:
    """Exponential backoff with jitter, or what the server asked for (within the cap)."""
    config = settings.SPYGLASS_PIPELINE
    if retry_after is not None:
        return min(config["backoff_max"], max(0.0, retry_after))
    first = config["backoff_base"] if base is None else base
    delay = min(config["backoff_max"], first * 2 ** (attempts - 1))
    return delay * random.uniform(0.5, 1.0)


def _finish(source, stage, status, code: str, message: str, **extra) -> str | None:
    moved = _transition(
        source,
        stage,
        status=status,
        failure_code=code[:40],
        failure_message=message,
        next_attempt_at=None,
        **extra,
    )
    return status if moved else None
