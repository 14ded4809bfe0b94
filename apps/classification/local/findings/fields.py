"""A signal's change, 10-year outlook and driving force: only what the text states."""

import re

from .. import names as naming
from .. import phrases as np
from ..text import Document, Sentence, fold
from .common import (
    FIELD_WORDS,
    MAX_WORDS,
    Context,
    cut,
    lowered,
    repeats,
    same,
)

QUANTITY_VERB = re.compile(
    r"\b(?P<verb>grew|rose|increased|jumped|climbed|soared|surged|fell|dropped|declined|"
    r"plunged|doubled|tripled|halved|shrank|expanded|skyrocketed)\b"
    r"(?P<rest>(?:[^.;:!?]|\.(?=\d))*)",
    re.IGNORECASE,
)


CHANGE = re.compile(
    r"\bfrom\s+(?P<old>[^.,;:!?()]{2,60}?)\s+to\s+(?P<new>[^.,;:!?()]{2,60})", re.IGNORECASE
)


FORCE = re.compile(
    r"\b(?:driven by|because of|due to|thanks to|as a result of|fu?ell?ed by|enabled by|"
    r"owing to|spurred by|powered by|propelled by|boosted by|pushed by|amid|on the back of|"
    r"prompted by|caused by|triggered by|helped by|underpinned by|in response to)\s+"
    r"(?P<force>[^.;:!?]{3,200})",
    re.IGNORECASE,
)


DRIVING = re.compile(
    r"\b(?:is|are|has been|have been|was|were)\s+(?:\w+ly\s+)?(?:driving|fu?ell?ing|spurring|"
    r"powering|propelling|pushing)\b",
    re.IGNORECASE,
)


FUTURE = re.compile(
    r"\b(?:will|by (?:19|20)\d\d|in (?:ten|10|five|5|twenty|20|fifteen|15) years|"
    r"within (?:a|the next) decade|in the (?:coming|next) (?:years|decade)|next decade|"
    r"(?:is|are) expected to|(?:is|are) set to|(?:is|are) projected to|forecasts?)\b",
    re.IGNORECASE,
)


LONG_RANGE = re.compile(
    r"\b(?:by (?:19|20)\d\d|in (?:ten|10|five|5|twenty|20|fifteen|15) years|"
    r"within (?:a|the next) decade|in the (?:coming|next) (?:years|decade)|next decade|"
    r"(?:is|are) (?:expected|projected|forecast|predicted|set) to|forecasts?|predicts?)\b",
    re.IGNORECASE,
)


_CLAUSE_END = re.compile(
    r";|:|,\s+(?:and|but|while|whereas|although|though|which|according to)\b|"
    r",\s+(?:\w+\s+){0,3}(?:said|says|say|told|argues|argued|added|noted)\b|\s+\u2014\s+|\s+-\s+",
    re.IGNORECASE,
)


_DATE = re.compile(
    r"^(?:(?:early|late|mid)[- ])?(?:(?:19|20)\d\d|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|today|now|then)\b",
    re.IGNORECASE,
)


def signal_fields(
    context: Context, sentence: Sentence, subject: str, change: str
) -> dict[str, str]:
    text = sentence.text
    change = change or from_to(text) or _quantity(text, subject)
    force = _force(text)
    outlook = _outlook(context.document, sentence, subject)
    values = {"change": change, "ten_year": outlook, "driving_force": force}
    kept: dict[str, str] = {}
    for field, value in values.items():
        if value and not repeats(value, text) and all(not same(value, v) for v in kept.values()):
            kept[field] = value
        else:
            kept[field] = ""
    return kept


def from_to(text: str) -> str:
    """ "from X to Y" where X and Y are things or figures: not two dates ("from 2019 to
    2021"), not two places or people ("from London to Paris"), not an infinitive ("from the
    city to claim a prize")."""
    for match in CHANGE.finditer(text):
        old = cut(match.group("old"), 6)
        new = cut(match.group("new"), 6)
        if not old or not new or (_DATE.match(old) and _DATE.match(new)):
            continue
        if _state(old) and _state(new):
            return f"From {lowered(old)} to {lowered(new)}"
    return ""


def _state(text: str) -> bool:
    """A noun phrase or a figure, not a lone name and not the start of a verb phrase."""
    toks = [t for t in np.tokens(text) if t.kind != "punct"]
    if not toks or any(t.kind in {"verb", "adv"} for t in toks):
        return False
    if any(t.kind == "num" for t in toks):
        return True
    content = [t for t in toks if t.content]
    if not content or all(t.kind == "propn" for t in content):
        return False
    first = toks[0]
    following = toks[1] if len(toks) > 1 else None
    infinitive = "VERB" in np.classes(first.lower) and following is not None
    return not (infinitive and following.kind == "closed")


def _quantity(text: str, subject: str) -> str:
    """ "Subscriptions doubled to 40 million": a trend verb with the figure it states."""
    match = QUANTITY_VERB.search(text)
    if not match or not re.search(r"\d|half|third|quarter", match.group("rest")):
        return ""
    rest = cut(
        match.group("rest").replace('"', " "), FIELD_WORDS - len(subject.split()) - 1, commas=True
    )
    return naming.as_name(f"{subject} {match.group('verb').lower()} {rest}".strip())


def _force(text: str) -> str:
    if match := FORCE.search(text):
        force = cut(match.group("force"), FIELD_WORDS, commas=True)
        if len(force.split()) >= 1 and np.word_kind(force.split()[-1]) not in {"closed"}:
            return naming.as_name(force)
    if match := DRIVING.search(text):
        found = np.phrases(text[: match.start()])
        if found and naming.good(found[-1].text):
            return naming.as_name(found[-1].text)
    return ""


def _outlook(document: Document, sentence: Sentence, name: str) -> str:
    """The forecast clause of the sentence when it is not the whole of it, else a neighbour
    sentence that makes a dated or long-range forecast ("by 2030", "in ten years", "is
    expected to") and names a word of the signal's name."""
    if match := FUTURE.search(sentence.text):
        clause = _clause(sentence.text, match.start())
        if clause and not repeats(clause, sentence.text) and len(clause.split()) >= 4:
            return naming.as_name(clause)
    subject = {fold(w) for w in re.findall(r"\w+", name) if not naming.generic(w)}
    subject -= {fold(w) for w in np.CLOSED}
    index = sentence.index
    for other in document.sentences[max(0, index - 2) : index + 3]:
        if other.index == index or not LONG_RANGE.search(other.text):
            continue
        if subject.intersection(other.words) and len(other.words) <= MAX_WORDS:
            return other.text
    return ""


def _clause(text: str, position: int) -> str:
    """The clause of `text` around `position`: from the previous clause break to the next."""
    start = 0
    for match in _CLAUSE_END.finditer(text):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            return text[start : match.start()].strip(" ,")
    return text[start:].strip(" ,")
