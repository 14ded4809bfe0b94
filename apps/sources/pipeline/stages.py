"""The work of each stage, given a claimed source. No state handling here: see runner.py."""

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from apps.classification.schema import ClassificationError
from apps.core.curation import apply_machine_values
from apps.core.models import Origin
from apps.records.apply import record_apply
from apps.sources.models import Source
from apps.sources.pipeline import politeness
from apps.sources.pipeline.classify import classify_source, record_of
from apps.sources.pipeline.extract import extract
from apps.sources.pipeline.failures import Failure
from apps.sources.pipeline.fetch import FetchLimits, fetch_page


class Postpone(Exception):
    """Not now: this fetch's slot on its host is later (politeness.py); no attempt is used."""

    def __init__(self, seconds: float):
        super().__init__(f"postponed {seconds:.1f} s")
        self.seconds = seconds


@dataclass
class StageOutcome:
    """Columns to write when the stage succeeds, what runs next (None: done), and writes
    that must happen in the same transaction as the state change (`after`)."""

    values: dict = field(default_factory=dict)
    next_stage: str | None = None
    after: Callable[[], None] | None = None


def fetch_stage(source: Source, *, host_delay: float) -> StageOutcome:
    wait = politeness.seconds_to_wait(source, host_delay)
    if wait:
        raise Postpone(wait)
    page = fetch_page(source.url, FetchLimits.from_settings())
    return StageOutcome(
        values={
            "raw_content": zlib.compress(page.body, 6),
            "final_url": page.url[:2048],
            "http_status": page.status,
            "content_type": page.content_type[:100],
            "charset": page.charset[:40],
            "fetched_at": timezone.now(),
        },
        next_stage=Source.Stage.EXTRACT,
    )


def extract_stage(source: Source) -> StageOutcome:
    if source.raw_content is None:
        raise Failure("no_content_stored", "nothing was fetched to extract; retry the fetch")
    try:
        body = zlib.decompress(bytes(source.raw_content))
    except zlib.error:
        raise Failure("corrupt_content", "the stored page is damaged; retry the fetch") from None
    found = extract(
        body,
        content_type=source.content_type or "text/html",
        charset=source.charset,
        url=source.final_url or source.url,
    )
    values = {
        "extracted_text": found.text,
        "site_name": found.site_name,
        "author": found.author,
        "published_on": found.published_on,
        "language": found.language,
    }
    apply_machine_values(source, {"title": found.title}, origin=Origin.AI)
    values.update(title=source.title, machine_values=source.machine_values, version=source.version)
    return StageOutcome(values=values, next_stage=Source.Stage.CLASSIFY)


def classify_stage(source: Source) -> StageOutcome:
    try:
        classified = classify_source(source)
    except ClassificationError as error:
        # LLM errors carry a code and say whether they are worth retrying (429, 5xx, timeouts).
        transient = getattr(error, "transient", False)
        raise Failure(
            getattr(error, "code", "bad_answer"),
            str(error) if transient else f"the classifier gave no usable record: {error}",
            transient=transient,
            retry_after=getattr(error, "retry_after", None),
        ) from None

    def apply() -> None:
        # Inside the stage's closing transaction: only if this worker still holds the row.
        record_apply(source, record_of(source, classified.result), origin=Origin.AI)
        Source.objects.filter(pk=source.pk).update(next_classifier="", classify_requested_by=None)
        classified.run.save()
        # Clustering follows classification; imported here, as the pipeline's one hook into
        # the clusters app (which depends on sources, not the other way round).
        from apps.clusters.tasks import enqueue_source

        enqueue_source(source.pk)

    return StageOutcome(after=apply)
