"""Sources: what was submitted, where it is in the pipeline, the record made from it."""

from datetime import date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from apps.api.schemas.common import ThemeRef, theme_refs
from apps.api.types import text
from apps.knowledge.models import FINDING_MODELS
from apps.sources.filters import DEFAULT_SORT, SORTS
from apps.sources.models import Source
from apps.sources.pipeline.queue import FINAL
from apps.sources.services import MAX_URLS_PER_SUBMISSION


def status_url(source_id: int) -> str:
    return reverse("api:source_status", args=[source_id])


class SourceStatusOut(Schema):
    id: int
    status: str
    stage: str
    finished: bool = Field(description="true once the pipeline stopped (done or failed)")
    attempts: int
    next_attempt_at: datetime | None
    failure_code: str
    failure_message: str
    status_changed_at: datetime

    @staticmethod
    def resolve_finished(obj: Source) -> bool:
        return obj.status in FINAL


class SourceOut(Schema):
    id: int
    url: str
    canonical_url: str
    title: str
    site_name: str
    published_on: date | None
    category: str | None
    source_type: str | None
    status: str
    submitted_at: datetime
    themes: list[ThemeRef]
    status_url: str

    @staticmethod
    def resolve_category(obj: Source) -> str | None:
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_source_type(obj: Source) -> str | None:
        return obj.source_type.name if obj.source_type_id else None

    @staticmethod
    def resolve_themes(obj: Source) -> list[dict]:
        return theme_refs(obj.theme_links.all())

    @staticmethod
    def resolve_status_url(obj: Source) -> str:
        return status_url(obj.pk)


class SourceDetailOut(SourceOut, SourceStatusOut):
    final_url: str
    author: str
    language: str
    summary: str
    keywords: list[str]
    findings: dict[str, int] = Field(description="how many findings of each kind")
    version: int
    curated: list[str] = Field(description="fields an editor set")

    @staticmethod
    def resolve_keywords(obj: Source) -> list[str]:
        return [link.label for link in obj.keyword_links.all()]

    @staticmethod
    def resolve_findings(obj: Source) -> dict[str, int]:
        return {kind: getattr(obj, f"{kind}_count", 0) for kind in FINDING_MODELS}

    @staticmethod
    def resolve_curated(obj: Source) -> list[str]:
        return sorted(obj.curated)


class SubmitIn(Schema):
    urls: list[text(max_length=2048, min_length=1)] = Field(
        min_length=1, max_length=MAX_URLS_PER_SUBMISSION, description="one link per item"
    )
    note: text(max_length=2000) = ""


class SubmittedOut(Schema):
    position: int = Field(description="index of the link in `urls`")
    created: bool = Field(description="false: the link was already in the knowledge base")
    source: SourceOut
    status_url: str


class RefusedOut(Schema):
    position: int
    text: str
    reason: str
    kind: str = Field(description="invalid, repeated (same link as an earlier one), over_limit")


class SubmitOut(Schema):
    accepted: list[SubmittedOut]
    refused: list[RefusedOut]


class ReclassifyIn(Schema):
    classifier: Literal["", "local", "llm"] = Field("", description="blank: the default")


SourceSort = Literal[tuple(SORTS)]
SourceState = Literal[tuple(Source.Status.values)]


class SourceQuery(Schema):
    """The sources page's filter (apps/sources/filters.py): the same names and meanings."""

    state: SourceState | None = None
    category: text(max_length=80) | None = Field(None, description="name or slug")
    type: text(max_length=80) | None = Field(None, description="source type, name or slug")
    theme: text(max_length=140) | None = Field(None, description="slug, name or alias")
    submitter: text(max_length=150) | None = Field(None, description="username")
    date_from: date | None = Field(None, description="submitted on or after (YYYY-MM-DD)")
    date_to: date | None = Field(None, description="submitted on or before")
    q: text(max_length=200) | None = Field(None, description="in the title or the links")
    sort: SourceSort = DEFAULT_SORT
