"""Technologies: known names and acronyms found in the text, and technical keyphrases.

Three sources:

1. the curated list in data/technologies.txt (name and spellings; acronyms matched
   case-sensitively, so "LoRA" the method is not "lora" in some other sense);
2. other acronyms (more than half capitals: "RLHF", "SwiGLU", not "OpenAI") not listed in
   data/acronyms.txt as organisations, roles or units, that occur at least twice and at
   least once in a sentence about software, hardware, models or methods, and that the text
   spells out ("gated linear unit variant (GLUV)"): an acronym it never defines is as likely
   an agency, a company or a unit ("NASA", "FTC", "MWh") as a technique, so it is dropped;
3. keyphrases of two or more words whose head, the last word, names a technical artefact
   ("open source models", "solid-state battery"), when they pass the name rules of
   phrases.py (no lone entity, no generic phrase).

Each is described by the first sentence that mentions it and scored by salience.py. Its
confidence is CATALOGUE_CONFIDENCE for a listed technology, ACRONYM_CONFIDENCE for a
spelled-out acronym, PHRASE_CONFIDENCE for a keyphrase, plus 0.1 when a top-ten keyphrase
names it.
"""

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from . import names, phrases
from .keywords import Keyphrase
from .salience import salience
from .text import Document, Sentence, words_of

DATA = Path(__file__).parent / "data"
KEEP = 8
MIN_ACRONYM_COUNT = 2
CATALOGUE_CONFIDENCE = 0.85
ACRONYM_CONFIDENCE = 0.7
PHRASE_CONFIDENCE = 0.55
HEADS = frozenset(
    "model algorithm chip processor network platform protocol software app robot drone battery"
    " sensor vaccine reactor engine device technique framework database browser headset"
    " satellite turbine printer interface architecture compiler library language-model"
    " pump semiconductor microchip implant prosthetic therapy assistant chatbot"
    " blockchain ledger token encryption printing streaming computing storage charger"
    " scooter reactor".split()
)
NOT_TECHNICAL = frozenset({("business", "model"), ("role", "model"), ("fashion", "model")})
CONTEXT = frozenset(
    "software hardware model algorithm chip processor protocol technique method network platform"
    " data compute computing framework tool api library device sensor battery code programming"
    " training inference app computer server cloud digital technology fine-tuning dataset"
    " benchmark parameter gpu open-source technical engineering".split()
)
_TOKEN = re.compile(r"\w+(?:[-.]\w+)*")
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z][A-Za-z0-9-]{1,9}$")


@dataclass(frozen=True)
class Found:
    name: str
    sentence: Sentence
    count: int
    rank: int | None  # of the best keyphrase that names it
    score: float  # salience
    confidence: float = CATALOGUE_CONFIDENCE


@dataclass(frozen=True)
class _Match:
    """How a technology shows in the text: a case-sensitive token, or folded words."""

    exact: str = ""
    words: tuple[str, ...] = ()

    def in_sentence(self, sentence: Sentence) -> bool:
        if self.exact:
            return bool(re.search(rf"(?<![\w-]){re.escape(self.exact)}s?(?![\w-])", sentence.text))
        return f" {' '.join(self.words)} " in f" {' '.join(sentence.words)} "

    def folded(self) -> tuple[str, ...]:
        return tuple(words_of(self.exact)) if self.exact else self.words


def _exact(spelling: str) -> bool:
    """Spellings matched case-sensitively: no space, and two capitals or a capital and digit."""
    capitals = sum(char.isupper() for char in spelling)
    digits = any(char.isdigit() for char in spelling)
    return " " not in spelling and (capitals >= 2 or (capitals > 0 and digits))


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict[str, str], dict[tuple[str, ...], str], frozenset[str]]:
    exact: dict[str, str] = {}
    folded: dict[tuple[str, ...], str] = {}
    for line in (DATA / "technologies.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *spellings = (part.strip() for part in line.split("|"))
        for spelling in spellings or [name]:
            if _exact(spelling):
                exact[spelling] = name
            else:
                folded[tuple(words_of(spelling))] = name
    lines = (DATA / "acronyms.txt").read_text(encoding="utf-8").splitlines()
    ignored = frozenset(w for line in lines if not line.startswith("#") for w in line.split())
    return exact, folded, ignored


def find(document: Document, keyphrases: list[Keyphrase]) -> list[Found]:
    """The page's technologies, most salient first."""
    exact, folded, ignored = _catalogue()
    counts: Counter = Counter()
    matches: dict[str, list[_Match]] = {}
    acronyms: Counter = Counter()
    for token, count in Counter(_TOKEN.findall(document.text)).items():
        base = token[:-1] if token.endswith("s") and token[:-1] in exact else token
        if base in exact:
            counts[exact[base]] += count
            matches.setdefault(exact[base], []).append(_Match(exact=base))
        elif _ACRONYM.match(token) and _mostly_capitals(token):
            singular = token[:-1] if token.endswith("s") and token[:-1].isupper() else token
            if singular.upper() not in ignored:
                acronyms[singular] += count
    for words, name in folded.items():
        if count := document.ngrams.get(words, 0):
            counts[name] += count
            matches.setdefault(name, []).append(_Match(words=words))

    found = [_found(document, name, matches[name], counts[name], keyphrases) for name in counts]
    for acronym, count in acronyms.items():
        if count >= MIN_ACRONYM_COUNT:
            found.append(_acronym(document, acronym, count, keyphrases))
    english = names.english(document.words, document.page.language or "")
    for phrase in keyphrases if english else []:
        if _technical(phrase):
            name = phrase.text[:1].upper() + phrase.text[1:]
            item = _found(document, name, [_Match(words=phrase.words)], phrase.count, keyphrases)
            if item is not None and names.good(name):
                found.append(replace(item, confidence=PHRASE_CONFIDENCE))
    ranked = sorted(
        (item for item in found if item is not None),
        key=lambda item: (-item.score, item.sentence.index),
    )
    unique: dict[str, Found] = {}
    named = (_named(item, document) if english else _listed(item) for item in ranked)
    for item in filter(None, named):
        if item.rank is not None and item.rank < 10:
            item = replace(item, confidence=round(min(0.95, item.confidence + 0.1), 2))
        unique.setdefault(item.name.casefold(), item)
    return list(unique.values())[:KEEP]


def _listed(item: Found) -> Found | None:
    """On a page not in English, only a listed or spelled-out name of two words or more."""
    return item if names.problem(_plain(item.name), names_allowed=True) == "" else None


def _plain(name: str) -> str:
    return name.replace("(", " ").replace(")", " ")


def _named(item: Found, document: Document) -> Found | None:
    """A name of two words or more: a one-word technology ("Drones", "Quantization") is
    named by the first noun phrase of the page that holds it or a form of it ("delivery
    drones", "4-bit quantized model"), or dropped."""
    if not names.problem(item.name.replace("(", " ").replace(")", " "), names_allowed=True):
        return item
    word = item.name.lower()
    stem = word[: max(5, len(word) - 3)]
    for sentence in document.sentences[item.sentence.index :]:
        if stem not in sentence.text.lower():
            continue
        for phrase in phrases.phrases(sentence.text):
            words = [token.lower for token in phrase.tokens]
            named = len(words) <= 4 and any(w.startswith(stem) for w in words)
            if named and names.good(phrase.text):
                return replace(item, name=names.as_name(phrase.text))
    return None


def _mostly_capitals(token: str) -> bool:
    """ "RLHF", "LoRA", "SwiGLU" are acronyms; "OpenAI", "YouTube", "McDonald" are names."""
    letters = [char for char in token if char.isalpha()]
    return sum(char.isupper() for char in letters) * 2 > len(letters)


def _technical(phrase: Keyphrase) -> bool:
    return (
        len(phrase.words) > 1
        and phrase.words[-1] in HEADS
        and phrase.words[-2:] not in NOT_TECHNICAL
    )


def _found(
    document: Document, name: str, matches: list[_Match], count: int, keyphrases: list[Keyphrase]
) -> Found | None:
    sentence = next((s for s in document.sentences if any(m.in_sentence(s) for m in matches)), None)
    if sentence is None:
        return None
    rank = _rank([m.folded() for m in matches], keyphrases)
    score = salience(rank, sentence.index, len(document.sentences), count)
    return Found(name, sentence, count, rank, score)


def _rank(spellings: list[tuple[str, ...]], keyphrases: list[Keyphrase]) -> int | None:
    """The best rank of a keyphrase that is, or is part of, or contains one of the spellings."""
    for rank, phrase in enumerate(keyphrases):
        text = f" {' '.join(phrase.words)} "
        for words in spellings:
            spelling = f" {' '.join(words)} "
            if spelling in text or text in spelling:
                return rank
    return None


def _acronym(
    document: Document, acronym: str, count: int, keyphrases: list[Keyphrase]
) -> Found | None:
    match = _Match(exact=acronym)
    sentences = [s for s in document.sentences if match.in_sentence(s)]
    if not any(CONTEXT.intersection(s.words) for s in sentences):
        return None
    item = _found(document, acronym, [match], count, keyphrases)
    name = _spelled_out(document.text, acronym)
    if item is None or name == acronym:
        return None
    return replace(item, name=name, confidence=ACRONYM_CONFIDENCE)


def _spelled_out(text: str, acronym: str) -> str:
    """ "low-rank adaptation (LoRA)" -> "Low-rank adaptation (LoRA)"; else the acronym."""
    letters = [char.lower() for char in acronym if char.isupper()]
    match = re.search(rf"((?:[\w]+[\s-]+){{{len(letters)}}})\({re.escape(acronym)}\)", text)
    if match:
        words = re.split(r"[\s-]+", match.group(1).strip())
        if [word[:1].lower() for word in words] == letters:
            phrase = match.group(1).strip()
            return f"{phrase[:1].upper()}{phrase[1:]} ({acronym})"
    return acronym
