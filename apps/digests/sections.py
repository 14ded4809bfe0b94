"""What a digest holds, one section per provider: each reads the followed themes and a
window and answers a Section the page and the e-mail render alike.

A provider is a function `(Window) -> Section`. The clusters app plugs in by adding one
(see docs/digests.md, "Sections"); the templates render any section the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from apps.knowledge import explorer
from apps.knowledge.drafts import trusted
from apps.knowledge.models import Signal, Theme

# A digest shows at most this many items per section; it says how many there are in all.
SECTION_LIMIT = 100
SUMMARY_WORDS = 40


@dataclass
class Window:
    user: object
    themes: list[Theme]
    since: datetime  # exclusive
    until: datetime  # inclusive
    min_relevancy: int


@dataclass
class Item:
    """One line of a digest: a name with its link, a short summary and facts to scan."""

    name: str
    url: str  # a path; the e-mail makes it absolute
    summary: str = ""
    facts: list[str] = field(default_factory=list)


@dataclass
class Group:
    theme: Theme | None  # None: a section whose items are not listed under a theme
    items: list[Item]


@dataclass
class Section:
    key: str
    title: str
    groups: list[Group]
    total: int  # items in the window, each once, even when more are shown than listed
    shown: int
    more_url: str = ""  # where to see them all


def _signal_item(signal: Signal) -> Item:
    facts = [f"relevancy {signal.relevancy}", f"from “{signal.source}”"]
    facts.append(f"added {timezone.localtime(signal.created_at):%Y-%m-%d}")
    url = reverse("sources:detail", args=[signal.source_id]) + f"#signals-{signal.pk}"
    summary = Truncator(signal.description or signal.change).words(SUMMARY_WORDS)
    return Item(signal.name, url, summary, facts)


def _explorer_url(window: Window) -> str:
    query = [("theme", theme.slug) for theme in window.themes]
    query += [("min_relevancy", window.min_relevancy), ("sort", "-date")]
    return reverse("explore:kind", args=["signals"]) + "?" + urlencode(query)


def new_signals(window: Window) -> Section:
    """Signals added in the window, rated `min_relevancy` or more and not a machine's
    unvouched draft, on a followed theme by the explorer's rule (the signal's own theme or
    its source's), newest first, listed under each followed theme they carry.

    Four queries whatever the size: the count, the signals, and the two theme prefetches.
    """
    cleaned = {"theme": window.themes, "min_relevancy": window.min_relevancy}
    signals = (
        explorer.findings_filtered("signals", cleaned)
        .filter(trusted(), created_at__gt=window.since, created_at__lte=window.until)
        .order_by("-created_at", "-id")
    )
    total = signals.count()
    shown = list(signals[:SECTION_LIMIT]) if total else []
    followed = {theme.pk for theme in window.themes}
    by_theme: dict[int, list[Item]] = {pk: [] for pk in followed}
    for signal in shown:
        item = _signal_item(signal)
        for theme in explorer.carried_themes(signal):
            if theme.pk in followed:
                by_theme[theme.pk].append(item)
    groups = [Group(t, by_theme[t.pk]) for t in window.themes if by_theme[t.pk]]
    return Section(
        "signals", "New high-relevancy signals", groups, total, len(shown), _explorer_url(window)
    )


def growing_clusters(window: Window) -> Section:
    """Clusters on a followed theme that gained evidence in the window: one change seen
    in more sources. The most new members first, then the strongest (apps/clusters)."""
    from apps.clusters.selectors import growing_clusters as clusters_growing

    clusters = clusters_growing(
        theme_ids=[theme.pk for theme in window.themes], since=window.since, limit=SECTION_LIMIT
    )
    items = [
        Item(
            cluster.name,
            cluster.get_absolute_url(),
            facts=[
                f"{cluster.new_members} new {'signal' if cluster.new_members == 1 else 'signals'}",
                f"{cluster.source_count} sources in all",
                f"evidence {cluster.strength:.1f}",
            ],
        )
        for cluster in clusters
    ]
    return Section(
        "clusters",
        "Growing clusters",
        [Group(None, items)] if items else [],
        len(items),
        len(items),
        reverse("clusters:index"),
    )


Provider = Callable[[Window], Section]
# In the order the digest shows them.
SECTIONS: list[Provider] = [new_signals, growing_clusters]
