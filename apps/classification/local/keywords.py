"""Keywords: YAKE candidates, re-ranked towards short phrases, near-duplicates merged.

YAKE (Campos et al., 2020) scores n-grams by statistics of the text alone (casing, position,
frequency, spread over sentences, context diversity); lower is better. Its plain top ten
leans to three-word phrases seen once; here a longer phrase must earn its place:

1. candidates: YAKE's best `CANDIDATES` n-grams of up to three words;
2. weak candidates dropped: numbers, months and weekdays, units of time, reporting verbs,
   a word repeated within a phrase, and single words too general to stand alone
   (data/generic.txt: "biggest", "story", "show");
3. a phrase of two or more words is kept only if it occurs at least twice in the text or
   is a name there (every word capitalised: "Watkins Glen International"; a title in title
   case does not count);
4. each score is multiplied by `LENGTH_PRIOR` per extra word, and candidates re-sorted;
5. near-duplicates merged: the same stems ("model", "models"), one phrase inside the other
   ("open" in "open models"), or one spelling the other with a fifth of its letters added
   or dropped ("LLaMA", "llaama"; "colour", "color"; never when their digits differ:
   "GPT-3", "GPT-4"; substitutions do not count: "policy", "police"). The better-ranked is kept,
   except that a repeated longer phrase replaces a shorter one inside it, in its place
   ("open models" for "open"): the crowd of the benchmark prefers single words, a reader
   of a record prefers the phrase (docs/classification.md gives the cost of this choice).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
import yake

from .text import Document, fold, words_of

CANDIDATES = 60
MAX_WORDS = 3
LENGTH_PRIOR = 2.0
MIN_PHRASE_COUNT = 2
KEEP = 10
ABSORB = True
GENERIC = True
# Two labels this similar (1 - edits / length of the longer) are one label misspelt.
NEAR_DUPLICATE = 0.8
NEAR_DUPLICATE_MIN_LENGTH = 5

_WEAK = frozenset(
    "january february march april may june july august september october november december"
    " monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow"
    " day week month year decade hour minute second time percent cent"
    " said say says told according added like just also mr mrs ms".split()
)
DATA = Path(__file__).parent / "data"
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Keyphrase:
    text: str
    words: tuple[str, ...]  # folded
    stems: tuple[str, ...]
    score: float  # YAKE's, times the length prior: lower is better
    count: int  # occurrences in the text

    @property
    def is_name(self) -> bool:
        return all(part[:1].isupper() for part in self.text.split())


@lru_cache(maxsize=8)
def _extractor(language: str) -> yake.KeywordExtractor:
    # Jaro at 0.99 keeps YAKE's own deduplication out of the way (ours follows) while still
    # returning each keyword in its original case.
    return yake.KeywordExtractor(
        lan=language, n=MAX_WORDS, top=CANDIDATES, dedup_func="jaro", dedup_lim=0.99
    )


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=8)
def stopwords(language: str = "en") -> frozenset[str]:
    """YAKE's stopwords for the language, also folded as the text is ("does" -> "doe")."""
    words = _extractor(language).stopword_set
    return frozenset(words) | {fold(word) for word in words}


def extract(document: Document, keep: int = KEEP) -> list[Keyphrase]:
    """The document's best keyphrases, best first, without near-duplicates."""
    language = (document.page.language or "en")[:2].lower()
    text = document.text
    if document.title and not text.startswith(document.title):
        text = f"{document.title}.\n{text}"
    candidates = []
    for surface, score in _extractor(language).extract_keywords(text):
        phrase = _candidate(document, surface, score)
        if phrase is not None:
            candidates.append(phrase)
    candidates.sort(key=lambda phrase: phrase.score)
    return merge(candidates, keep)


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    lines = (DATA / "generic.txt").read_text(encoding="utf-8").splitlines()
    words = (word for line in lines if not line.startswith("#") for word in line.split())
    return frozenset(fold(word) for word in words)


def generic(word: str) -> bool:
    """A word too general to be a keyword, or to qualify a finding's name, on its own."""
    return fold(word) in _generic()


def _candidate(document: Document, surface: str, score: float) -> Keyphrase | None:
    words = tuple(words_of(surface))
    if not words or any(word in _WEAK or word.isdigit() for word in words):
        return None
    if len(set(words)) < len(words):  # "word word word" in text without punctuation
        return None
    if len(words) == 1 and GENERIC and generic(words[0]):
        return None
    count = document.ngrams.get(words, 0)
    phrase = Keyphrase(
        text=" ".join(surface.split()),
        words=words,
        stems=tuple(stem(word) for word in words),
        score=float(score) * LENGTH_PRIOR ** (len(words) - 1),
        count=count,
    )
    # A name must show as one in the body, not only in a title written in title case.
    is_name = phrase.is_name and phrase.text in document.text
    if len(words) > 1 and count < MIN_PHRASE_COUNT and not is_name:
        return None
    return phrase


def merge(candidates: list[Keyphrase], keep: int) -> list[Keyphrase]:
    """The best `keep` candidates (sorted best first), each near-duplicate merged away."""
    kept: list[Keyphrase] = []
    for phrase in candidates:
        duplicate = next((i for i, other in enumerate(kept) if same(phrase, other)), None)
        if duplicate is None:
            if len(kept) < keep:
                kept.append(phrase)
        elif ABSORB and _absorbs(phrase, kept[duplicate]):
            kept[duplicate] = phrase
    return _distinct(kept)


def _absorbs(longer: Keyphrase, shorter: Keyphrase) -> bool:
    """A repeated phrase replaces a word it contains: "open models" is better than "open"."""
    return len(longer.words) > len(shorter.words) and longer.count >= MIN_PHRASE_COUNT


def _distinct(phrases: list[Keyphrase]) -> list[Keyphrase]:
    # A phrase that replaced a shorter one can now repeat another kept phrase.
    kept: list[Keyphrase] = []
    for phrase in phrases:
        if not any(same(phrase, other) for other in kept):
            kept.append(phrase)
    return kept


def same(one: Keyphrase, other: Keyphrase) -> bool:
    """Same stems, one inside the other, or one spelling the other with a few letters more."""
    if one.stems == other.stems or _inside(one.stems, other.stems):
        return True
    return near(" ".join(one.words), " ".join(other.words))


def _inside(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    short, long = (one, other) if len(one) < len(other) else (other, one)
    if len(short) == len(long):
        return False
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def near(one: str, other: str) -> bool:
    if min(len(one), len(other)) < NEAR_DUPLICATE_MIN_LENGTH or one[0] != other[0]:
        return False
    longest = max(len(one), len(other))
    allowed = int(longest * (1 - NEAR_DUPLICATE))
    if abs(len(one) - len(other)) > allowed:
        return False
    if [c for c in one if c.isdigit()] != [c for c in other if c.isdigit()]:
        return False
    return _edits(one, other, allowed) <= allowed


def _edits(one: str, other: str, bound: int) -> int:
    """Letters added or dropped to turn one into the other (no substitutions: "policy" and
    "police" are two words, "llama" and "llaama" one), giving up past `bound`."""
    previous = list(range(len(other) + 1))
    for i, char in enumerate(one, 1):
        current = [i]
        for j, other_char in enumerate(other, 1):
            if char == other_char:
                current.append(previous[j - 1])
            else:
                current.append(min(previous[j], current[j - 1]) + 1)
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]
