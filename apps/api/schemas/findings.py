"""Findings: signals, behaviors, technologies and issues."""

from datetime import date, datetime
from typing import Literal

from django.utils.datastructures import MultiValueDict
from ninja import Field, Schema

from apps.api.schemas.common import ThemeRef
from apps.api.types import Id, Version, text
from apps.knowledge.explorer import DEFAULT_SCOPE, DEFAULT_SORT, SCOPES, SORTS, split_themes
from apps.knowledge.findings import NAME_MAX, finding_kind
from apps.knowledge.models import Finding

Kind = Literal["signals", "behaviors", "technologies", "issues"]

Relevancy = int | None
LongText = text(max_length=20000)


class FindingOut(Schema):
    id: int
    kind: Kind
    source: int
    source_title: str
    name: str
    description: str
    relevancy: int | None
    change: str | None = Field(None, description="signals only")
    ten_year: str | None = Field(None, description="signals only: the 10-year outlook")
    driving_force: str | None = Field(None, description="signals only")
    themes: list[ThemeRef] = Field(description="the finding's own themes")
    source_themes: list[ThemeRef] = Field(
        description="themes it inherits from its source (those it does not carry itself)"
    )
    confidence: float | None = Field(
        description="how sure the classifier was, 0 to 1; null for editors' and imported ones"
    )
    reviewed: bool = Field(
        description="an editor added, accepted, edited or rated it (or it was imported)"
    )
    draft: bool = Field(
        description="a machine draft, not reviewed: confidence below SPYGLASS_DRAFT_CONFIDENCE"
    )
    version: int
    origin: str
    curated: list[str] = Field(description="fields an editor set")
    updated_at: datetime

    @staticmethod
    def resolve_kind(obj: Finding) -> str:
        return finding_kind(obj)

    @staticmethod
    def resolve_source(obj: Finding) -> int:
        return obj.source_id

    @staticmethod
    def resolve_source_title(obj: Finding) -> str:
        return str(obj.source)

    @staticmethod
    def resolve_themes(obj: Finding) -> list[dict]:
        return [{"id": t.pk, "name": t.name, "slug": t.slug} for t in obj.themes.all()]

    @staticmethod
    def resolve_source_themes(obj: Finding) -> list[dict]:
        _, inherited = split_themes(obj)
        return [{"id": t.pk, "name": t.name, "slug": t.slug} for t in inherited]

    @staticmethod
    def resolve_curated(obj: Finding) -> list[str]:
        return sorted(obj.curated)


class FindingIn(Schema):
    """A new finding; `change`, `ten_year` and `driving_force` belong to signals only."""

    source: Id
    name: text(max_length=NAME_MAX, min_length=1)
    description: LongText = ""
    relevancy: Relevancy = Field(None, ge=1, le=5)
    change: LongText | None = None
    ten_year: LongText | None = None
    driving_force: LongText | None = None


class FindingPatch(Schema):
    """Only the fields sent change; `version` is the one you read (409 if it moved on)."""

    version: Version
    name: text(max_length=NAME_MAX, min_length=1) | None = None
    description: LongText | None = None
    relevancy: Relevancy = Field(None, ge=1, le=5)
    change: LongText | None = None
    ten_year: LongText | None = None
    driving_force: LongText | None = None


def finding_values(payload: Schema, *, exclude: set[str]) -> dict:
    """The editable values the client sent (not the defaults it left out)."""
    return payload.dict(exclude_unset=True, exclude=exclude)


class FindingQuery(Schema):
    """The explorer's filter (apps/knowledge/explorer.py): the same names and meanings."""

    theme: list[text(max_length=140)] = Field(
        [], description="theme slugs; repeat for several", max_length=20
    )
    match: Literal["any", "all"] = Field("any", description="any or all of the themes")
    theme_scope: Literal[tuple(SCOPES)] = Field(
        DEFAULT_SCOPE,
        description="own: the theme is the finding's own; any: its own or its source's",
    )
    category: text(max_length=80) | None = Field(None, description="category name")
    type: text(max_length=80) | None = Field(None, description="source type name")
    min_relevancy: int | None = Field(None, ge=1, le=5)
    date_from: date | None = Field(None, description="dated on or after (YYYY-MM-DD)")
    date_to: date | None = Field(None, description="dated on or before")
    source: Id | None = Field(None, description="findings of this source only")
    q: text(max_length=200) | None = Field(None, description="words in the text")
    sort: Literal[tuple(SORTS)] = DEFAULT_SORT


def explorer_data(filters: FindingQuery) -> MultiValueDict:
    """The filter as the explorer form's query data."""
    data = MultiValueDict()
    for name, value in filters.dict(exclude_none=True).items():
        if name == "theme":
            data.setlist(name, value)
        else:
            data[name] = value.isoformat() if isinstance(value, date) else str(value)
    return data
