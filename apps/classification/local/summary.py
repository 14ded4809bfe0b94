"""An extractive summary: the page's most central sentences, in their original order.

Each sentence long enough to stand alone is scored

    0.45 * keyphrase coverage + 0.35 * centroid similarity + 0.20 * position

keyphrase coverage: the rank weights (salience.rank_weight) of the keyphrases whose words all
  occur in the sentence, over the weights of all keyphrases (after Luhn's significant words);
centroid similarity: cosine between the sentence's content words and the page's content-word
  frequencies (Radev et al.'s centroid method);
position: 1 / sqrt(1 + index), the lead bias of news and abstracts.

Each part is scaled to the page's best sentence. Sentences are taken best first, skipping
any that repeats half the content words of one already taken (maximal marginal relevance),
until `SENTENCES` are chosen (`LONG_SENTENCES` for pages of `LONG_PAGE` sentences or more),
then put back in page order.
"""

import math
from collections import Counter

from ..limits import MAX_SUMMARY
from .keywords import Keyphrase
from .salience import rank_weight
from .text import Document, Sentence

SENTENCES = 3
LONG_SENTENCES = 4
LONG_PAGE = 12
MIN_WORDS = 6
MAX_WORDS = 60
MAX_OVERLAP = 0.5
WEIGHTS = (0.45, 0.35, 0.20)


def summarise(document: Document, keyphrases: list[Keyphrase], stopwords: frozenset[str]) -> str:
    candidates = [s for s in document.sentences if _usable(s)]
    if not candidates:
        return document.page.description or " ".join(s.text for s in document.sentences[:3])
    content = {s.index: frozenset(w for w in s.words if w not in stopwords) for s in candidates}
    frequencies = Counter(w for s in candidates for w in s.words if w not in stopwords)
    norm = math.sqrt(sum(count * count for count in frequencies.values())) or 1.0
    phrase_sets = [(frozenset(p.words), rank_weight(rank)) for rank, p in enumerate(keyphrases)]
    total_weight = sum(weight for _, weight in phrase_sets) or 1.0

    parts = []
    for sentence in candidates:
        words = content[sentence.index]
        present = frozenset(sentence.words)
        coverage = sum(weight for phrase, weight in phrase_sets if phrase <= present)
        centroid = sum(frequencies[w] for w in words) / (norm * math.sqrt(len(words) or 1))
        position = 1 / math.sqrt(1 + sentence.index)
        parts.append((coverage / total_weight, centroid, position))
    scales = [max(part[i] for part in parts) or 1.0 for i in range(3)]
    scored = [
        (sum(w * p / s for w, p, s in zip(WEIGHTS, part, scales, strict=True)), sentence)
        for part, sentence in zip(parts, candidates, strict=True)
    ]
    scored.sort(key=lambda item: (-item[0], item[1].index))

    wanted = LONG_SENTENCES if len(document.sentences) >= LONG_PAGE else SENTENCES
    chosen: list[Sentence] = []
    for _, sentence in scored:
        if len(chosen) == wanted:
            break
        if all(_overlap(content[sentence.index], content[c.index]) <= MAX_OVERLAP for c in chosen):
            chosen.append(sentence)
    return _join(sorted(chosen, key=lambda s: s.index))


def _usable(sentence: Sentence) -> bool:
    return (
        MIN_WORDS <= len(sentence.words) <= MAX_WORDS
        and sentence.text[-1:] not in "?:"
        and (sentence.text[:1].isalnum() or sentence.text[:1] in "\"'\u201c(")
    )


def _overlap(one: frozenset[str], other: frozenset[str]) -> float:
    return len(one & other) / (min(len(one), len(other)) or 1)


def _join(sentences: list[Sentence]) -> str:
    text = ""
    for sentence in sentences:
        if text and len(text) + 1 + len(sentence.text) > MAX_SUMMARY:
            break
        text = f"{text} {sentence.text}".strip()
    return text
