"""Which theme a slug names: itself, the theme it was merged into, or an alias's theme.

Kept apart from selectors.py so the explorer (which the theme page's selector uses) can
follow old slugs without importing the selectors back.
"""

from dataclasses import dataclass

from apps.knowledge.cache import cached
from apps.knowledge.models import Theme, ThemeAlias

# How many merges a redirect follows: a chain longer than this is a data error, not a loop.
MAX_MERGE_HOPS = 10


@dataclass
class Resolved:
    """The theme a slug names, or where the reader should go instead."""

    theme: Theme | None = None
    redirect_to: Theme | None = None


def _follow_merges(theme: Theme) -> Theme:
    seen = {theme.pk}
    for _ in range(MAX_MERGE_HOPS):
        if theme.status != Theme.Status.MERGED or theme.merged_into_id is None:
            break
        theme = theme.merged_into
        if theme.pk in seen:
            break
        seen.add(theme.pk)
    return theme


def resolve_theme(slug: str) -> Resolved:
    """Find the theme for a slug: itself, the theme it was merged into, or an alias's theme
    (cached until the knowledge changes: every theme link and filter asks)."""
    return cached("resolve-theme", slug, lambda: _resolve(slug))


def _resolve(slug: str) -> Resolved:
    theme = Theme.objects.select_related("merged_into").filter(slug=slug).first()
    if theme is None:
        alias = ThemeAlias.objects.select_related("theme").filter(key=slug).first()
        if alias is None:
            return Resolved()
        return Resolved(redirect_to=_follow_merges(alias.theme))
    target = _follow_merges(theme)
    if target.pk != theme.pk:
        return Resolved(redirect_to=target)
    return Resolved(theme=theme)
