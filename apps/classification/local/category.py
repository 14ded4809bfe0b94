"""Category: the publisher's URL section if it names one, else cue counts plus meaning.

A URL path segment such as "/technology/" decides outright: it is the publisher's own
filing. Otherwise every category gets

    score = CUE_WEIGHT * (cue occurrences / page words) / MIN_SHARE + similarity

- cue occurrences: the category's cue words and phrases (data/categories.toml; a category
  without an entry is cued by its own name) counted in the text, each cue word in the title
  counting `TITLE_WEIGHT`;
- similarity: the cosine between the page's vector and the category's (WordLlama, meaning.py):
  the page's is the count-weighted mean of its content words' vectors (title words count
  `TITLE_WEIGHT` more), the category's the mean of its cue words and of the content words of
  its team-written `about` sentences; both are centred on the mean of the categories'
  vectors, so what every category shares does not count.

The best score wins; a page with no cue and no content word gets "others". "others" has
no cues, only `about` sentences (sport, leisure, travel). The confidence is the winner's
softmax share of the scores (`SHARPNESS`), 0.9 for a URL section.
"""

import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..cleaning import name_key
from . import meaning
from .keywords import stopwords
from .text import Document, words_of

DATA = Path(__file__).parent / "data" / "categories.toml"
TITLE_WEIGHT = 3
MIN_SHARE = 0.012
CUE_WEIGHT = 0.2
SHARPNESS = 10.0
FALLBACKS = ("others", "other")
# A publisher's section is near certain.
BY_SECTION = 0.9


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[frozenset[tuple[str, ...]], frozenset[str], tuple[str, ...]]]:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return {
        name_key(name): (
            frozenset(tuple(words_of(cue)) for cue in entry.get("words", "").split()),
            frozenset(entry.get("sections", "").split()),
            tuple(line.strip() for line in entry.get("about", "").splitlines() if line.strip()),
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
        words, sections, _ = lexicon.get(
            key, (frozenset({tuple(words_of(category))}), frozenset(), ())
        )
        cues.append((category, words, sections | {key.replace(" ", "-")}))
    return cues


@lru_cache(maxsize=32)
def _prototypes(categories: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Each category's unit vector, centred, and the centre."""
    lexicon, stop = _lexicon(), stopwords("en")
    vectors = []
    for category in categories:
        cue_words, _, about = lexicon.get(name_key(category), (frozenset(), frozenset(), ()))
        words = [" ".join(cue) for cue in sorted(cue_words)]
        words += [w for line in about for w in words_of(line) if _content(w, stop)]
        vectors.append(meaning.embed_cached(words or [category]).mean(axis=0))
    matrix = np.stack(vectors)
    centre = matrix.mean(axis=0)
    return _unit(matrix - centre), centre


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
    scores = CUE_WEIGHT * _cue_shares(document, categories, cues) / MIN_SHARE
    scores += _similarities(document, categories)
    if not scores.any():  # nothing to go by: an empty page
        return {"category": _fallback(categories) or categories[0], "category_confidence": 0.0}
    best = int(scores.argmax())
    shares = np.exp(SHARPNESS * (scores - scores[best]))
    confidence = float(shares[best] / shares.sum())
    return {"category": categories[best], "category_confidence": round(confidence, 3)}


def _cue_shares(document: Document, categories, cues) -> np.ndarray:
    title = words_of(document.title)
    by_name = {}
    for category, words, _ in cues:
        score = sum(document.ngrams.get(cue, 0) for cue in words)
        score += TITLE_WEIGHT * sum((word,) in words for word in title)
        by_name[category] = score
    total = max(len(document.words), 1)
    return np.array([by_name.get(category, 0) / total for category in categories])


def _similarities(document: Document, categories: tuple[str, ...]) -> np.ndarray:
    stop = stopwords("en")
    counts = Counter(word for word in document.words if _content(word, stop))
    for word in words_of(document.title):
        if word in counts:
            counts[word] += TITLE_WEIGHT
    if not counts:
        return np.zeros(len(categories))
    prototypes, centre = _prototypes(categories)
    words = list(counts)
    weights = np.array([counts[word] for word in words], dtype=np.float32)
    page = (meaning.embed_cached(words) * weights[:, None]).sum(axis=0) / weights.sum()
    return prototypes @ _unit(page - centre)


def _content(word: str, stop: frozenset[str]) -> bool:
    return word.isalpha() and len(word) > 2 and word not in stop


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _fallback(categories: tuple[str, ...]) -> str:
    for category in categories:
        if name_key(category) in FALLBACKS:
            return category
    return ""
