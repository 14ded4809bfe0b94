"""The page as the local classifier reads it: sentences, folded words, n-gram counts."""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from ..base import Page

# Longer pages are read up to here: the opening of a page carries most of what it is about,
# and the cost of keyword extraction grows with the length.
MAX_TEXT_CHARS = 30_000
# Phrases (keyphrases, theme names) are counted up to this many words.
MAX_NGRAM = 4

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_SENTENCE_END = re.compile(r"([.!?\u2026]+)([\"')\]\u201d\u2019]*)(\s+)")
_OPENERS = "\"'([\u201c\u2018"
# Words that end in a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc e.g i.e inc ltd co corp no fig al approx dept est gen gov"
    " sen rep rev mt ft jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n"
    " cf ca op vol pp".split()
)


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    words: tuple[str, ...]  # folded: lower case, simple singular


@dataclass
class Document:
    page: Page
    title: str
    text: str
    sentences: list[Sentence]
    words: list[str]
    ngrams: Counter = field(default_factory=Counter)
    title_words: frozenset[str] = frozenset()

    @property
    def host(self) -> str:
        return (urlsplit(self.page.url).hostname or "").lower().removeprefix("www.")

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path.lower()


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Lower case and a simple singular: "Models" -> "model", "cities" -> "city".

    Deliberately light (no stemmer): it is used to match names a person wrote, where
    "policy" and "police" must stay apart.
    """
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words_of(text: str) -> list[str]:
    """Folded words; hyphens and slashes separate words ("open-source" -> "open", "source")."""
    return [fold(word) for word in _WORD.findall(text)]


def split_sentences(text: str) -> list[str]:
    """Sentences by end punctuation followed by a capital, a digit or a quote; lines too.

    Abbreviations ("Dr.", "U.S.") and initials ("J. Smith") do not end a sentence.
    """
    sentences: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        start = 0
        for match in _SENTENCE_END.finditer(line):
            after = line[match.end() : match.end() + 1]
            if not after or not (after.isupper() or after.isdigit() or after in _OPENERS):
                continue
            if match.group(1) == "." and _is_abbreviation(line[start : match.start()]):
                continue
            sentences.append(line[start : match.end(2)].strip())
            start = match.end()
        if line[start:].strip():
            sentences.append(line[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _is_abbreviation(before: str) -> bool:
    parts = before.rsplit(None, 1)
    if not parts:
        return False
    word = parts[-1].lstrip(_OPENERS).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def read(page: Page) -> Document:
    """Split the page once; every field extractor works from the result."""
    text = page.text[:MAX_TEXT_CHARS]
    sentences = [
        Sentence(index, sentence, tuple(words_of(sentence)))
        for index, sentence in enumerate(split_sentences(text))
    ]
    words = [word for sentence in sentences for word in sentence.words]
    title = " ".join(page.title.split())
    ngrams: Counter = Counter()
    for size in range(1, MAX_NGRAM + 1):
        for sentence in sentences:
            sw = sentence.words
            ngrams.update(sw[i : i + size] for i in range(len(sw) - size + 1))
    return Document(
        page=page,
        title=title,
        text=text,
        sentences=sentences,
        words=words,
        ngrams=ngrams,
        title_words=frozenset(words_of(title)),
    )
