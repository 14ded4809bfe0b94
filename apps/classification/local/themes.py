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
4. **New proposals.** When nothing fits, up to `MAX_PROPOSALS` of the page's keyphrases that
   are good topical phrases (`_proposable`: two to four words, no number, stopword, generic
   word, verb form or name) are proposed, on English pages only. A candidate that means the
   same as an approved theme or a pending proposal takes its name; candidates that mean the
   same as each other are proposed once.
5. **A broad topic.** When no keyphrase qualifies, the topic of data/topics.txt closest to the
   page (`TOPIC_SIMILARITY`), merged the same way.

Every theme comes with a confidence in 0..1 (`Match.confidence`); findings get their own
themes from their own text (`for_findings`).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..base import Vocabulary
from ..limits import MAX_THEMES
from . import meaning
from .keywords import Keyphrase, generic, stopwords
from .text import MAX_NGRAM, Document, words_of

DATA = Path(__file__).parent / "data"
STRONG = 3
# Cosine similarities of WordLlama vectors (see docs/classification.md for how they were set).
PAGE_SIMILARITY = 0.24  # the page (title and text) and a theme name
PHRASE_SIMILARITY = 0.55  # the title or one keyphrase and a theme name
MERGE_SIMILARITY = 0.72  # two theme names: the same theme
FINDING_FLOOR = 0.1  # a finding's own text and the closest of its page's themes
FINDING_MARGIN = 0.05  # ... and others of its page's themes nearly as close
FINDING_SIMILARITY = 0.35  # a finding's own text and an approved theme its page lacks
MAX_BY_MEANING = 3
MAX_PROPOSALS = 3
MAX_FINDING_THEMES = 3
PROPOSAL_CANDIDATES = 30
TOPIC_SIMILARITY = 0.15  # the page and a broad topic of data/topics.txt
# An English page has at least this share of English stopwords among its words.
ENGLISH_STOPWORD_SHARE = 0.25
# Confidences: a name in the title or a keyword, a name in the text, and the range of a
# match by meaning and of a proposal.
BY_TITLE, BY_TEXT = 0.95, 0.8
MEANING_FLOOR, MEANING_CEILING = 0.45, 0.8
PENDING, PROPOSED = 0.4, 0.3


@dataclass(frozen=True)
class Match:
    name: str
    confidence: float
    approved: bool = True


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
    page = _page_vector(document)
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


def _page_vector(document: Document) -> np.ndarray:
    """The page's vector, computed once per document."""
    vector = getattr(document, "_meaning", None)
    if vector is None:
        vector = meaning.embed([f"{document.title}. {document.text}"])
        document._meaning = vector
    return vector


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


def propose(document: Document, keyphrases: list[Keyphrase], vocabulary: Vocabulary) -> list[Match]:
    """Up to MAX_PROPOSALS good keyphrases as proposals, merged with existing names."""
    if not _english(document):
        return []
    candidates = [p for p in keyphrases[:PROPOSAL_CANDIDATES] if _proposable(p, document)]
    if not candidates:
        return _topic(document, vocabulary)
    texts = [_display(phrase) for phrase in candidates]
    vectors = meaning.embed_cached(texts)
    chosen: list[Match] = []
    chosen_vectors: list[np.ndarray] = []
    for rank, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
        name, is_approved = _merged(text, vocabulary)
        if any(match.name == name for match in chosen):
            continue
        if chosen_vectors and max(float(v @ vector) for v in chosen_vectors) >= MERGE_SIMILARITY:
            continue
        confidence = BY_TEXT if is_approved else round(PROPOSED * (1 - rank / 30), 3)
        chosen.append(Match(name, confidence, approved=is_approved))
        chosen_vectors.append(vector)
        if len(chosen) == MAX_PROPOSALS:
            break
    return chosen


def _topic(document: Document, vocabulary: Vocabulary) -> list[Match]:
    """The broad topic (data/topics.txt) closest to the page, if close enough, under the
    name of an approved theme or pending proposal meaning the same."""
    topics = _topics()
    scores = meaning.similarities(_page_vector(document), meaning.embed_cached(topics))[0]
    best = int(scores.argmax())
    if scores[best] < TOPIC_SIMILARITY:
        return []
    name, approved = _merged(topics[best], vocabulary)
    confidence = BY_TEXT if approved else round(PROPOSED * _lift(scores[best], 0) * 2, 3)
    return [Match(name, min(confidence, PROPOSED) if not approved else confidence, approved)]


@lru_cache(maxsize=1)
def _topics() -> list[str]:
    lines = (DATA / "topics.txt").read_text(encoding="utf-8")
    return [line.strip() for line in lines.splitlines() if line.strip() and line[0] != "#"]


def _merged(name: str, vocabulary: Vocabulary) -> tuple[str, bool]:
    """The approved theme or pending proposal meaning the same as `name`, else `name`."""
    approved = [theme for theme, _ in vocabulary.themes]
    known = approved + list(vocabulary.proposed)
    if not known:
        return name, False
    # Compared in lower case: the embeddings tell "Vertical" from "vertical".
    lowered = [known_name.lower() for known_name in known]
    scores = meaning.embed_cached(lowered) @ meaning.embed_cached([name.lower()])[0]
    best = int(scores.argmax())
    if scores[best] >= MERGE_SIMILARITY:
        return known[best], best < len(approved)
    return name, False


def _proposable(phrase: Keyphrase, document: Document) -> bool:
    """A multi-word topical phrase: not a name, a number, a verb phrase or generic words."""
    words = phrase.text.split()
    if not 2 <= len(words) <= 4 or len(phrase.words) != len(words):
        return False
    if not all(_WORDLIKE.fullmatch(word) for word in words):
        return False  # digits, marks, other scripts
    stop = stopwords("en")
    if any(word.lower() in stop for word in words):
        return False  # "center of amsterdam", "declined to comment"
    if any(generic(word) or word in _not_topical() for word in phrase.words):
        return False  # "good team", "dramatic moment"
    if any(_verb_form(word) for word in words):
        return False  # "pleaded guilty", "stay hydrated"
    if all(word.isupper() for word in words):
        return False  # a shouted heading: "GIRLS BASKETBALL", "LOS ANGELES"
    # A capitalised word after the first, unless an acronym, is part of a name ("arrested
    # Webb", "Star Trek film"). A capitalised first word must be an adjective of a people or
    # place ("Israeli settlements", "Swedish investigation") or only open a sentence (the
    # phrase occurs in lower case too): else it is a name ("Neil McCormick", "Larsson justice").
    if any(word[:1].isupper() and not _acronym(word) for word in words[1:]):
        return False
    first = words[0]
    if not first[:1].isupper() or _acronym(first):
        return True
    return first.lower().endswith(_DEMONYM_ENDINGS) or phrase.text.lower() in document.text


_WORDLIKE = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]")
# -ed words that are adjectives in topical phrases ("connected cars", "automated driving").
_ED_ADJECTIVES = frozenset(
    "advanced automated connected distributed decentralised decentralized shared integrated"
    " personalised personalized embedded augmented unmanned networked based red bed seed"
    " speed feed need breed weed".split()
)


@lru_cache(maxsize=1)
def _not_topical() -> frozenset[str]:
    lines = (DATA / "not_topical.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in words_of(line))


_DEMONYM_ENDINGS = ("ian", "ish", "ese", "ean", "ican", "i")


def _verb_form(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("ed") and lower not in _ED_ADJECTIVES and not _acronym(word)


def _acronym(word: str) -> bool:
    """An acronym: "AI", "LLMs", "GPU"; capitals (and a plural s), five at most."""
    core = word[:-1] if word.endswith("s") else word
    return 2 <= len(core) <= 5 and core.isupper()


def _english(document: Document) -> bool:
    """Proposals come from English pages only: the filters above are English."""
    language = (document.page.language or "en")[:2].lower()
    if language != "en":
        return False
    words = [word for word in document.words if word.isalpha()]
    if len(words) < 20:
        return bool(words)
    stop = stopwords("en")
    return sum(word in stop for word in words) / len(words) >= ENGLISH_STOPWORD_SHARE


def _display(phrase: Keyphrase) -> str:
    """Lower case, except acronyms ("AI ethics")."""
    return " ".join(word if _acronym(word) else word.lower() for word in phrase.text.split())


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
