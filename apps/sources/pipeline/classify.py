"""The classify stage's interface, and the minimal classifier it runs until a full one lands.

A classifier takes the extracted page and returns machine values for the source. The
minimal one gives a title and keywords (frequent content words and word pairs) so the
pipeline is whole end to end.
"""

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

_WORD = re.compile(r"[^\W\d_][\w'-]{2,}", re.UNICODE)
# A short English list: enough to keep "the" and "would" out of keywords.
STOPWORDS = frozenset(
    (Path(__file__).with_name("stopwords.txt")).read_text(encoding="utf-8").split()
)


@dataclass
class PageForClassifier:
    url: str
    title: str
    text: str
    site_name: str = ""


@dataclass
class Classification:
    title: str = ""
    keywords: list[str] = field(default_factory=list)
    classifier: str = ""


class Classifier(Protocol):
    name: str

    def classify(self, page: PageForClassifier) -> Classification: ...


class MinimalClassifier:
    name = "minimal"
    max_keywords = 8

    def classify(self, page: PageForClassifier) -> Classification:
        return Classification(
            title=page.title.strip() or _first_line(page.text),
            keywords=frequent_terms(f"{page.title}\n{page.text}", self.max_keywords),
            classifier=self.name,
        )


def frequent_terms(text: str, limit: int) -> list[str]:
    words = [word.lower() for word in _WORD.findall(text)]
    singles = Counter(word for word in words if word not in STOPWORDS)
    pairs = Counter(
        f"{first} {second}"
        for first, second in itertools.pairwise(words)
        if first not in STOPWORDS and second not in STOPWORDS
    )
    # A pair seen at least twice says more than either word alone.
    scored = [(count * 2.5, term) for term, count in pairs.items() if count >= 2]
    scored += [(float(count), term) for term, count in singles.items() if count >= 2]
    chosen: list[str] = []
    for _score, term in sorted(scored, key=lambda item: (-item[0], item[1])):
        if any(term in kept or kept in term for kept in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


def _first_line(text: str) -> str:
    return next((line.strip()[:200] for line in text.splitlines() if line.strip()), "")


def default_classifier() -> Classifier:
    return MinimalClassifier()
