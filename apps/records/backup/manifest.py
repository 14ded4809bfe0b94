"""manifest.json of a backup: its schema, checked before anything is restored.

The Markdown records carry the values in force; the manifest carries what a record cannot:
who set each value and when, what the machine said beside an editor's value, versions,
theme links with their origin, and the theme vocabulary (statuses, merges, aliases).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from apps.core.models import Origin
from apps.knowledge.models import FINDING_MODELS, Theme
from apps.sources.models import Source

FORMAT = "spyglass-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"

OriginName = Literal[tuple(Origin.values)]  # type: ignore[valid-type]
Kind = Literal[tuple(FINDING_MODELS)]  # type: ignore[valid-type]
Username = Annotated[str, Field(max_length=150)] | None
Slug = Annotated[str, Field(min_length=1, max_length=140)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(_Strict):
    origin: OriginName
    machine_values: dict[str, Any] = {}
    # {field: {by, at}}; a source also notes what editors removed ("themes_removed" keyed
    # by theme slug here, by id in the database; "findings_removed": {kind: {key: mark}}).
    curated: dict[str, dict[str, Any]] = {}
    version: Annotated[int, Field(ge=1)] = 1
    updated_by: Username = None
    updated_at: datetime | None = None
    created_at: datetime | None = None
    # Values in force the Markdown cannot carry exactly (line breaks in a cell, no title).
    exact: dict[str, str] = {}


class ThemeLinkEntry(_Strict):
    theme: Slug
    origin: OriginName
    added_by: Username = None
    added_at: datetime | None = None


class KeywordEntry(_Strict):
    label: str
    origin: OriginName


class FindingEntry(Provenance):
    kind: Kind
    # Index of the row in the record's table of that kind.
    position: Annotated[int, Field(ge=0)]
    themes: list[ThemeLinkEntry] = []


class RecordEntry(_Strict):
    file: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    canonical_url: str
    url: str
    submitted_by: Username = None
    submitted_at: datetime
    status: Literal[tuple(Source.Status.values)]  # type: ignore[valid-type]
    stage: Literal[tuple(Source.Stage.values)] = "fetch"  # type: ignore[valid-type]
    failure_code: str = ""
    failure_message: str = ""
    published_on: date | None = None
    author: str = ""
    site_name: str = ""
    language: str = ""
    final_url: str = ""
    source: Provenance
    keywords: list[KeywordEntry] = []
    themes: list[ThemeLinkEntry] = []
    findings: list[FindingEntry] = []


class ThemeEntry(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    slug: Slug
    description: str = ""
    status: Literal[tuple(Theme.Status.values)]  # type: ignore[valid-type]
    merged_into: Slug | None = None
    created_at: datetime | None = None


class AliasEntry(_Strict):
    theme: Slug
    name: Annotated[str, Field(min_length=1, max_length=120)]
    key: Slug


class RelationEntry(_Strict):
    theme: Slug
    other: Slug
    added_by: Username = None
    added_at: datetime | None = None


class VocabularyEntry(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    slug: Annotated[str, Field(min_length=1, max_length=80)]
    description: str = ""


class Vocabulary(_Strict):
    themes: list[ThemeEntry] = []
    aliases: list[AliasEntry] = []
    relations: list[RelationEntry] = []
    categories: list[VocabularyEntry] = []
    source_types: list[VocabularyEntry] = []


class Manifest(_Strict):
    format: Literal["spyglass-backup"]
    format_version: int
    created_at: datetime
    app_version: str = ""
    counts: dict[str, int] = {}
    vocabulary: Vocabulary
    records: list[RecordEntry]


def manifest_problem(error: ValidationError) -> str:
    """The first few schema errors, each naming where in manifest.json it is."""
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(problems)
    suffix = f" (and {more} more)" if more > 0 else ""
    return "; ".join(problems) + suffix
