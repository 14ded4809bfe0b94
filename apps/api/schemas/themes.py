"""Themes, their aliases and the proposals waiting for an editor."""

from datetime import datetime

from ninja import Field, Schema

from apps.api.schemas.common import SourceRef
from apps.api.types import text
from apps.knowledge.models import Theme

Name = text(max_length=2000, min_length=1)


class AliasOut(Schema):
    id: int
    name: str


class ThemeOut(Schema):
    id: int
    name: str
    slug: str
    status: str
    description: str
    merged_into: int | None = Field(description="id of the theme a merged theme now lives in")
    created_at: datetime
    source_count: int | None = Field(
        None, description="sources carrying it; null where not counted (related, choices)"
    )

    @staticmethod
    def resolve_merged_into(obj: Theme) -> int | None:
        return obj.merged_into_id


class ThemeDetailOut(ThemeOut):
    aliases: list[AliasOut]
    counts: dict[str, int] = Field(description="sources and findings of each kind carrying it")


class ProposalOut(ThemeOut):
    suggestion_count: int
    suggested_by: list[SourceRef] = Field(description="a few of the suggesting sources")

    @staticmethod
    def resolve_suggested_by(obj: Theme) -> list[dict]:
        return [
            {"id": s.source_id, "title": str(s.source), "url": s.source.url} for s in obj.sample
        ]


class ThemeIn(Schema):
    name: Name


class ThemeRename(Schema):
    name: Name


class AliasIn(Schema):
    name: Name


class MergeIn(Schema):
    into: Name = Field(description="the name, slug or alias of an approved theme")


class RelatedOut(Schema):
    theme: ThemeOut
    shared_sources: int = Field(description="sources carrying both themes")
    see_also: bool = Field(description="declared by an editor (else: co-occurring)")


class SeeAlsoIn(Schema):
    other: Name = Field(description="the name, slug or alias of an approved theme")


class ChoiceOut(Schema):
    value: str = Field(description="the name to send, e.g. to a theme-link endpoint")
    theme: ThemeOut = Field(description="the approved theme it leads to")
