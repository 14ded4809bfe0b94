"""Themes: approved ones by name and by meaning; otherwise pending or new proposals.

1. **By name.** An approved theme is assigned when one of its names (or aliases) is in the
   title, is or is inside one of the keyphrases, occurs twice in the text, or once if it has
   two words or more. Names are compared folded (text.fold): case, spacing, hyphens and simple
   plurals do not matter ("LLMs" matches the alias "LLM").
2. **By meaning.** An approved theme is also assigned when its WordLlama vector (name or
   alias, whichever is closer) is similar enough to the page's (title and text) or to one of
   its keyphrases: `PAGE_SIMILARITY`, `PHRASE_SIMILARITY` (meaning.py).
3. **Pending proposals.** When no approved theme fits, the themes already proposed to editors
   (`Vocabulary.proposed`) that are named on the page, or that mean the same as one of its
   keyphrases of two words or more (`MERGE_SIMILARITY`), are reused by their exact name.
4. **New proposals.** When nothing fits, up to three good keyphrases of the page, or a broad
   topic (proposals.py).

Every theme comes with a confidence in 0..1 (`Match.confidence`); findings get their own
themes from their own text (`for_findings`).
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..base import Vocabulary
from ..limits import MAX_THEMES
from . import meaning
from .keywords import Keyphrase
from .proposals import MAX_PROPOSALS, MERGE_SIMILARITY, Match, page_vector, propose
from .text import MAX_NGRAM, Document, words_of

__all__ = ["MERGE_SIMILARITY", "Match", "annotate", "assign", "choose", "for_findings", "propose"]

STRONG = 3
# Cosine similarities of WordLlama vectors (see docs/classification.md for how they were set).
PAGE_SIMILARITY = 0.24  # the page (title and text) and a theme name
PHRASE_SIMILARITY = 0.55  # the title or one keyphrase and a theme name
FINDING_FLOOR = 0.1  # a finding's own text and the closest of its page's themes
FINDING_MARGIN = 0.05  # ... and others of its page's themes nearly as close
FINDING_SIMILARITY = 0.35  # a finding's own text and an approved theme its page lacks
MAX_BY_MEANING = 3
MAX_FINDING_THEMES = 3
# Confidences: a name in the title or a keyword, a name in the text, the range of a match by
# meaning, and a pending proposal reused.
BY_TITLE, BY_TEXT = 0.95, 0.8
MEANING_FLOOR, MEANING_CEILING = 0.45, 0.8
PENDING = 0.4


@dataclass(frozen=True)
class _Term:
    theme: str
    order: int
    words: tuple[str, ...]


@lru_cache(maxsize=32)
def _terms(themes: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[_Term, ...]:
    terms = []
    for order, (name, aliases) in enumerate(themes):
        for spelling in (name, *aliases):
            words = tuple(words_of(spelling))
            if words:
                terms.append(_Term(name, order, words))
    return tuple(terms)


def assign(document: Document, keyphrases: list[Keyphrase], vocabulary: Vocabulary) -> list[str]:
    """The names of `choose`, best first (approved, or proposals when none fits)."""
    return [match.name for match in choose(document, keyphrases, vocabulary)]


def choose(
    document: Document,
    keyphrases: list[Keyphrase],
    vocabulary: Vocabulary,
    candidates: list[Keyphrase] | None = None,
) -> list[Match]:
    """Approved themes that fit; else pending proposals that fit; else new proposals.

    `keyphrases` are the page's best (its keywords); `candidates` the longer list new
    proposals are drawn from (the keyphrases when not given).
    """
    approved = _fitting(document, keyphrases, vocabulary.themes)
    if approved:
        return approved[:MAX_THEMES]
    reused = _pending(document, keyphrases, vocabulary.proposed)
    if reused:
        return reused[:MAX_PROPOSALS]
    return propose(document, candidates if candidates is not None else keyphrases, vocabulary)


def _pending(document, keyphrases, proposed: tuple[str, ...]) -> list[Match]:
    """Pending proposals named on the page, or meaning the same as one of its keyphrases of
    two words or more (`MERGE_SIMILARITY`): a stricter test than for approved themes, since a
    proposal is only a phrase of another page."""
    if not proposed:
        return []
    themes = tuple((name, ()) for name in proposed)
    matches = [Match(m.name, PENDING, False) for m in _by_name(document, keyphrases, themes)]
    phrases = [phrase.text for phrase in keyphrases if len(phrase.words) > 1]
    if phrases:
        scores = meaning.similarities(
            meaning.embed_cached([p.lower() for p in phrases]),
            meaning.embed_cached([name.lower() for name in proposed]),
        )
        for index in np.flatnonzero(scores.max(axis=0) >= MERGE_SIMILARITY):
            if all(match.name != proposed[index] for match in matches):
                matches.append(Match(proposed[index], PENDING, False))
    return matches


def _fitting(
    document: Document,
    keyphrases: list[Keyphrase],
    themes: tuple[tuple[str, tuple[str, ...]], ...],
) -> list[Match]:
    """Themes named on the page, then those close in meaning to the page or to its title or
    one of its keyphrases."""
    if not themes:
        return []
    by_name = _by_name(document, keyphrases, themes)
    named = {match.name for match in by_name}
    by_meaning = [m for m in _by_meaning(document, keyphrases, themes) if m.name not in named]
    return by_name + by_meaning[:MAX_BY_MEANING]


def _by_name(document, keyphrases, themes) -> list[Match]:
    strong_spans = _spans(tuple(words_of(document.title)))
    for phrase in keyphrases:
        strong_spans |= _spans(phrase.words)
    evidence: dict[str, tuple[int, int, bool]] = {}
    for term in _terms(themes):
        count = _count(document, term.words)
        strong = term.words in strong_spans
        if not (strong or count >= 2 or (count and len(term.words) > 1)):
            continue
        score = STRONG * strong + count
        best = evidence.get(term.theme, (0, term.order, False))
        evidence[term.theme] = (max(best[0], score), term.order, best[2] or strong)
    ranked = sorted(evidence.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [Match(theme, BY_TITLE if strong else BY_TEXT) for theme, (_, _, strong) in ranked]


def _by_meaning(document, keyphrases, themes) -> list[Match]:
    names, vectors = _theme_vectors(themes)
    page = page_vector(document)
    page_scores = _best_per_theme(meaning.similarities(page, vectors)[0], names)
    phrases = [document.title, *(phrase.text for phrase in keyphrases)]
    phrase_vectors = meaning.embed_cached([p for p in phrases if p.strip()])
    phrase_scores = _best_per_theme(
        meaning.similarities(phrase_vectors, vectors).max(axis=0, initial=-1.0), names
    )
    matches = []
    for name in dict.fromkeys(names):
        lift = max(
            _lift(page_scores[name], PAGE_SIMILARITY), _lift(phrase_scores[name], PHRASE_SIMILARITY)
        )
        if lift >= 0:
            matches.append(Match(name, _confidence(lift)))
    return sorted(matches, key=lambda match: -match.confidence)


def _lift(similarity: float, threshold: float) -> float:
    """How far above its threshold a similarity is, scaled to 0..1 (negative below it)."""
    return (similarity - threshold) / (1 - threshold)


def _confidence(lift: float) -> float:
    return round(MEANING_FLOOR + (MEANING_CEILING - MEANING_FLOOR) * min(1.0, lift * 2), 3)


def _theme_vectors(themes) -> tuple[list[str], np.ndarray]:
    """One row per spelling (name or alias), labelled with the theme's name."""
    names, spellings = [], []
    for name, aliases in themes:
        for spelling in (name, *aliases):
            if spelling.strip():
                names.append(name)
                spellings.append(spelling)
    return names, meaning.embed_cached(spellings)


def _best_per_theme(scores: np.ndarray, names: list[str]) -> dict[str, float]:
    best: dict[str, float] = {}
    for name, score in zip(names, scores.tolist(), strict=True):
        best[name] = max(best.get(name, -1.0), score)
    return best


def for_findings(
    findings: list[dict], vocabulary: Vocabulary, page_themes: list[Match]
) -> list[list[str]]:
    """Each finding's own themes, from its own text (name, description, change, driving
    force), at most `MAX_FINDING_THEMES`, in this order:

    1. approved themes and the page's proposals named in the text (folded, as for the page);
    2. the page's themes closest in meaning to the finding: the closest one if its similarity
       is at least `FINDING_FLOOR`, and any within `FINDING_MARGIN` of it, so that the
       findings of one page are told apart by theme;
    3. other approved themes at least `FINDING_SIMILARITY` close.
    """
    proposals = tuple((m.name, ()) for m in page_themes if not m.approved)
    themes = tuple(vocabulary.themes) + proposals
    if not findings or not themes:
        return [[] for _ in findings]
    names, vectors = _theme_vectors(themes)
    texts = [_finding_text(finding) for finding in findings]
    scores = meaning.similarities(meaning.embed(texts), vectors)
    terms = _terms(themes)
    on_page = {match.name for match in page_themes}
    result = []
    for text, row in zip(texts, scores, strict=True):
        words = f" {' '.join(words_of(text))} "
        named = [t.theme for t in terms if f" {' '.join(t.words)} " in words]
        best = _best_per_theme(row, names)
        page = sorted((n for n in best if n in on_page), key=lambda n: -best[n])
        close = []
        if page and best[page[0]] >= FINDING_FLOOR:
            close = [n for n in page if best[n] >= best[page[0]] - FINDING_MARGIN]
        others = sorted(
            (n for n in best if n not in on_page and best[n] >= FINDING_SIMILARITY),
            key=lambda n: -best[n],
        )
        result.append(list(dict.fromkeys([*named, *close, *others]))[:MAX_FINDING_THEMES])
    return result


def _finding_text(finding: dict) -> str:
    fields = ("name", "description", "change", "driving_force")
    return ". ".join(str(finding.get(field) or "") for field in fields if finding.get(field))


def annotate(raw: dict, document: Document, phrases: list[Keyphrase], keep: int, vocabulary):
    """Fill `raw` (the dict given to normalise) with themes, their confidences, and each
    finding's own themes."""
    matches = choose(document, phrases[:keep], vocabulary, candidates=phrases)
    raw["themes"] = [match.name for match in matches]
    raw["theme_confidence"] = {match.name: match.confidence for match in matches}
    lists = [raw.get(kind) or [] for kind in ("signals", "behaviors", "technologies", "issues")]
    everything = [finding for items in lists for finding in items]
    for finding, own in zip(everything, for_findings(everything, vocabulary, matches), strict=True):
        finding["themes"] = own
    return raw


def _count(document: Document, words: tuple[str, ...]) -> int:
    if len(words) <= MAX_NGRAM:
        return document.ngrams.get(words, 0)
    joined = " ".join(words)
    return sum(f" {joined} " in f" {' '.join(s.words)} " for s in document.sentences)


def _spans(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every run of consecutive words."""
    return {words[i:j] for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
