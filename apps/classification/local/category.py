"""Category: the publisher's URL section if it names one, else the best-cued category.

Each category has cue words and phrases (data/categories.toml; a category without an entry is
cued by its own name). A category's score is the number of cue occurrences in the text, each
cue in the title counting `TITLE_WEIGHT` more. The best score wins if its cues make at least
`MIN_SHARE` of the page's words; otherwise the page gets the fallback ("others"). A URL path
segment such as "/technology/" decides outright: it is the publisher's own filing.
"""

import tomllib
from functools import lru_cache
from pathlib import Path

from ..cleaning import name_key
from .text import Document, words_of

DATA = Path(__file__).parent / "data" / "categories.toml"
TITLE_WEIGHT = 3
MIN_SHARE = 0.012
FALLBACKS = ("others", "other")
# A publisher's section is near certain; the fallback says nothing was cued.
BY_SECTION = 0.9
FALLBACK_CONFIDENCE = 0.2


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[frozenset[tuple[str, ...]], frozenset[str]]]:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return {
        name_key(name): (
            frozenset(tuple(words_of(cue)) for cue in entry.get("words", "").split()),
            frozenset(entry.get("sections", "").split()),
        )
        for name, entry in raw.items()
    }


@lru_cache(maxsize=32)
def _cues(categories: tuple[str, ...]) -> list[tuple[str, frozenset, frozenset]]:
    lexicon = _lexicon()
    cues = []
    for category in categories:
        key = name_key(category)
        if key in FALLBACKS:
            continue
        words, sections = lexicon.get(key, (frozenset({tuple(words_of(category))}), frozenset()))
        cues.append((category, words, sections | {key.replace(" ", "-")}))
    return cues


def choose(document: Document, categories: tuple[str, ...]) -> str:
    return decide(document, categories)["category"]


def decide(document: Document, categories: tuple[str, ...]) -> dict:
    """{"category": name, "category_confidence": 0..1} for the page."""
    if not categories:
        return {"category": "", "category_confidence": 0.0}
    cues = _cues(categories)
    segments = [segment for segment in document.path.split("/") if segment]
    for category, _, sections in cues:
        if any(segment in sections for segment in segments[:-1]):
            return {"category": category, "category_confidence": BY_SECTION}
    title = words_of(document.title)
    scores = {}
    for category, words, _ in cues:
        score = sum(document.ngrams.get(cue, 0) for cue in words)
        score += TITLE_WEIGHT * sum((word,) in words for word in title)
        scores[category] = score
    best = max(scores, key=lambda name: scores[name], default="")
    best_score = scores.get(best, 0)
    share = best_score / max(len(document.words), 1)
    if best and best_score and share >= MIN_SHARE:
        # Half from how much of the cue evidence the winner holds, half from how dense it is.
        held = best_score / sum(scores.values())
        confidence = 0.5 * held + 0.5 * min(1.0, share / (3 * MIN_SHARE))
        return {"category": best, "category_confidence": round(confidence, 3)}
    fallback = _fallback(categories) or best or categories[0]
    return {"category": fallback, "category_confidence": FALLBACK_CONFIDENCE}


def _fallback(categories: tuple[str, ...]) -> str:
    for category in categories:
        if name_key(category) in FALLBACKS:
            return category
    return ""
