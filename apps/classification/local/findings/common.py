"""What the finding kinds share: the finding, its name candidates and text helpers."""

import re
from dataclasses import dataclass

from .. import names as naming
from .. import phrases as np
from ..keywords import Keyphrase
from ..salience import salience
from ..text import Document, Sentence, fold

KEEP = 5


MIN_WORDS = 6


MAX_WORDS = 80


FIELD_WORDS = 14  # a change or driving force is cut to this many words


MAX_FIELD_SHARE = 0.8  # a field longer than this share of the description repeats it


@dataclass(frozen=True)
class Item:
    name: str
    sentence: Sentence
    score: float
    confidence: float = 0.5
    change: str = ""
    ten_year: str = ""
    driving_force: str = ""
    alternatives: tuple[str, ...] = ()  # other names, should this one be taken


@dataclass
class Context:
    document: Document
    keyphrases: list[Keyphrase]
    key_words: frozenset[str]

    def frequency(self, word: str) -> int:
        return self.document.ngrams.get((word,), 0)


def name_key(name: str) -> str:
    return " ".join(fold(word) for word in re.findall(r"\w+", name))


def phrase_after(
    found: list[np.Phrase], text: str, position: int, gap_words: frozenset[str] | None = None
) -> np.Phrase | None:
    """The noun phrase that starts at `position`, past at most two closed-class words (of
    `gap_words`, when given)."""
    for phrase in found:
        start = phrase.tokens[0].start
        if start < position:
            continue
        gap = text[position:start].split()
        allowed = (
            (lambda word: word.lower() in gap_words)
            if gap_words is not None
            else (lambda word: np.word_kind(word) == "closed")
        )
        if len(gap) <= 2 and all(allowed(word) for word in gap):
            return phrase
        return None
    return None


def phrase_before(found: list[np.Phrase], text: str, position: int) -> np.Phrase | None:
    """The noun phrase that ends just before `position`, past auxiliaries and adverbs."""
    for phrase in reversed(found):
        end = phrase.tokens[-1].end
        if end > position:
            continue
        gap = text[end:position].split()
        if len(gap) <= 3 and all(np.word_kind(w) in {"closed", "adv"} for w in gap):
            return phrase
        return None
    return None


def object_name(cue: str, prep: str, phrase: np.Phrase | None) -> str:
    if phrase is None or all(naming.generic(t.text) for t in phrase.tokens if t.content):
        return ""
    return naming.as_name(f"{cue} {prep.lower()} {phrase.text}")


def valid_names(names: list[tuple[str, float]]) -> list[tuple[str, float]]:
    seen: set[str] = set()
    kept = []
    for name, confidence in names:
        if name and naming.good(name) and name_key(name) not in seen:
            seen.add(name_key(name))
            kept.append((name, confidence))
    return kept


def make_item(
    context: Context, sentence: Sentence, names: list[tuple[str, float]], **fields: str
) -> Item | None:
    names = valid_names(names)
    if not names:
        return None
    name, confidence = names[0]
    named = named_by(sentence, context.keyphrases)
    rank, count = (named[0][0], named[0][1].count) if named else (None, 1)
    score = salience(rank, sentence.index, len(context.document.sentences), count)
    name_words = {fold(word) for word in re.findall(r"\w+", name)}
    if name_words & context.key_words:
        confidence += 0.1
    confidence += 0.05 * sum(bool(value) for value in fields.values())
    return Item(
        name,
        sentence,
        score,
        confidence=round(min(0.95, max(0.05, confidence)), 2),
        alternatives=tuple(other for other, _ in names[1:]),
        **fields,
    )


def named_by(sentence: Sentence, keyphrases: list[Keyphrase]) -> list[tuple[int, Keyphrase]]:
    """The keyphrases in the sentence, best first."""
    words = f" {' '.join(sentence.words)} "
    return [
        (rank, phrase)
        for rank, phrase in enumerate(keyphrases)
        if f" {' '.join(phrase.words)} " in words
    ]


def topical_names(context: Context, found: list[np.Phrase]) -> list[tuple[str, float]]:
    """Noun phrases of the sentence that the page is about: one of their content words, not a
    generic one, occurs at least twice in the page, most topical first."""
    scored = []
    for phrase in found:
        repeated = any(
            context.frequency(fold(t.text)) >= 2 and not naming.generic(t.text)
            for t in phrase.tokens
            if t.content
        )
        if repeated:
            scored.append((naming.topicality(phrase, context.frequency), phrase))
    scored.sort(key=lambda pair: -pair[0])
    return [(naming.as_name(phrase.text), 0.45) for _, phrase in scored]


def cut(text: str, limit: int, commas: bool = False) -> str:
    """At most `limit` words, ending before a clause begins and not on a closed-class word."""
    if commas:
        text = re.split(r",|\u2014|\u2013|\s+-\s+|\(", text)[0]
    words: list[str] = []
    for word in text.split():
        if len(words) >= limit or word.lower() in _CLAUSE_WORDS:
            break
        kind = np.word_kind(word.strip("\"',"))
        if words and kind in {"verb", "adv"}:
            break
        if words and words[-1].lower() in {"and", "or"} and kind == "part":
            words.pop()  # "gunshot wounds and called on ...": a second clause
            break
        words.append(word)
    while words and np.word_kind(words[-1].strip("\"'")) in {"closed", "punct"}:
        words.pop()
    return " ".join(words).strip("\"' ")


_CLAUSE_WORDS = frozenset(
    "which that who while but because as when after before since so whereas although".split()
)


def lowered(phrase: np.Phrase | str) -> str:
    text = phrase if isinstance(phrase, str) else phrase.text
    first = text.split()[0] if text.split() else ""
    if first[:1].isupper() and first[1:].islower() and np.word_kind(first, True) != "propn":
        return text[:1].lower() + text[1:]
    return text


def same(one: str, other: str) -> bool:
    return name_key(one) == name_key(other)


def repeats(value: str, description: str) -> bool:
    """A field that is the description, or most of it, repeats it."""
    if same(value, description):
        return True
    inside = name_key(value) in name_key(description)
    return inside and len(value) > MAX_FIELD_SHARE * len(description)
