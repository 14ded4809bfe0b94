"""Themes: only approved ones, by their names and aliases found in the text and keyphrases.

Names are compared folded (text.fold): case, spacing, hyphens and simple plurals do not
matter, so the alias "LLMs" matches "llm", and the theme "open source" matches
"Open-Source". A theme is assigned when one of its names

- is in the title, or is or is inside one of the keyphrases; or
- occurs twice in the text, or once if the name has two words or more (a specific phrase).

Assigned themes are ordered by evidence: title and keyphrase matches (3 each) plus
occurrences in the text; ties keep the vocabulary's order. A theme the vocabulary does not
approve is never returned: proposing new themes is the LLM classifier's job.
"""

from dataclasses import dataclass
from functools import lru_cache

from ..base import Vocabulary
from ..limits import MAX_THEMES
from .keywords import Keyphrase
from .text import MAX_NGRAM, Document, words_of

STRONG = 3


@dataclass(frozen=True)
class _Term:
    theme: str
    order: int
    words: tuple[str, ...]


@lru_cache(maxsize=32)
def _terms(vocabulary: Vocabulary) -> tuple[_Term, ...]:
    terms = []
    for order, (name, aliases) in enumerate(vocabulary.themes):
        for spelling in (name, *aliases):
            words = tuple(words_of(spelling))
            if words:
                terms.append(_Term(name, order, words))
    return tuple(terms)


def assign(document: Document, keyphrases: list[Keyphrase], vocabulary: Vocabulary) -> list[str]:
    strong_spans = _spans(tuple(words_of(document.title)))
    for phrase in keyphrases:
        strong_spans |= _spans(phrase.words)
    evidence: dict[str, tuple[int, int]] = {}
    for term in _terms(vocabulary):
        count = _count(document, term.words)
        strong = term.words in strong_spans
        if not (strong or count >= 2 or (count and len(term.words) > 1)):
            continue
        score = STRONG * strong + count
        best = evidence.get(term.theme, (0, term.order))
        evidence[term.theme] = (max(best[0], score), term.order)
    ranked = sorted(evidence.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [theme for theme, _ in ranked[:MAX_THEMES]]


def _count(document: Document, words: tuple[str, ...]) -> int:
    if len(words) <= MAX_NGRAM:
        return document.ngrams.get(words, 0)
    joined = " ".join(words)
    return sum(f" {joined} " in f" {' '.join(s.words)} " for s in document.sentences)


def _spans(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every run of consecutive words."""
    return {words[i:j] for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
