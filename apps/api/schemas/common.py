"""Shapes several areas share."""

from ninja import Schema

from apps.api.types import text


class ThemeRef(Schema):
    id: int
    name: str
    slug: str


class SourceRef(Schema):
    id: int
    title: str
    url: str


class ThemeNameIn(Schema):
    name: text(max_length=2000, min_length=1)


def theme_refs(links) -> list[dict]:
    """Theme links (prefetched with their theme) as {id, name, slug}."""
    return [{"id": l.theme_id, "name": l.theme.name, "slug": l.theme.slug} for l in links]  # noqa: E741
