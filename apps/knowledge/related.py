"""Themes related to a theme: the ones most often on the same sources, and editors' "see also".

Two queries whatever the size of the base: one for the see-also themes, one for the
co-occurring themes, each with its count of shared sources.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q
from django.db.models.functions import Coalesce

from apps.core.queries import subquery_count
from apps.knowledge.cache import cached
from apps.knowledge.models import Theme, ThemeRelation
from apps.sources.models import SourceTheme

# How many co-occurring themes the theme page lists.
CO_OCCURRING_LIMIT = 12


@dataclass
class RelatedTheme:
    theme: Theme
    shared_sources: int  # sources carrying both themes
    see_also: bool  # declared by an editor


def _shared_with(theme: Theme) -> Coalesce:
    """Per outer theme: how many sources carry it and `theme` (a subquery, no row blow-up)."""
    sources = SourceTheme.objects.filter(theme=theme).values("source")
    return subquery_count(SourceTheme.objects.filter(theme=OuterRef("pk"), source__in=sources))


def see_also_themes(theme: Theme) -> list[RelatedTheme]:
    """The themes editors linked to this one, by name, with their shared-source counts."""
    linked = Q(pk__in=ThemeRelation.objects.filter(theme_a=theme).values("theme_b")) | Q(
        pk__in=ThemeRelation.objects.filter(theme_b=theme).values("theme_a")
    )
    others = Theme.objects.filter(linked).annotate(shared=_shared_with(theme)).order_by("name")
    return [RelatedTheme(other, other.shared, see_also=True) for other in others]


def co_occurring_themes(theme: Theme, *, limit: int = CO_OCCURRING_LIMIT) -> list[RelatedTheme]:
    """The approved themes most often on the same sources as this one, most shared first."""
    others = (
        Theme.objects.filter(status=Theme.Status.APPROVED, sources__theme_links__theme=theme)
        .exclude(pk=theme.pk)
        .annotate(shared=Count("sources", distinct=True))
        .order_by("-shared", "name", "id")[:limit]
    )
    return [RelatedTheme(other, other.shared, see_also=False) for other in others]


def theme_relations(theme: Theme) -> dict:
    """What the theme page's related section shows: see-also, then the other co-occurring.

    Cached until the knowledge changes: co-occurrence counts every source of the theme.
    """
    return cached("theme-relations", theme.pk, lambda: _theme_relations(theme))


def _theme_relations(theme: Theme) -> dict:
    see_also = see_also_themes(theme)
    listed = {related.theme.pk for related in see_also}
    return {
        "see_also": see_also,
        "co_occurring": [r for r in co_occurring_themes(theme) if r.theme.pk not in listed],
    }


def related_themes(theme: Theme) -> list[RelatedTheme]:
    """See-also themes first, then co-occurring ones not already listed."""
    relations = theme_relations(theme)
    return relations["see_also"] + relations["co_occurring"]
