"""Celery tasks of clustering: thin adapters around the services. Names are stable."""

from celery import shared_task
from django.db import transaction

from apps.clusters.embedding import EmbeddingError
from apps.clusters.services import signals_place
from apps.knowledge.models import Signal
from apps.sources.pipeline.queue import running_inline


@shared_task(
    bind=True,
    name="clusters.place_source",
    soft_time_limit=120,
    time_limit=150,
    acks_late=True,
    max_retries=3,
)
def place_source(self, *, source_id: int) -> dict[str, int] | None:
    """Place a classified source's signals in clusters (a no-op for signals already placed)."""
    ids = list(Signal.objects.filter(source_id=source_id).values_list("pk", flat=True))
    if not ids:
        return None  # the source is gone or has no signals: nothing to do
    try:
        return signals_place(signal_ids=ids)
    except EmbeddingError as error:
        if error.transient:
            raise self.retry(countdown=30 * (self.request.retries + 1)) from error
        raise


def enqueue_source(source_id: int) -> None:
    """Send `place_source` once the current transaction commits (the signals are visible);
    under `ingest --sync`, which has no worker, run it then in this process."""
    if running_inline():
        transaction.on_commit(lambda: place_source.apply(kwargs={"source_id": source_id}))
    else:
        transaction.on_commit(lambda: place_source.apply_async(kwargs={"source_id": source_id}))
