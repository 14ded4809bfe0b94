"""The worker side of pipeline/holders.py: note each stage message received, and send again
what this node held when it starts or reconnects to the broker.

`config/celery.py` adds `RescueHeld` to the consumer's blueprint, whose steps start again
after every lost broker connection; this module imports no model at import time because
it is loaded before Django is set up.
"""

import logging

from celery import bootsteps
from celery.signals import task_received

log = logging.getLogger(__name__)


class RescueHeld(bootsteps.StartStopStep):
    """Runs before the consumer's event loop, on every (re)connection to the broker."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.first_start = True

    def start(self, parent) -> None:
        from apps.sources.pipeline.holders import rescue_held

        # First start: whatever this node name still holds was held by a previous run of
        # it, killed. Later starts are reconnections: the pool's running stages go on, but
        # Celery has dropped the countdown messages it held.
        running, self.first_start = self.first_start, False
        try:
            rescue_held(getattr(parent, "hostname", "") or "", running=running)
        except Exception:  # the sweeper is the fallback; the worker must start regardless
            log.exception("could not send again the sources this worker held")


@task_received.connect
def note_stage_received(sender=None, request=None, **_kwargs) -> None:
    from apps.sources.pipeline.holders import STAGE_TASKS, note_received

    stage = STAGE_TASKS.get(getattr(request, "name", "") or "")
    source_id = (getattr(request, "kwargs", None) or {}).get("source_id")
    if stage is None or not isinstance(source_id, int):
        return
    try:
        note_received(source_id, stage, getattr(request, "hostname", "") or "")
    except Exception:  # a database hiccup must not stop the consumer; the sweeper rescues
        log.exception("could not note that source %s was received", source_id)
