"""Main-text extraction quality: shingle precision, recall and F1.

The metric of the article-extraction-benchmark (see ../shared/corpus/README.md): texts are
split into `\\w+` tokens, compared as multisets of 4-token shingles, each page's TP, FP and FN
are normalised to sum to 1 (so long pages weigh no more than short ones), the normalised
counts are averaged over pages, and P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2PR/(P+R).
"""

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4


def tokens(text: str | None) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter:
    """Shingles of `size` tokens; a text shorter than that is one (shorter) shingle."""
    words = tokens(text)
    found = Counter()
    for start in range(max(1, len(words) - size + 1)):
        shingle = tuple(words[start : start + size])
        if shingle:
            found[shingle] += 1
    return found


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


def page_score(truth: str | None, predicted: str | None) -> PageScore:
    """TP, FP and FN of one page's shingles, normalised to sum to 1 (all 0 if both empty)."""
    expected, found = shingles(truth), shingles(predicted)
    tp = fp = fn = 0
    for shingle in expected.keys() | found.keys():
        want, got = expected[shingle], found[shingle]
        tp += min(want, got)
        fp += max(0, got - want)
        fn += max(0, want - got)
    total = tp + fp + fn
    if not total:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class Quality:
    pages: int
    precision: float
    recall: float
    f1: float
    mean_page_f1: float  # the per-page F1s averaged: a second view, not the published figure

    def as_dict(self) -> dict:
        return {
            "pages": self.pages,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "mean_page_f1": round(self.mean_page_f1, 4),
        }


def quality(truth: Mapping[str, str], predicted: Mapping[str, str | None]) -> Quality:
    """Score every page of `truth`; a page missing from `predicted` counts as empty text."""
    scores = [page_score(truth[key], predicted.get(key)) for key in truth]
    count = len(scores) or 1
    tp = sum(score.tp for score in scores) / count
    fp = sum(score.fp for score in scores) / count
    fn = sum(score.fn for score in scores) / count
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return Quality(
        pages=len(scores),
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        mean_page_f1=sum(score.f1 for score in scores) / count,
    )


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0
