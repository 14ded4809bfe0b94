"""Where a technology goes: its ring from relevancy and recency, "new", and the quadrants.

The ring rule (shown on /radar/ and in docs/radar.md), with "last seen" the newest date of
the technology's findings and the best relevancy among them:

| best relevancy | seen in the last 180 days | 181 to 365 days ago | longer ago |
|---|---|---|---|
| 4 or 5 | adopt | trial | hold |
| 3 | trial | assess | hold |
| 1, 2 or unrated | assess | hold | hold |

A technology is new when its first finding (any theme, any period) is at most 90 days old.
Quadrants are the categories of the technologies' sources: each its own when the radar holds
four or fewer, else the three most used and "Other" (a radar has four quadrants, and Build
Your Own Radar reads no more).
"""

import datetime as dt
from collections import Counter

RINGS = ("adopt", "trial", "assess", "hold")
RECENT_DAYS = 180
STALE_DAYS = 365
NEW_DAYS = 90
QUADRANTS = 4
OTHER = "Other"
NO_CATEGORY = "No category"

# (lowest relevancy, ring when recent, ring when within a year); older is always hold.
RING_RULE = ((4, "adopt", "trial"), (3, "trial", "assess"), (0, "assess", "hold"))


def ring_for(relevancy: int | None, last_seen: dt.date | None, as_of: dt.date) -> str:
    if last_seen is None:
        return "hold"
    age = (as_of - last_seen).days
    if age > STALE_DAYS:
        return "hold"
    for lowest, recent, within_year in RING_RULE:
        if (relevancy or 0) >= lowest:
            return recent if age <= RECENT_DAYS else within_year
    return "hold"


def is_new(first_seen: dt.date | None, as_of: dt.date) -> bool:
    return first_seen is not None and (as_of - first_seen).days <= NEW_DAYS


def quadrant_names(categories: list[str]) -> list[str]:
    """The quadrants for these items' categories (one entry per item), most used first."""
    counts = Counter(categories)
    ordered = sorted(counts, key=lambda name: (-counts[name], name.casefold()))
    if len(ordered) <= QUADRANTS:
        return ordered
    return [*ordered[: QUADRANTS - 1], OTHER]


def quadrant_of(category: str, names: list[str]) -> int:
    return names.index(category) if category in names else names.index(OTHER)
