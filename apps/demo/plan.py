"""The shape of demo data: proportions and distributions, documented in docs/demo-data.md.

Figures come from the records Spyglass was built on (seeds/, benchmarks/gold/) where they
say something, and are plain guesses written down where they do not.
"""

import itertools
import random
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

# Findings per source of each kind, as a share of --findings-per-source (signals). At
# --findings-per-source 10: 10 signals, 2.5 behaviors, 2.5 technologies, 2.5 issues per
# source on average, so 100,000 sources hold 1,000,000 signals and 750,000 other findings.
KIND_SHARE = {"signals": 1.0, "behaviors": 0.25, "technologies": 0.25, "issues": 0.25}
# Relevancy: most findings are rated 2 or 3, few 5, some not rated (percent).
RELEVANCY = {None: 3, 1: 6, 2: 28, 3: 37, 4: 18, 5: 8}
YEARS = 10
# Themes on a source, 1 to 4 (percent), picked by a Zipf law over the approved themes.
THEMES_PER_SOURCE = {1: 20, 2: 35, 3: 30, 4: 15}
ZIPF_EXPONENT = 1.07
KEYWORDS_PER_SOURCE = (3, 7)
KEYWORDS_PER_THEME = 3  # keyword vocabulary size, relative to --themes
PROPOSED_SHARE = 0.12  # themes waiting for a decision, suggested by a few sources each
SUGGESTION_SHARE = 0.03  # sources that suggested a proposed theme
ALIAS_SHARE = 0.8  # approved themes whose name has a variant spelling get an alias
RELATION_SHARE = 0.2  # "see also" pairs, relative to the approved themes
# Findings with a theme link of their own (besides the themes they carry from the source).
OWN_THEME_SHARE = 0.4
# Provenance: imported records (an editor's work, so reviewed) and classifier output.
IMPORTED_SHARE = 0.25
EDITOR_ADDED_SHARE = 0.04  # of the findings on classified sources
REVIEWED_SHARE = 0.35  # classifier findings an editor has accepted, edited or rated
CATEGORY_WEIGHTS = {
    "technology": 30,
    "social": 14,
    "economic": 13,
    "environmental": 12,
    "business": 9,
    "political": 8,
    "science": 6,
    "city": 4,
    "values": 2,
    "others": 2,
}
TYPE_WEIGHTS = {
    "news": 40,
    "blog-post": 25,
    "report": 10,
    "research-article": 9,
    "opinion": 8,
    "podcast": 3,
    "video": 3,
    "other": 2,
}


class Picker:
    """Weighted draws from a fixed population with precomputed cumulative weights."""

    def __init__(self, rng: random.Random, population: list, weights: list[float]):
        self.rng = rng
        self.population = population
        self.cum = list(itertools.accumulate(weights))

    def one(self):
        return self.rng.choices(self.population, cum_weights=self.cum)[0]

    def distinct(self, count: int) -> list:
        """`count` different items (fewer if the population is smaller), heaviest likeliest."""
        count = min(count, len(self.population))
        chosen: dict = {}
        while len(chosen) < count:
            for item in self.rng.choices(self.population, cum_weights=self.cum, k=count):
                chosen.setdefault(item, None)
        return list(chosen)[:count]


def zipf(rng: random.Random, population: list) -> Picker:
    """Rank r (from 1) drawn with weight 1/r^s: a few items on most rows, a long tail."""
    weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, len(population) + 1)]
    return Picker(rng, population, weights)


def weighted(rng: random.Random, table: dict) -> Picker:
    return Picker(rng, list(table), list(table.values()))


class Clock:
    """Dates over the ten years up to `until`, later ones likelier: a base grows over time."""

    def __init__(self, rng: random.Random, until: date):
        self.rng = rng
        self.end = timezone.make_aware(datetime.combine(until, time(23, 59)), UTC)
        self.span = timedelta(days=365 * YEARS).total_seconds()

    def submitted(self) -> datetime:
        # sqrt of a uniform draw leans towards 1: density grows linearly towards `until`.
        age = self.span * (1 - self.rng.random() ** 0.5)
        return self.end - timedelta(seconds=int(age))

    def later(self, start: datetime, max_days: float) -> datetime:
        return min(self.end, start + timedelta(seconds=int(self.rng.random() * max_days * 86400)))


def split_total(total: int, parts: int, index: int) -> int:
    """The share of `total` for part `index` of `parts`, so the parts add up exactly."""
    return total * (index + 1) // parts - total * index // parts
