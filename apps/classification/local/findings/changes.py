"""Signals: sentences that state a change, and the names of what changes."""

import re

from .. import names as naming
from .. import phrases as np
from ..text import Sentence
from .common import (
    Context,
    Item,
    lowered,
    make_item,
    object_name,
    phrase_after,
    phrase_before,
    topical_names,
    valid_names,
)
from .fields import from_to, signal_fields

SIGNAL = re.compile(
    r"\b(?:increasingly|more and more|a growing number|growing|grows|grew|rising|rise of|"
    r"on the rise|surg\w+|boom\w*|accelerat\w+|shift(?:s|ed|ing)?|trend\w*|emerg\w+|"
    r"(?:is|are) becoming|ha(?:s|ve) become|no longer|for the first time|adoption|"
    r"spread(?:s|ing)?|declin\w+|doubl\w+|tripl\w+|soar\w*|transform\w*|disrupt\w*|"
    r"replac(?:e|es|ed|ing)|overt(?:ake|akes|aking|ook)|outpac\w+|giving way to|"
    r"will (?:\w+ly )?(?:become|replace|change|transform|lead|dominate|overtake|eclipse|"
    r"disappear|grow|rise|fall|decline|shrink|double|triple|halve|surpass|outpace|end|"
    r"reshape|disrupt|displace|spread|accelerate|slow|shift|move|switch)|"
    r"will (?:eventually|soon|increasingly|no longer|never again)|by 20\d\d|"
    r"will\b[^.;!?]*?(?:\d|\b(?:next|coming) (?:year|decade)|\bpercent\b)|"
    r"in the (?:coming|next) (?:years|decade)|"
    r"over the (?:past|last) (?:\w+ )?(?:years|decade|months)|"
    r"than ever|up from|down from|year[- ]on[- ]year|a year (?:ago|earlier)|"
    r"drop(?:s|ped|ping)|f[ae]ll(?:s|ing|en)|ris(?:e|es|en)|rose|climb(?:s|ed|ing)|"
    r"jump(?:s|ed|ing)|plung(?:e|es|ed|ing)|slow(?:s|ed|ing)? down|"
    r"clos(?:e|es|ed|ing) the gap|narrow(?:s|ed|ing)|widen(?:s|ed|ing)|the (?:new )?norm|"
    r"from \S+(?: \S+){0,8} to)\b",
    re.IGNORECASE,
)


# Any other forecast ("the wagon will go on sale") is a weaker cue: such a signal is kept,
# with WEAK_CUE less confidence.
FORECAST = re.compile(r"\bwill (?:\w+ly )?(?!be able\b)\w+", re.IGNORECASE)


WEAK_CUE = 0.15


# "rise of X", "shift to X": the cue and its object name the signal.
# "airlines are shifting to X", "pivoted away from X": a shift named by where it goes.
SHIFT_VERB = re.compile(
    r"\b(?:shift(?:s|ed|ing)?|mov(?:e|es|ed|ing)|switch(?:es|ed|ing)?|pivot(?:s|ed|ing)?|"
    r"migrat(?:e|es|ed|ing)|turn(?:s|ed|ing)?)\s+(?P<prep>to|towards|toward|away from)\s+",
    re.IGNORECASE,
)


SIGNAL_CUE = re.compile(
    r"\b(?P<cue>rise|growth|adoption|spread|decline|emergence|popularity|return|shift|move|"
    r"transition|switch|boom|surge|expansion|proliferation|uptake|demise|resurgence|comeback|"
    r"explosion|democrati[sz]ation|commoditi[sz]ation)\s+(?P<prep>of|in|to|towards|toward|"
    r"away from|from)\s+",
    re.IGNORECASE,
)


TREND_WORDS = frozenset(
    "growing rising emerging increasing declining falling shrinking booming surging soaring"
    " accelerating expanding spreading mounting widening".split()
)


TREND_VERB = re.compile(
    r"\b(?:increasingly|more and more|grow(?:s|ing|n)?|grew|ris(?:e|es|ing)|rose|"
    r"increas(?:e|es|ed|ing)|surg(?:e|es|ed|ing)|soar(?:s|ed|ing)?|doubl(?:e|es|ed|ing)|"
    r"tripl(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|f[ae]ll(?:s|ing|en)?|drop(?:s|ped|ping)|"
    r"shr(?:ink|inks|inking|ank|unk)|spread(?:s|ing)?|accelerat(?:e|es|ed|ing)|"
    r"boom(?:s|ed|ing)?|becom(?:e|es|ing)|became|emerg(?:e|es|ed|ing)|expand(?:s|ed|ing)?|"
    r"jump(?:s|ed|ing)?|climb(?:s|ed|ing)?|plung(?:e|es|ed|ing)|skyrocket(?:s|ed|ing)?|"
    r"tak(?:e|es|ing) off|took off|catch(?:es|ing)? on|caught on|outpac(?:e|es|ed|ing)|"
    r"overt(?:ake|akes|aking|ook)|halv(?:e|es|ed|ing)|no longer|will)\b",
    re.IGNORECASE,
)


# "open-source models are faster", "data quality scales better than data size": a
# comparative after a copula or a verb of change; the subject is what changes.
COMPARATIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|isn't|aren't|becom(?:e|es|ing)|gets?|getting|grow(?:s|ing)?|"
    r"grew|remains?|scales?|runs?|performs?|costs?|looks?)\s+(?:(?:\w+ly|not|now|much|far|even|"
    r"still|ever|already)\s+)*(?P<word>more|less|fewer|[a-z]{3,}er)\b",
    re.IGNORECASE,
)


REPLACING = re.compile(
    r"\b(?P<verb>replac(?:e|es|ed|ing)|overt(?:ake|akes|aking|ook)|displac(?:e|es|ed|ing)|"
    r"supplant(?:s|ed|ing)?|giv(?:e|es|ing) way to|gave way to)\b(?P<by>\s+by)?",
    re.IGNORECASE,
)


def signal(context: Context, sentence: Sentence, found: list[np.Phrase]) -> Item | None:
    text = sentence.text
    names: list[tuple[str, float]] = []
    change = ""
    for match in SIGNAL_CUE.finditer(text):
        if match.group("prep").lower() == "from":
            if shift := from_to(text[match.start("prep") :]):
                names.append((naming.as_name(f"{match.group('cue')} {lowered(shift)}"), 0.8))
            continue
        target = phrase_after(found, text, match.end())
        names.append((object_name(match.group("cue"), match.group("prep"), target), 0.8))
    for match in SHIFT_VERB.finditer(text):
        target = phrase_after(found, text, match.end())
        names.append((object_name("Shift", match.group("prep"), target), 0.75))
    if match := REPLACING.search(text):
        new, old = phrase_before(found, text, match.start()), phrase_after(found, text, match.end())
        if match.group("by") or match.group("verb").lower().startswith(("giv", "gave")):
            new, old = old, new
        if old is not None and re.match(r"\s+with\b", text[old.tokens[-1].end :]):
            # "Apple is replacing the butterfly keyboard with a scissor keyboard": the
            # subject is the agent, the new thing follows "with"
            new = phrase_after(found, text, old.tokens[-1].end + len(" with"))
        if new is not None and old is not None:
            names.append((naming.as_name(f"{new.text} replacing {lowered(old)}"), 0.8))
            names.append((naming.as_name(new.text), 0.7))
            change = f"From {lowered(old)} to {lowered(new)}"
    names.extend(
        (naming.as_name(phrase.text), 0.75)
        for phrase in found
        if phrase.tokens[0].lower in TREND_WORDS
    )
    for match in TREND_VERB.finditer(text):
        if subject := phrase_before(found, text, match.start()):
            names.append((naming.as_name(subject.text), 0.65))
    for match in COMPARATIVE.finditer(text):
        if _comparative(match.group("word")) and (
            subject := phrase_before(found, text, match.start())
        ):
            names.append((naming.as_name(subject.text), 0.55))
    names.extend(topical_names(context, found))
    if not valid_names(names):
        return None
    subject = valid_names(names)[0][0]
    fields = signal_fields(context, sentence, subject, change)
    return make_item(context, sentence, names, **fields)


def _comparative(word: str) -> bool:
    """ "more", "less", or an adjective or adverb in "-er" that the lexicon derives from a
    shorter one ("faster" from "fast"; not "never", "corner")."""
    lower = word.lower()
    if lower in {"more", "less", "fewer", "better", "worse"}:
        return True
    known = np.classes(lower)
    if not known & {"ADJ", "ADV"}:
        return False
    lemmas = np.lemmas(lower)
    return any(lemma[0] != lower for key in ("ADJ", "ADV") for lemma in [lemmas.get(key, ("",))])
