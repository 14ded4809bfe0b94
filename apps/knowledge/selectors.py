"""Reads of themes for the pages: one query per list, counts in subqueries."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from apps.core.queries import subquery_count
from apps.knowledge import explorer
from apps.knowledge.cache import cached
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
from apps.knowledge.resolve import resolve_theme
from apps.knowledge.vocabulary import display_name, name_key
from apps.sources.models import Source, SourceTheme
from apps.sources.selectors import FINDING_TITLES, HEAVY_FIELDS

# Each page group shows this many items and says how many there are in all.
GROUP_LIMIT = 50

LINK_MODELS = {
    "signals": SignalTheme,
    "behaviors": BehaviorTheme,
    "technologies": TechnologyTheme,
    "issues": IssueTheme,
}


def _link_count(link_model):
    return subquery_count(link_model.objects.filter(theme=OuterRef("pk")))


def theme_index(query: str = "") -> QuerySet[Theme]:
    """Approved and proposed themes, alphabetical, with how many items of each kind carry each.

    `query` matches the name or an alias. Counts are subqueries rather than Count("sources"):
    a join would count every link of every theme before the page is cut, a subquery counts
    only the rows shown.
    """
    themes = Theme.objects.filter(status__in=[Theme.Status.APPROVED, Theme.Status.PROPOSED])
    query = display_name(query)
    if query:
        aliased = ThemeAlias.objects.filter(name__icontains=query).values("theme")
        themes = themes.filter(Q(name__icontains=query) | Q(pk__in=aliased))
    return themes.annotate(
        source_count=_link_count(SourceTheme),
        **{f"{kind}_count": _link_count(model) for kind, model in LINK_MODELS.items()},
    ).order_by("name", "id")


# How many themes the explorer offers as checkboxes besides the chosen ones.
MOST_USED = 20


def most_used_themes(limit: int | None = None) -> list[tuple[str, str]]:
    """(slug, name) of the approved themes the most sources carry (MOST_USED of them),
    alphabetical; cached until the knowledge changes: it counts every theme's links."""
    limit = limit or MOST_USED

    def count() -> list[tuple[str, str]]:
        themes = (
            Theme.objects.filter(status=Theme.Status.APPROVED)
            .annotate(uses=_link_count(SourceTheme))
            .order_by("-uses", "name", "id")
            .values_list("slug", "name")[:limit]
        )
        return sorted(themes, key=lambda theme: theme[1].casefold())

    return cached("most-used-themes", limit, count)


@dataclass
class Group:
    kind: str
    title: str
    items: list
    total: int
    own: int = 0  # of the total, findings carrying the theme themselves


def _carrying(kind: str, theme: Theme, scope: str = "any") -> QuerySet[Finding]:
    """The explorer's findings on `theme` (linked themselves or, with "any", through their
    source), each marked `own` when it carries the theme itself."""
    own = LINK_MODELS[kind].objects.filter(
        **{FINDING_MODELS[kind]._meta.model_name: OuterRef("pk")}, theme=theme
    )
    findings = explorer.findings_filtered(kind, {"theme": [theme], "theme_scope": scope})
    return findings.annotate(own=Exists(own))


def theme_totals(theme: Theme) -> dict[str, int]:
    """How many sources carry the theme, and findings of each kind (own or inherited, and
    own only), in one query; cached until the knowledge changes (apps/knowledge/cache.py)."""
    return cached("theme-totals", theme.pk, lambda: _theme_totals(theme))


def _theme_totals(theme: Theme) -> dict[str, int]:
    return (
        Theme.objects.filter(pk=theme.pk)
        .annotate(
            sources_total=_link_count(SourceTheme),
            **{f"{kind}_total": subquery_count(_carrying(kind, theme)) for kind in FINDING_MODELS},
            **{
                f"{kind}_own": subquery_count(_carrying(kind, theme, "own"))
                for kind in FINDING_MODELS
            },
        )
        .values(
            "sources_total",
            *(f"{kind}_total" for kind in FINDING_MODELS),
            *(f"{kind}_own" for kind in FINDING_MODELS),
        )
        .get()
    )


def theme_page(theme: Theme) -> dict:
    """The theme's aliases, then its sources and findings by kind, each capped with a total.

    Findings follow the explorer's rule and order, so a group's total is the number the
    explorer shows behind the group's link. Cached until the knowledge changes: seven
    queries over the theme's links, the same for every reader.
    """
    return cached("theme-page", theme.pk, lambda: _theme_page(theme))


def _theme_page(theme: Theme) -> dict:
    totals = theme_totals(theme)
    sources = list(
        Source.objects.filter(theme_links__theme=theme)
        .defer(*HEAVY_FIELDS)
        .select_related("category", "source_type")
        .order_by("-submitted_at", "-id")[:GROUP_LIMIT]
    )
    groups = [
        Group(
            kind,
            FINDING_TITLES[kind],
            # The groups list no themes: the explorer's prefetch of them would be wasted.
            list(_carrying(kind, theme).prefetch_related(None)[:GROUP_LIMIT]),
            totals[f"{kind}_total"],
            totals[f"{kind}_own"],
        )
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
    """Names for the merge field's suggestions (cached until the knowledge changes)."""
    themes = Theme.objects.filter(status=Theme.Status.APPROVED).order_by("name")
    return cached("approved-theme-names", None, lambda: list(themes.values_list("name", flat=True)))


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


@dataclass
class MergePreview:
    """What a merge of `theme` into `into` moves, for the editor to confirm."""

    theme: Theme
    into: Theme
    sources: int  # sources linked to `theme`
    findings: int  # findings of any kind linked to `theme`
    finding_kinds: list[str]  # "2 signals", "1 issue": the kinds with links only
    suggestions: int  # sources that suggested a proposed `theme`: they get `into` linked

    @property
    def links(self) -> int:
        return self.sources + self.findings


def merge_preview(theme: Theme, into: Theme) -> MergePreview:
    """Count the links a merge would move: one query per link table."""
    counts = {
        kind: model.objects.filter(theme=theme).count() for kind, model in LINK_MODELS.items()
    }
    kinds = []
    for kind, count in counts.items():
        if count:
            meta = FINDING_MODELS[kind]._meta
            kinds.append(f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}")
    return MergePreview(
        theme=theme,
        into=into,
        sources=SourceTheme.objects.filter(theme=theme).count(),
        findings=sum(counts.values()),
        finding_kinds=kinds,
        suggestions=ThemeSuggestion.objects.filter(theme=theme).count(),
    )
