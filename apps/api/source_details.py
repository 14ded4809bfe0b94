"""A source's details as its page shows them: links, the fetch, the extracted text and the
classifier runs. One selector (apps.sources.details) serves the page and this endpoint."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from apps.api.auth import READ
from apps.api.errors import ERROR_STATUSES, ErrorOut
from apps.api.types import PathId
from apps.sources.details import RUNS_SHOWN, source_details
from apps.sources.models import ClassificationRun, Source

router = Router(tags=["sources"], auth=READ)


class FetchOut(Schema):
    fetched_at: datetime | None
    http_status: int | None
    content_type: str
    charset: str
    attempts: int
    failure_code: str
    failure_message: str


class RunOut(Schema):
    started_at: datetime
    classifier: str
    model: str
    prompt_version: str
    outcome: str
    error: str
    duration_ms: int
    prompt_tokens: int | None = Field(description="tokens sent (llm); null: not reported")
    completion_tokens: int | None = Field(description="tokens answered (llm); null: not reported")
    output_mode: str = Field(description="the llm classifier's output mode; empty for local")
    chunks: int | None = Field(description="parts the page text was sent in (llm)")
    requested_by: str | None = Field(description="who asked for it; null: the pipeline")

    @staticmethod
    def resolve_requested_by(obj: ClassificationRun) -> str | None:
        return obj.requested_by.get_username() if obj.requested_by else None


class SourceDetailsOut(Schema):
    submitted_url: str
    canonical_url: str = Field(description="empty when it is the submitted link")
    final_url: str = Field(description="where the fetch ended after redirects")
    submitted_by: str | None
    fetch: FetchOut
    extracted_text: str
    runs: list[RunOut] = Field(description=f"the newest {RUNS_SHOWN} classifier runs first")
    older_runs: bool = Field(description="true when older runs are left out")


@router.get(
    "/sources/{source_id}/details",
    response={200: SourceDetailsOut, **{ERROR_STATUSES: ErrorOut}},
)
def source_details_read(request: HttpRequest, source_id: PathId):
    """The fetch, the extracted text and the classifier runs, as the source page shows them."""
    source = get_object_or_404(
        Source.objects.defer("raw_content").select_related("submitted_by"), pk=source_id
    )
    details = source_details(source)
    return {
        "submitted_url": details.submitted_url or source.url,
        "canonical_url": details.canonical_url,
        "final_url": details.final_url or source.final_url,
        "submitted_by": source.submitted_by.get_username() if source.submitted_by else None,
        "fetch": source,
        "extracted_text": source.extracted_text,
        "runs": details.runs,
        "older_runs": details.older_runs,
    }
