"""The ingest pipeline as the pipeline page shows it, and what analysts do to stuck sources:
paste the page's text, upload the saved page, retry every source stopped for a reason."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from apps.api.auth import EDIT, READ, SUBMIT
from apps.api.errors import ERROR_STATUSES, ApiError, ErrorOut, form_data
from apps.api.schemas.sources import SourceStatusOut
from apps.api.types import PathId, text
from apps.sources import selectors, services
from apps.sources.forms import PasteTextForm, RetryFailedForm, UploadPageForm
from apps.sources.models import Source

router = Router(tags=["pipeline"], auth=READ)
ANSWERS = {ERROR_STATUSES: ErrorOut}
BUSY = "This source is being processed; try again when it has finished."


class StateCountOut(Schema):
    status: str
    label: str
    count: int


class FailureReasonOut(Schema):
    code: str
    count: int
    example: int | None

    @staticmethod
    def resolve_example(obj) -> int | None:
        return obj.example.pk if obj.example else None


class PipelineOut(Schema):
    counts: list[StateCountOut]
    failure_reasons: list[FailureReasonOut]
    workers_alive: int
    worker_last_seen: datetime | None


class TextIn(Schema):
    text: text(max_length=2_000_000, min_length=1)


class RetryFailedIn(Schema):
    failure_code: text(max_length=40, min_length=1)


class RetriedOut(Schema):
    queued: int


def _source(source_id: int) -> Source:
    return get_object_or_404(Source.objects.defer(*selectors.HEAVY_FIELDS), pk=source_id)


def _queued(source_id: int, moved: bool):
    if not moved:
        raise ApiError(409, "busy", BUSY)
    return Status(202, _source(source_id))


@router.get("/pipeline", response={200: PipelineOut, **ANSWERS})
def pipeline(request: HttpRequest):
    """Sources per state, the commonest failure reasons, and whether a worker is running."""
    worker = selectors.worker_status()
    return {
        "counts": selectors.state_counts(),
        "failure_reasons": selectors.failure_reasons(),
        "workers_alive": worker.alive,
        "worker_last_seen": worker.last_seen.seen_at if worker.last_seen else None,
    }


@router.post("/pipeline/retry-failed", response={200: RetriedOut, **ANSWERS}, auth=EDIT)
def retry_failed(request: HttpRequest, payload: RetryFailedIn):
    """Queue again every source stopped for `failure_code` (editors)."""
    code = form_data(RetryFailedForm({"failure_code": payload.failure_code}))["failure_code"]
    return {"queued": services.sources_retry_failed(failure_code=code, user=request.auth)}


@router.post("/sources/{source_id}/text", response={202: SourceStatusOut, **ANSWERS}, auth=SUBMIT)
def source_paste(request: HttpRequest, source_id: PathId, payload: TextIn):
    """Give the page's text for a page Spyglass could not read; it is classified next."""
    source = _source(source_id)
    cleaned = form_data(PasteTextForm({"text": payload.text}))
    try:
        moved = services.source_paste_text(source, text=cleaned["text"], user=request.auth)
    except ValueError:
        raise ApiError(422, "invalid", "text: the pasted text is empty.") from None
    return _queued(source_id, moved)


@router.post("/sources/{source_id}/page", response={202: SourceStatusOut, **ANSWERS}, auth=SUBMIT)
def source_upload(request: HttpRequest, source_id: PathId, page: File[UploadedFile]):
    """Upload the saved page (.html); it is extracted next, as if it had been fetched."""
    source = _source(source_id)
    cleaned = form_data(UploadPageForm({}, {"page": page}))
    try:
        moved = services.source_upload_html(
            source, content=cleaned["page"].read(), user=request.auth
        )
    except ValueError:
        raise ApiError(422, "invalid", "page: the file is empty.") from None
    return _queued(source_id, moved)
