"""Celery tasks of the ingest pipeline: thin adapters around the runner.

Names are stable ("sources.fetch" ...): renaming one would strand messages in flight.
"""

from celery import shared_task
from django.conf import settings

from apps.sources.models import Source
from apps.sources.pipeline.runner import run_stage
from apps.sources.pipeline.sweeper import sweep

LIMITS = settings.SPYGLASS_STAGE_LIMITS


def _stage_task(stage: str):
    soft, hard = LIMITS[stage]

    @shared_task(
        bind=True,
        name=f"sources.{stage}",
        soft_time_limit=soft,
        time_limit=hard,
        acks_late=True,
        reject_on_worker_lost=True,
    )
    def task(self, *, source_id: int) -> str | None:
        return run_stage(source_id, stage, worker=self.request.hostname or "")

    task.__doc__ = f"Run the {stage} stage for one source (no-op unless it waits for it)."
    return task


fetch = _stage_task(Source.Stage.FETCH)
extract = _stage_task(Source.Stage.EXTRACT)
classify = _stage_task(Source.Stage.CLASSIFY)


@shared_task(name="sources.sweep", soft_time_limit=50, time_limit=60)
def sweep_pipeline() -> dict[str, int]:
    """Re-queue stuck sources and resend lost tasks (beat, every 30 seconds)."""
    return sweep()
