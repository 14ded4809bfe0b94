"""Spelling: a typed word that is not in the base, put right from the words of its names.

A search with few results may hold a misspelt word ("hydorgen"). Each typed word of four
letters or more is compared with the words of the base's names (source titles, finding names,
theme names: the lexicon, kept by each backend) that share enough of its trigrams, and
replaced by the closest one within an edit distance that grows with the word's length,
counting a swap of two neighbouring letters as one edit (Damerau-Levenshtein), since that
is the typo trigrams measure worst: "hydorgen" shares only 5 of 13 trigrams with "hydrogen".
The selectors then search the corrected words and show those results, with a link to search
the words as typed (docs/search.md, "Typos").
"""

import re
from collections.abc import Callable, Iterable

from jellyfish import damerau_levenshtein_distance

from apps.search.query import ParsedQuery, parse

# Words shorter than this are left as typed: too many short words lie one edit apart.
MIN_LENGTH = 4


def max_edits(word: str) -> int:
    """One edit in a word of up to seven letters, two in a longer one."""
    return 1 if len(word) <= 7 else 2


def best_match(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `word` within its edit allowance; None if none is."""
    found = None
    for candidate in candidates:
        if candidate == word:
            return None  # the word is in the base as typed: nothing to put right
        distance = damerau_levenshtein_distance(word, candidate)
        if distance <= max_edits(word) and (found is None or distance < found[0]):
            found = (distance, candidate)
    return found[1] if found else None


def corrected(
    query: ParsedQuery, candidates: Callable[[list[str]], dict[str, list[str]]]
) -> ParsedQuery | None:
    """The query with its misspelt words put right, or None when no word changed.

    `candidates` maps each word to the lexicon's words that share its trigrams, best first:
    one backend query for all the words."""
    words = sorted({word for word in query.words if len(word) >= MIN_LENGTH and word.isalpha()})
    if not words:
        return None
    found = candidates(words)
    fixes = {word: fix for word in words if (fix := best_match(word, found.get(word, ())))}
    if not fixes:
        return None
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, fixes)) + r")\b", re.IGNORECASE)
    return parse(pattern.sub(lambda match: fixes[match.group(0).lower()], query.text))
