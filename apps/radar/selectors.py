"""The radar's items: technologies grouped by name, with their ring, quadrant and sources.

Technologies found in several sources share one blip: findings are grouped by their name
without case (the database's LOWER). Four bounded queries: the MAX_ITEMS groups (best
relevancy first, then the most recently seen), their first sighting ever (for "new"), their
best MAX_SOURCES findings each (a window function), and nothing else reaches Python.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Window
from django.db.models.functions import Lower, RowNumber

from apps.knowledge.explorer import finding_date, findings_matching
from apps.knowledge.models import Technology
from apps.radar import rules
from apps.radar.layout import place

MAX_ITEMS = 100
MAX_SOURCES = 5
PERIODS = {
    "": "All time",
    "90": "Last 3 months",
    "180": "Last 6 months",
    "365": "Last year",
    "730": "Last 2 years",
}


@dataclass
class SourceSeen:
    title: str
    url: str
    date: dt.date | None


@dataclass
class Item:
    key: str
    name: str
    relevancy: int | None
    last_seen: dt.date | None
    first_seen: dt.date | None
    source_count: int
    ring: str = ""
    is_new: bool = False
    category: str = ""
    quadrant: int = 0
    number: int = 0
    description: str = ""
    url: str = ""
    sources: list[SourceSeen] = field(default_factory=list)
    x: float | None = None
    y: float | None = None


@dataclass
class Radar:
    as_of: dt.date
    quadrants: list[str]
    items: list[Item]
    truncated: bool  # more technologies matched than MAX_ITEMS

    def segment(self, quadrant: int, ring: str) -> list[Item]:
        return [i for i in self.items if i.quadrant == quadrant and i.ring == ring]

    @property
    def legend(self) -> list[tuple[str, list[tuple[str, list[Item]]]]]:
        """Per quadrant, its rings that hold items, with those items (in number order)."""
        return [
            (name, [(ring, found) for ring in rules.RINGS if (found := self.segment(q, ring))])
            for q, name in enumerate(self.quadrants)
        ]

    @property
    def not_drawn(self) -> list[Item]:
        return [item for item in self.items if item.x is None]


def _matching(themes: list, period: str, as_of: dt.date):
    cleaned = {"theme": themes, "match": "any"}
    if period:
        cleaned["date_from"] = as_of - dt.timedelta(days=int(period))
    return findings_matching("technologies", cleaned).annotate(key=Lower("name")).order_by()


def radar(*, themes: list, period: str, as_of: dt.date) -> Radar:
    """The technologies matching the themes (the explorer's rule) seen in the period."""
    matching = _matching(themes, period, as_of)
    groups = list(
        matching.values("key")
        .annotate(best=Max("relevancy"), last=Max("date"), n=Count("source", distinct=True))
        .order_by(F("best").desc(nulls_last=True), F("last").desc(nulls_last=True), "key")[
            : MAX_ITEMS + 1
        ]
    )
    truncated = len(groups) > MAX_ITEMS
    items = {
        g["key"]: Item(g["key"], g["key"], g["best"], g["last"], None, g["n"])
        for g in groups[:MAX_ITEMS]
    }
    _first_seen(items)
    _details(matching, items)
    for item in items.values():
        item.ring = rules.ring_for(item.relevancy, item.last_seen, as_of)
        item.is_new = rules.is_new(item.first_seen, as_of)
    quadrants = rules.quadrant_names([item.category for item in items.values()])
    ordered = _numbered(list(items.values()), quadrants)
    place(ordered, {ring: index for index, ring in enumerate(rules.RINGS)})
    return Radar(as_of, quadrants, ordered, truncated)


def _first_seen(items: dict[str, Item]) -> None:
    """The first sighting of each technology ever, whatever the filters (for "new")."""
    rows = (
        Technology.objects.annotate(key=Lower("name"), date=finding_date())
        .filter(key__in=list(items))
        .values("key")
        .annotate(first=Min("date"))
        .order_by()
    )
    for row in rows:
        items[row["key"]].first_seen = row["first"]


def _details(matching, items: dict[str, Item]) -> None:
    """Name, description, category and link from each item's best finding; its sources."""
    ranked = matching.filter(key__in=list(items)).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("key")],
            order_by=[F("relevancy").desc(nulls_last=True), F("date").desc(), F("id").asc()],
        )
    )
    findings = (
        ranked.filter(rank__lte=MAX_SOURCES)
        .select_related("source__category")
        .only("name", "description", "source__title", "source__url", "source__category__name")
        .order_by("key", "rank")
    )
    for finding in findings:
        item = items[finding.key]
        source = finding.source
        if finding.rank == 1:
            item.name, item.description = finding.name, finding.description
            item.category = source.category.name.capitalize() if source.category else ""
            item.category = item.category or rules.NO_CATEGORY
            item.url = f"{source.get_absolute_url()}#technologies-{finding.pk}"
        title = source.title or source.url
        item.sources.append(SourceSeen(title, source.get_absolute_url(), finding.date))


def _numbered(items: list[Item], quadrants: list[str]) -> list[Item]:
    """Quadrant, then ring, then name order, numbered from 1 (the blips' labels)."""
    for item in items:
        item.quadrant = rules.quadrant_of(item.category, quadrants)
    rings = {ring: index for index, ring in enumerate(rules.RINGS)}
    items.sort(key=lambda i: (i.quadrant, rings[i.ring], i.name.casefold(), i.key))
    for number, item in enumerate(items, start=1):
        item.number = number
    return items
