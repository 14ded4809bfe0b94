"""Running the whole pipeline in this process (`ingest --sync`): the same stage code the
tasks run, driven by a loop instead of a broker."""

import time

from django.utils import timezone

from apps.sources.models import Source
from apps.sources.pipeline.queue import FINAL, RUNNING, inline_pipeline
from apps.sources.pipeline.runner import run_stage
from apps.sources.pipeline.sweeper import sweep

POLL = 0.2


def run_until_final(source_id: int, *, timeout: float = 900.0) -> Source:
    """Run stages until the source is final (waiting out retries); return it."""
    deadline = time.monotonic() + timeout
    with inline_pipeline():
        while True:
            source = Source.objects.get(pk=source_id)
            if source.status in FINAL or time.monotonic() > deadline:
                return source
            if source.status in RUNNING.values():
                # Another process holds it: wait for its outcome, and rescue it as the beat
                # sweeper would if that process died (no sweeper runs beside --sync).
                sweep()
                time.sleep(POLL)
                continue
            if source.next_attempt_at and source.next_attempt_at > timezone.now():
                wait = (source.next_attempt_at - timezone.now()).total_seconds()
                time.sleep(max(POLL, min(wait, deadline - time.monotonic())))
                continue
            if run_stage(source_id, source.stage) == Source.Status.QUEUED:
                time.sleep(POLL)  # postponed for host politeness
