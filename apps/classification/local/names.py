"""The rules a finding's name must pass, and what a name is made of.

A finding is named by a noun phrase of phrases.py. `problem(name)` says why a phrase cannot
be a name, or returns "" when it can; `topicality` scores how much a phrase is what the page
is about; `english` says whether a page can be read with the English cues at all.
"""

import math
from functools import lru_cache
from pathlib import Path

from .phrases import CLOSED, Phrase, tokens, word_kind
from .text import fold

MIN_NAME_WORDS = 2


MAX_NAME_WORDS = 7


DATA = Path(__file__).parent / "data"


# Words too vague to name a finding: a name needs a noun outside these. Common but
# meaningful nouns ("car", "price", "market", "game") are not here: "Car prices" and "Cloud
# game streaming" are names, while "Company data" and "People" are not.
GENERIC_NOUNS = frozenset(
    "people person persons man men woman women child children kid kids guy guys folk folks"
    " company companies firm firms business businesses organisation organization group groups"
    " team teams data information thing things stuff way ways time times year years day days"
    " week weeks month months decade decades hour hours minute minutes moment moments era"
    " period money cash number numbers lot part parts kind kinds sort sorts type types piece"
    " pieces bit bits case cases fact facts point points area areas place places world"
    " country countries state states nation nations region regions government governments"
    " official officials version versions member members side sides end start result results"
    " effect effects issue issues problem problems question questions idea ideas reason"
    " reasons example examples level levels form forms order change changes news story"
    " stories report reports article articles statement plan plans deal deals move moves step"
    " steps effort efforts use uses percent percentage share shares amount amounts rate rates"
    " figure figures value values thing everything something anything attention interest"
    " impact situation process approach aspect factor factors feature features option options"
    " source sources someone anyone everyone category categories list lists top yesterday"
    " today tomorrow company's people's week's year's spokesperson spokesman spokeswoman"
    " website page pages site sites degree degrees extent range morning evening night"
    " afternoon weekend tonight season seasons".split()
)


# A name's last word is never one of these: a figure or a span of time is not a finding.
UNITS = frozenset(
    "percent per cent % thousand thousands million millions billion billions trillion dollar"
    " dollars euro euros pound pounds yen yuan usd eur gbp kilometre kilometres kilometer"
    " kilometers km mile miles metre metres meter meters kg kilogram kilograms tonne tonnes"
    " ton tons gram grams litre litres liter liters gallon gallons second seconds minute"
    " minutes hour hours day days week weeks month months year years decade decades century"
    " centuries times point points gb mb tb kb ghz mhz mph kwh mw gw".split()
)


def content_words(words: tuple[str, ...] | list[str]) -> list[str]:
    return [w for w in words if word_kind(w) not in {"closed", "num", "punct"}]


def problem(name: str, names_allowed: bool = False) -> str:
    """Why `name` cannot name a finding ("" when it can): each rule is one of these words.

    too-short    fewer than two content words ("People", "The company", "Billion");
    too-long     more than seven words;
    edge         it starts or ends on a closed-class word, a number or a mark ("And", "The");
    entity       every content word is a name: a lone person, company or place ("Kylie
                 Jenner", "New York", "Apple");
    generic      every content word is too general ("Company data"), or no common noun is
                 specific ("Holding people", "Seoul plans", "Alibaba spokesperson");
    unit         it ends on a unit, an amount or a span of time ("Two billion dollars");
    verb         it ends on a verb or adverb ("Prices rose");
    head         it ends on an adjective ("Risk free").

    `names_allowed` lifts the entity rule, for curated technology names ("LoRA (Low-Rank
    Adaptation)").
    """
    toks = tokens(name)
    words = [t for t in toks if t.kind != "punct" or t.text in "-&/"]
    if not words:
        return "too-short"
    if len(words) > MAX_NAME_WORDS:
        return "too-long"
    if words[0].kind in {"closed", "num", "punct"} or words[-1].kind in {"closed", "num", "punct"}:
        return "edge"
    content = [t for t in words if t.kind not in {"closed", "num", "punct"}]
    if len(content) < MIN_NAME_WORDS:
        return "too-short"
    if not names_allowed and all(t.text[:1].isupper() for t in content):
        return "entity"
    if not names_allowed and len(words) >= 2 and all(t.kind == "propn" for t in words[-2:]):
        return "entity"  # "Actress Mary Steenburgen", "Last season in Oklahoma City Thunder"
    if all(generic(t.text) for t in content):
        return "generic"
    if not names_allowed and not any(t.kind == "noun" and not vague(t.text) for t in content):
        return "generic"  # "Holding people", "Seoul plans": no specific common noun
    head = words[-1]
    if head.lower in UNITS:
        return "unit"
    if head.kind in {"verb", "adv"}:
        return "verb"
    if head.kind == "adj":
        return "head"
    return ""


def good(name: str) -> bool:
    return not problem(name)


@lru_cache(maxsize=50_000)
def vague(word: str) -> bool:
    """A noun too vague to carry a name ("people", "company", "data")."""
    lower = word.lower().replace("\u2019", "'")
    return lower in GENERIC_NOUNS or fold(lower) in GENERIC_NOUNS


@lru_cache(maxsize=50_000)
def generic(word: str) -> bool:
    lower = word.lower().replace("\u2019", "'")
    return lower in GENERIC_NOUNS or fold(lower) in GENERIC_NOUNS or fold(lower) in _generic_file()


@lru_cache(maxsize=1)
def _generic_file() -> frozenset[str]:
    lines = (DATA / "generic.txt").read_text(encoding="utf-8").splitlines()
    words = (word for line in lines if not line.startswith("#") for word in line.split())
    return frozenset(fold(word) for word in words)


def topicality(phrase: Phrase, frequency) -> float:
    """How much the phrase is what the page is about: the mean log count of its content
    words in the page (`frequency(folded word) -> count`), generic words counting zero."""
    counts = [
        0.0 if generic(t.text) else math.log1p(frequency(fold(t.text)))
        for t in phrase.tokens
        if t.content
    ]
    return sum(counts) / len(counts) if counts else 0.0


ENGLISH_SHARE = 0.15


def english(words: list[str], language: str = "") -> bool:
    """The cues and the lexicon are English: a page is read for findings when its language is
    English or unknown and at least ENGLISH_SHARE of its words are English closed-class words
    (an English text has about two in five; German, Portuguese or Indonesian almost none)."""
    if language and not language.lower().startswith("en"):
        return False
    if not words:
        return False
    return sum(word in CLOSED for word in words) >= ENGLISH_SHARE * len(words)


def as_name(text: str) -> str:
    """A phrase as a name: spacing tidied, the first letter a capital."""
    text = " ".join(text.split()).strip(" ,;:-")
    return text[:1].upper() + text[1:]
