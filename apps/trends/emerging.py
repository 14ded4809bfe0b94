"""Emerging themes: whose share of signals grows fastest, with the figures behind the rank.

The rule (docs/trends.md): take the last RECENT periods up to the "as of" date (its own
period included) and the BASELINE periods before them. For each approved theme, count the
signals carrying it (the explorer's rule) in each window, and the signals in each window.
Shares are smoothed with PRIOR pseudo-signals ((count + 2) / (total + 4), additive smoothing),
so a theme going from 0 to 3 of 100 signals does not outrank one going from 10 to 40 of 100
(without smoothing the first grows infinitely); growth is the recent smoothed share over the
baseline one. Themes with fewer than MINIMUM recent signals
are left out of the ranking (listed as a count) to keep tiny numbers from ranking first.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from apps.knowledge.models import Theme
from apps.trends.periods import bucket_of, shift, truncated
from apps.trends.selectors import as_day, signals_in, theme_signal_counts

DEFAULTS = {
    "week": {"recent": 4, "baseline": 12},
    "month": {"recent": 3, "baseline": 9},
}
DEFAULT_MINIMUM = 3
SHOWN = 25


@dataclass
class Rising:
    theme: Theme
    counts: list[int]  # per bucket, oldest first (baseline then recent)
    recent: int
    baseline: int
    recent_share: float  # smoothed
    baseline_share: float  # smoothed
    growth: float

    @property
    def recent_percent(self) -> float:
        return self.recent_share * 100

    @property
    def baseline_percent(self) -> float:
        return self.baseline_share * 100

    @property
    def new(self) -> bool:
        """Not seen in the baseline window at all."""
        return self.baseline == 0


@dataclass
class Ranking:
    period: str
    buckets: list[dt.date]
    recent_buckets: int
    totals: list[int]  # every signal per bucket
    recent_total: int
    baseline_total: int
    minimum: int
    ranked: list[Rising]
    below_minimum: int


# Pseudo-signals added to each count (and twice to each total); 1 (Laplace) still ranked a
# 0-to-3 newcomer above a 10-to-40 grower in the tests, 2 does not.
PRIOR = 2


def smoothed(count: int, total: int) -> float:
    return (count + PRIOR) / (total + 2 * PRIOR)


def emerging_themes(
    *,
    period: str,
    as_of: dt.date,
    recent: int,
    baseline: int,
    minimum: int = DEFAULT_MINIMUM,
    category=None,
    limit: int = SHOWN,
) -> Ranking:
    """Approved themes ranked by the growth of their smoothed share of signals."""
    last = bucket_of(as_of, period)
    first = shift(last, period, 1 - recent - baseline)
    days = [shift(first, period, step) for step in range(recent + baseline)]
    cleaned = {"start": first, "end": as_of, "category": category}
    totals = _totals(cleaned, period)
    total_per_day = [totals.get(day, 0) for day in days]
    recent_total = sum(total_per_day[baseline:])
    baseline_total = sum(total_per_day[:baseline])
    # A subquery, not a list of ids: SQLite limits the parameters of one statement.
    approved = Theme.objects.filter(status=Theme.Status.APPROVED).values("pk")
    counts = theme_signal_counts(cleaned, approved, period)
    per_theme: dict[int, list[int]] = defaultdict(lambda: [0] * len(days))
    index = {day: i for i, day in enumerate(days)}
    for (pk, day), n in counts.items():
        if day in index and n:
            per_theme[pk][index[day]] = n
    themes = Theme.objects.in_bulk(list(per_theme))
    rows, below = [], 0
    for pk, series in per_theme.items():
        r, b = sum(series[baseline:]), sum(series[:baseline])
        if r < minimum:
            below += 1
            continue
        share_r, share_b = smoothed(r, recent_total), smoothed(b, baseline_total)
        rows.append(Rising(themes[pk], series, r, b, share_r, share_b, share_r / share_b))
    rows.sort(key=lambda row: (-row.growth, -row.recent, row.theme.name.casefold()))
    return Ranking(
        period,
        days,
        recent,
        total_per_day,
        recent_total,
        baseline_total,
        minimum,
        rows[:limit],
        below,
    )


def _totals(cleaned: dict, period: str) -> dict[dt.date, int]:
    rows = signals_in(cleaned).values(bucket=truncated("date", period)).annotate(n=Count("id"))
    return {as_day(row["bucket"]): row["n"] for row in rows}
