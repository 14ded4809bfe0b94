"""Evidence strength: how strongly a cluster's sources back one change (docs/clusters.md).

Each source counts once, by its best member signal: relevancy / 5 (3 when the signal has
none) times 0.5 ** (age in days / half-life), the age taken from the source's publication
date, else the day it was submitted. The strength is the sum over distinct sources, so three
recent sources of top relevancy give 3.0 and a single source never more than 1.0.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

UNRATED = 3  # the relevancy assumed for a signal nobody rated


@dataclass(frozen=True)
class Evidence:
    source_id: int
    day: date
    relevancy: int | None


def weight(item: Evidence, today: date) -> float:
    half_life = settings.SPYGLASS_CLUSTERS["half_life_days"]
    age = max(0, (today - item.day).days)
    return (item.relevancy or UNRATED) / 5 * 0.5 ** (age / half_life)


def strength(items: list[Evidence], today: date) -> float:
    best: dict[int, float] = {}
    for item in items:
        best[item.source_id] = max(best.get(item.source_id, 0.0), weight(item, today))
    return round(sum(best.values()), 4)
