"""Issues: risks, problems, conflicts and harms, named by a problem word and a specific noun."""

import re

from .. import names as naming
from .. import phrases as np
from ..text import Sentence, fold
from .common import (
    Context,
    Item,
    make_item,
    object_name,
    phrase_after,
)

ISSUE = re.compile(
    r"\b(?:risk\w*|threat\w*|concern\w*|worr(?:y|ies|ied)|problem\w*|danger\w*|harm\w*|"
    r"lawsuits?|sue[sd]?|suing|conflict\w*|crisis|crises|shortages?|vulnerab\w+|breach\w*|"
    r"attack\w*|controvers\w+|critici\w+|warn\w*|fears?|feared|struggl\w+|fail\w*|bias\w*|"
    r"misinformation|disinformation|privacy|bans?|banned|disputes?|tensions?|backlash|"
    r"scandals?|fraud\w*|abuse\w*|exploit\w*|unsafe|illegal\w*|outages?|threaten\w*|"
    r"undermin\w+|inequalit\w+|pollut\w+|accidents?|injur\w+|lack of)\b",
    re.IGNORECASE,
)


# Words that make a noun phrase the name of a problem.
ISSUE_WORDS = frozenset(
    "risk threat danger concern worry fear problem crisis shortage lack vulnerability breach"
    " attack hack leak lawsuit litigation dispute conflict war violence tension backlash"
    " scandal fraud scam abuse misuse exploitation harm injury accident death outage failure"
    " bias discrimination inequality poverty misinformation disinformation propaganda"
    " censorship surveillance pollution contamination emission waste loss layoff"
    " unemployment inflation debt deficit recession shortfall ban sanction tariff fine penalty"
    " addiction burnout erosion disruption collapse decline instability insecurity uncertainty"
    " vulnerability exposure overdose epidemic pandemic outbreak drought flood wildfire"
    " corruption crime theft privacy safety security liability cost".split()
)


# Problem words too general to name an issue without another specific noun: "Higher risk",
# "Top worry", "Degree of risk" are no names; "Engine problems", "Risk of data loss" are.
GENERAL_ISSUE_WORDS = frozenset(
    "risk threat danger concern worry fear problem crisis issue harm lack loss cost failure"
    " tension conflict safety security uncertainty trouble challenge".split()
)


# "risks of X", "concerns about X": the cue and its object name the issue.
ISSUE_CUE = re.compile(
    r"\b(?P<cue>risks?|threats?|dangers?|fears?|concerns?|worries|lack|shortages?|loss|"
    r"losses|misuse|abuse|erosion|harms?|backlash|criticism|vulnerabilit(?:y|ies)|disruption|"
    r"problems?)\s+(?P<prep>of|to|about|over|from|for|against|around|with)\s+",
    re.IGNORECASE,
)


def issue(context: Context, sentence: Sentence, found: list[np.Phrase]) -> Item | None:
    text = sentence.text
    names: list[tuple[str, float]] = []
    for match in ISSUE_CUE.finditer(text):
        target = phrase_after(found, text, match.end())
        names.append((object_name(match.group("cue"), match.group("prep"), target), 0.75))
    headed = [p for p in found if _issue_word(p.tokens[-1].text)]
    qualified = [p for p in found if p not in headed and any(_issue_word(t.text) for t in p.tokens)]
    names.extend((naming.as_name(phrase.text), 0.65) for phrase in headed)
    names.extend((naming.as_name(phrase.text), 0.55) for phrase in qualified)
    names = [(name, conf) for name, conf in names if name and _names_issue(name)]
    return make_item(context, sentence, names)


def _issue_word(word: str) -> bool:
    folded = fold(word)
    return folded in ISSUE_WORDS or folded.removesuffix("s") in ISSUE_WORDS


def _names_issue(name: str) -> bool:
    """The name holds a problem word, and a specific noun besides the general ones."""
    words = re.findall(r"[\w-]+", name)
    if not any(_issue_word(word) for word in words):
        return False
    return any(
        np.word_kind(word, index == 0) == "noun"
        and not naming.vague(word)
        and fold(word).removesuffix("s") not in GENERAL_ISSUE_WORDS
        and fold(word) not in GENERAL_ISSUE_WORDS
        for index, word in enumerate(words)
    )
