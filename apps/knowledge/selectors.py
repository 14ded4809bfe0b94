"""Reads of themes for the pages: one query per list, counts in subqueries."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from apps.knowledge.models import (
    FINDING_MODELS,
    BehaviorTheme,
    Finding,
    IssueTheme,
    SignalTheme,
    TechnologyTheme,
    Theme,
    ThemeAlias,
    ThemeSuggestion,
)
from apps.knowledge.vocabulary import name_key
from apps.sources.models import Source, SourceTheme
from apps.sources.selectors import FINDING_TITLES, HEAVY_FIELDS

# Each page group shows this many items and says how many there are in all.
GROUP_LIMIT = 50
# How many merges a redirect follows: a chain longer than this is a data error, not a loop.
MAX_MERGE_HOPS = 10

LINK_MODELS = {
    "signals": SignalTheme,
    "behaviors": BehaviorTheme,
    "technologies": TechnologyTheme,
    "issues": IssueTheme,
}


def _link_count(link_model) -> Coalesce:
    counts = (
        link_model.objects.filter(theme=OuterRef("pk"))
        .order_by()
        .values("theme")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def theme_index(query: str = "") -> QuerySet[Theme]:
    """Approved and proposed themes, alphabetical, with how many items of each kind carry each.

    `query` matches the name or an alias. Counts are subqueries rather than Count("sources"):
    a join would count every link of every theme before the page is cut, a subquery counts
    only the rows shown.
    """
    themes = Theme.objects.filter(status__in=[Theme.Status.APPROVED, Theme.Status.PROPOSED])
    if query:
        aliased = ThemeAlias.objects.filter(name__icontains=query).values("theme")
        themes = themes.filter(Q(name__icontains=query) | Q(pk__in=aliased))
    return themes.annotate(
        source_count=_link_count(SourceTheme),
        **{f"{kind}_count": _link_count(model) for kind, model in LINK_MODELS.items()},
    ).order_by("name", "id")


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
    """Find the theme for a slug: itself, the theme it was merged into, or an alias's theme."""
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


@dataclass
class Group:
    kind: str
    title: str
    items: list
    total: int


def _findings(kind: str, theme: Theme) -> list[Finding]:
    model = FINDING_MODELS[kind]
    return list(
        model.objects.filter(theme_links__theme=theme)
        .select_related("source")
        .defer(*(f"source__{name}" for name in HEAVY_FIELDS))
        .order_by(F("relevancy").desc(nulls_last=True), "-source__submitted_at", "position")[
            :GROUP_LIMIT
        ]
    )


def theme_page(theme: Theme) -> dict:
    """The theme's aliases, then its sources and findings by kind, each capped with a total."""
    totals = (
        Theme.objects.filter(pk=theme.pk)
        .annotate(
            sources_total=_link_count(SourceTheme),
            **{f"{kind}_total": _link_count(model) for kind, model in LINK_MODELS.items()},
        )
        .values("sources_total", *(f"{kind}_total" for kind in LINK_MODELS))
        .get()
    )
    sources = list(
        Source.objects.filter(theme_links__theme=theme)
        .defer(*HEAVY_FIELDS)
        .select_related("category", "source_type")
        .order_by("-submitted_at", "-id")[:GROUP_LIMIT]
    )
    groups = [
        Group(kind, FINDING_TITLES[kind], _findings(kind, theme), totals[f"{kind}_total"])
        for kind in FINDING_MODELS
    ]
    return {
        "aliases": list(theme.aliases.order_by("name")),
        "sources": Group("sources", "Sources", sources, totals["sources_total"]),
        "groups": groups,
        "has_findings": any(group.total for group in groups),
        "limit": GROUP_LIMIT,
    }


# --- For editors -------------------------------------------------------------------------

# Each proposal on the queue names this many of the sources that suggested it.
SUGGESTION_SAMPLE = 3


def curatable_themes() -> QuerySet[Theme]:
    """Themes an editor may still act on: merged and rejected ones are settled."""
    return Theme.objects.filter(status__in=[Theme.Status.APPROVED, Theme.Status.PROPOSED])


def theme_named(name: str) -> Theme | None:
    """The theme a typed name means (by slug or alias, following merges), or None."""
    key = name_key(name)
    if not key:
        return None
    resolved = resolve_theme(key)
    return resolved.theme or resolved.redirect_to


def approved_theme_names() -> list[str]:
    """Names for the merge field's suggestions."""
    themes = Theme.objects.filter(status=Theme.Status.APPROVED).order_by("name")
    return list(themes.values_list("name", flat=True))


def proposed_count() -> int:
    return Theme.objects.filter(status=Theme.Status.PROPOSED).count()


def proposed_queue() -> QuerySet[Theme]:
    """Proposed themes, most suggested first, each with a sample of its suggesting sources.

    The sample is a sliced prefetch (a window query), so the queue costs the same few
    queries whether it holds 3 proposals or 300.
    """
    sample = (
        ThemeSuggestion.objects.select_related("source")
        .defer(*(f"source__{name}" for name in HEAVY_FIELDS))
        .order_by("-created_at", "-id")[:SUGGESTION_SAMPLE]
    )
    return (
        Theme.objects.filter(status=Theme.Status.PROPOSED)
        .annotate(suggestion_count=_link_count(ThemeSuggestion))
        .prefetch_related(Prefetch("suggestions", queryset=sample, to_attr="sample"))
        .order_by("-suggestion_count", "name", "id")
    )
