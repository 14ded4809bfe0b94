"""One salience score for everything the local classifier ranks, and relevancy from it.

    salience = 0.5 * keyword + 0.3 * position + 0.2 * frequency        (each in 0..1)

keyword: 1 / log2(rank + 2) for the keyphrase that names the item (rank 0 is YAKE's best,
  re-ranked as in keywords.py; 0 when no keyphrase names it): a discounted-gain weight, so the
  first keyphrases count most and the tenth still counts about a third.
position: 1 - index / count of the sentence where the item first appears: openings of news
  and of abstracts state what matters (the lead bias of extractive summarisation).
frequency: occurrences in the text / 3, at most 1: repetition marks a subject, not an aside.

relevancy = 1 + round(4 * salience), rounding half up: 1 (marginal) to 5 (central); at most
  CAPPED (3) when the finding's name is generic or has fewer than two content words
  (names.problem) or its confidence is below CONFIDENT: a 4 or 5 puts a finding on the
  dashboard, and junk never belongs there.
"""

import math

KEYWORD_WEIGHT = 0.5
POSITION_WEIGHT = 0.3
FREQUENCY_WEIGHT = 0.2
FREQUENCY_SATURATION = 3
CAPPED = 3
CONFIDENT = 0.5


def rank_weight(rank: int | None) -> float:
    return 0.0 if rank is None else 1 / math.log2(rank + 2)


def salience(rank: int | None, index: int, sentences: int, count: int) -> float:
    position = 1 - index / max(sentences, 1)
    frequency = min(1.0, count / FREQUENCY_SATURATION)
    return (
        KEYWORD_WEIGHT * rank_weight(rank)
        + POSITION_WEIGHT * position
        + FREQUENCY_WEIGHT * frequency
    )


def relevancy(score: float, name: str = "", confidence: float = 1.0) -> int:
    value = 1 + math.floor(4 * max(0.0, min(1.0, score)) + 0.5)
    if confidence < CONFIDENT or (name and _weak_name(name)):
        return min(value, CAPPED)
    return value


def _weak_name(name: str) -> bool:
    from .names import problem

    return problem(name.replace("(", " ").replace(")", " ")) in {"too-short", "generic", "edge"}
