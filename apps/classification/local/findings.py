"""Signals, issues and behaviors: sentences that state a change, a problem, or a new practice.

A sentence of 6 to 80 words is a candidate for a list when it carries that list's cues:

signals    change and trend: "increasingly", "shift", "rise of", "growing", "more and more",
           "will ...", "by 2030", comparisons over time ("up from", "than ever", "doubled");
issues     risk, problem, conflict: "risk", "threat", "concern", "lawsuit", "shortage",
           "breach", "backlash", "ban", ...;
behaviors  an actor doing something, differently: "researchers are increasingly collaborating",
           "companies switched to", "users turn to" (a subject from ACTORS followed within a
           few words by a practice verb from PRACTICES).

Names: the cue's own phrase when it has one ("Rise of electric bikes", "Shortage of chips",
"Developers fine-tuning models"), for an issue else its problem noun with the word that
qualifies it ("Contamination problem"), else the best keyphrase in the sentence. The description is
the sentence. A signal's change is a "from X to Y" the sentence states, its driving force the
clause after "driven by", "because of", "thanks to" in the sentence, its 10-year
outlook the sentence itself when it looks ahead ("will", "by 2035", "within a decade"), else
a sentence up to two away that does and shares a content word with it; each is empty when
the text gives nothing. Candidates are ranked by salience (salience.py).
"""

import re
from dataclasses import dataclass, replace

from .keywords import Keyphrase, generic
from .salience import salience
from .text import Document, Sentence

KEEP = 5
MIN_WORDS = 6
MAX_WORDS = 80
NAME_WORDS = 4
ALTERNATIVES = 3

SIGNAL = re.compile(
    r"\b(?:increasingly|more and more|a growing number|growing|grows|grew|rising|rise of|"
    r"on the rise|surg\w+|boom\w*|accelerat\w+|shift(?:s|ed|ing)?|trend\w*|emerg\w+|"
    r"(?:is|are) becoming|ha(?:s|ve) become|no longer|for the first time|adoption|"
    r"spread(?:s|ing)?|declin\w+|doubl\w+|tripl\w+|soar\w*|transform\w*|disrupt\w*|"
    r"will (?:be|become|replace|change|transform|make|lead|allow|enable|need)|by 20\d\d|"
    r"in the (?:coming|next) (?:years|decade)|"
    r"over the (?:past|last) (?:\w+ )?(?:years|decade|months)|"
    r"than ever|up from|down from|year[- ]on[- ]year|a year (?:ago|earlier))\b",
    re.IGNORECASE,
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
ACTORS = (
    r"people|users|consumers|customers|developers|researchers|scientists|companies|firms|"
    r"businesses|organi[sz]ations|institutions|employers|employees|workers|students|teachers|"
    r"parents|patients|doctors|governments|cities|communities|individuals|teams|startups|"
    r"brands|retailers|investors|drivers|residents|shoppers|readers|viewers|fans|voters|"
    r"citizens|households|families|young people|teenagers|millennials|engineers|hobbyists|"
    r"creators|artists|farmers|manufacturers|banks|hospitals|schools|universities|labs|"
    r"groups|agencies|countries|nations|makers|providers|publishers|authors|gamers|"
    r"travell?ers|commuters|cyclists|owners|landlords|tenants|members|volunteers|activists|"
    r"regulators|lawmakers|suppliers|buyers|sellers|clients|operators|hobbyists|coders"
)
PRACTICES = (
    r"using|adopting|switching|turning|moving|building|creating|sharing|buying|spending|"
    r"choosing|opting|relying|experimenting|collaborating|leaving|abandoning|avoiding|"
    r"embracing|learning|paying|selling|replacing|investing|flocking|cutting|demanding|"
    r"rejecting|joining|launching|training|deploying|running|fine-tuning|contributing|"
    r"iterating|releasing|hiring|working|started|began|begun|prefer|prefers|preferred|chose|"
    r"choose|opt|opted|rely|relied|turned|switched|moved|stopped|quit|embraced|adopted"
)
BEHAVIOR = re.compile(
    rf"\b(?P<actor>{ACTORS})\b(?:\s+(?:are|were|have|has|had|been|is|now|increasingly|already|"
    rf"also|all|often|more|still|even|quickly|rapidly|who|that)){{0,4}}\s+(?P<practice>{PRACTICES})"
    rf"\b(?P<rest>[^.,;:!?()]*)",
    re.IGNORECASE,
)
SIGNAL_NAME = re.compile(
    r"\b(?P<cue>rise of|growth of|growth in|adoption of|spread of|decline of|decline in|"
    r"shift (?:to|towards|toward|away from)|move (?:to|towards|toward|away from)|"
    r"growing|rising|emerging|increasing)\s+(?P<rest>[^.,;:!?()]+)",
    re.IGNORECASE,
)
ISSUE_NAME = re.compile(
    r"\b(?P<cue>risks? (?:of|to)|threats? (?:of|to)|concerns? (?:about|over)|shortages? of|"
    r"lack of|fears? (?:of|about|over)|dangers? of|backlash against|criticism of)\s+"
    r"(?P<rest>[^.,;:!?()]+)",
    re.IGNORECASE,
)
# "a contamination problem", "the safety risks": the issue noun and the word that qualifies it.
ISSUE_NOUN = re.compile(
    r"\b(?P<qualifier>[a-z][\w-]{3,})\s+(?P<noun>problems?|risks?|threats?|crisis|crises|"
    r"shortages?|concerns?|breach(?:es)?|backlash|scandals?|disputes?|fraud|outages?|bias)\b",
    re.IGNORECASE,
)
CHANGE = re.compile(r"\bfrom\s+(?P<old>[^.,;:!?]{3,60}?)\s+to\s+(?P<new>[^.,;:!?]{3,60})")
FORCE = re.compile(
    r"\b(?:driven by|because of|due to|thanks to|as a result of|fu?ell?ed by|enabled by|"
    r"owing to|spurred by|powered by|because)\s+(?P<force>[^.;:!?]{3,160})",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:will|by 20\d\d|in (?:ten|10|five|5|twenty|20) years|within (?:a|the next) decade|"
    r"in the (?:coming|next) (?:years|decade)|next decade|the future)\b",
    re.IGNORECASE,
)
# A name ends before these words (a clause or a list begins) and never on these.
_STOP_AT = frozenset(
    "that which who because as but while when where and or if than is are was were has have"
    " had will would can could may might should must do does did been being so says said"
    " instead rather looks seems appears means makes remains becomes became gets got".split()
)
_TRAILING = frozenset(
    "the a an of to in on for with by at from its their his her new more most other some".split()
)
# Qualifiers that do not make an issue specific ("the problem", "a major risk").
_VAGUE = frozenset(
    "this that these those their there which what real major main biggest bigger some any"
    " another other such same without about".split()
)


@dataclass(frozen=True)
class Item:
    name: str
    sentence: Sentence
    score: float
    change: str = ""
    ten_year: str = ""
    driving_force: str = ""
    alternatives: tuple[str, ...] = ()  # other names, should this one be taken


def find(document: Document, keyphrases: list[Keyphrase]) -> dict[str, list[Item]]:
    candidates: dict[str, list[Item]] = {"signals": [], "issues": [], "behaviors": []}
    for sentence in document.sentences:
        if not MIN_WORDS <= len(sentence.words) <= MAX_WORDS:
            continue
        if SIGNAL.search(sentence.text):
            item = _item(document, sentence, keyphrases, SIGNAL_NAME)
            if item:
                candidates["signals"].append(_signal(document, item))
        if ISSUE.search(sentence.text):
            item = _item(document, sentence, keyphrases, ISSUE_NAME)
            if item:
                candidates["issues"].append(item)
        if match := BEHAVIOR.search(sentence.text):
            candidates["behaviors"].append(_behavior(document, sentence, keyphrases, match))
    return {kind: _best(items) for kind, items in candidates.items()}


def _best(items: list[Item]) -> list[Item]:
    """The most salient items, one per name; an item whose name is taken tries its others."""
    chosen: dict[str, Item] = {}
    for item in sorted(items, key=lambda item: (-item.score, item.sentence.index)):
        for name in (item.name, *item.alternatives):
            if name.casefold() not in chosen:
                chosen[name.casefold()] = replace(item, name=name, alternatives=())
                break
    return list(chosen.values())[:KEEP]


def _named_by(sentence: Sentence, keyphrases: list[Keyphrase]) -> list[tuple[int, Keyphrase]]:
    """The keyphrases in the sentence, best first."""
    words = f" {' '.join(sentence.words)} "
    return [
        (rank, phrase)
        for rank, phrase in enumerate(keyphrases)
        if f" {' '.join(phrase.words)} " in words
    ]


def _item(
    document: Document, sentence: Sentence, keyphrases: list[Keyphrase], pattern: re.Pattern
) -> Item | None:
    named = _named_by(sentence, keyphrases)
    names = [_capitalise(phrase.text) for _, phrase in named[:ALTERNATIVES]]
    if pattern is ISSUE_NAME and (noun := _issue_noun(sentence.text)):
        names.insert(0, noun)
    if (match := pattern.search(sentence.text)) and (
        cue := _phrase(match.group("cue"), match.group("rest"))
    ):
        names.insert(0, cue)
    if not names:
        return None
    return _scored(document, sentence, named, names)


def _behavior(
    document: Document, sentence: Sentence, keyphrases: list[Keyphrase], match: re.Match
) -> Item:
    cue = f"{match.group('actor')} {match.group('practice')}"
    name = _phrase(cue, match.group("rest")) or _capitalise(cue)
    return _scored(document, sentence, _named_by(sentence, keyphrases), [name])


def _scored(
    document: Document,
    sentence: Sentence,
    named: list[tuple[int, Keyphrase]],
    names: list[str],
) -> Item:
    rank, count = (named[0][0], named[0][1].count) if named else (None, 1)
    score = salience(rank, sentence.index, len(document.sentences), count)
    return Item(names[0], sentence, score, alternatives=tuple(names[1:]))


def _signal(document: Document, item: Item) -> Item:
    text = item.sentence.text
    change = ""
    if match := CHANGE.search(text):
        new = _phrase("", match.group("new"))
        if new:
            change = f"From {match.group('old').strip()} to {new[:1].lower()}{new[1:]}"
    force = ""
    if match := FORCE.search(text):
        force = _capitalise(_clause(match.group("force"), 15))
    return replace(item, change=change, ten_year=_outlook(document, item), driving_force=force)


def _outlook(document: Document, item: Item) -> str:
    """The signal's sentence if it looks ahead, else a neighbour on its subject that does."""
    if FUTURE.search(item.sentence.text):
        return item.sentence.text
    subject = {word for word in item.sentence.words if len(word) > 4}
    index = item.sentence.index
    for sentence in document.sentences[max(0, index - 2) : index + 3]:
        if FUTURE.search(sentence.text) and subject.intersection(sentence.words):
            return sentence.text
    return ""


def _issue_noun(text: str) -> str:
    for match in ISSUE_NOUN.finditer(text):
        qualifier = match.group("qualifier").lower()
        if qualifier not in _VAGUE | _STOP_AT | _TRAILING and not generic(qualifier):
            return _capitalise(f"{match.group('qualifier')} {match.group('noun')}")
    return ""


def _phrase(cue: str, rest: str) -> str:
    """The cue and up to NAME_WORDS words after it, ending before a clause, not on a stopword."""
    words = []
    for word in rest.split():
        if word.lower() in _STOP_AT or len(words) == NAME_WORDS:
            break
        words.append(word)
    while words and words[-1].lower() in _TRAILING:
        words.pop()
    if not words:
        return ""
    return _capitalise(" ".join([*cue.split(), *words]))


def _clause(text: str, limit: int = 12) -> str:
    return " ".join(text.split()[:limit]).rstrip(",;")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
