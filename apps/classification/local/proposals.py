"""New theme proposals: good keyphrases of the page, or a broad topic, merged with names that
mean the same (themes.py decides when to propose; docs/classification.md has the rules).

A proposal is a multi-word topical phrase of the page (`_proposable`: two to four words, no
number, stopword, generic word, verb form or name), on English pages only. A candidate that
means the same as an approved theme or a pending proposal (`MERGE_SIMILARITY`) takes its
name; candidates that mean the same as each other are proposed once. When no keyphrase
qualifies, the broad topic of data/topics.txt closest to the page (`TOPIC_SIMILARITY`).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..base import Vocabulary
from . import meaning
from .keywords import Keyphrase, generic, stopwords
from .text import Document, words_of

DATA = Path(__file__).parent / "data"
MERGE_SIMILARITY = 0.72  # two theme names: the same theme
TOPIC_SIMILARITY = 0.15  # the page and a broad topic of data/topics.txt
MAX_PROPOSALS = 3
PROPOSAL_CANDIDATES = 30
# An English page has at least this share of English stopwords among its words.
ENGLISH_STOPWORD_SHARE = 0.25
# Confidences: a new proposal (at most), and a candidate that turned out an approved theme.
PROPOSED, MERGED_INTO_APPROVED = 0.3, 0.8


@dataclass(frozen=True)
class Match:
    """A theme for a page: its name, a confidence in 0..1, and whether it is approved."""

    name: str
    confidence: float
    approved: bool = True


def page_vector(document: Document) -> np.ndarray:
    """The page's vector, computed once per document."""
    vector = getattr(document, "_meaning", None)
    if vector is None:
        vector = meaning.embed([f"{document.title}. {document.text}"])
        document._meaning = vector
    return vector


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
        confidence = MERGED_INTO_APPROVED if is_approved else round(PROPOSED * (1 - rank / 30), 3)
        chosen.append(Match(name, confidence, approved=is_approved))
        chosen_vectors.append(vector)
        if len(chosen) == MAX_PROPOSALS:
            break
    return chosen


def _topic(document: Document, vocabulary: Vocabulary) -> list[Match]:
    """The broad topic (data/topics.txt) closest to the page, if close enough, under the
    name of an approved theme or pending proposal meaning the same."""
    topics = _topics()
    scores = meaning.similarities(page_vector(document), meaning.embed_cached(topics))[0]
    best = int(scores.argmax())
    if scores[best] < TOPIC_SIMILARITY:
        return []
    name, approved = _merged(topics[best], vocabulary)
    if approved:
        return [Match(name, MERGED_INTO_APPROVED)]
    return [Match(name, round(min(PROPOSED, 2 * PROPOSED * float(scores[best])), 3), False)]


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
