"""Behaviors: what people or organisations start or stop doing, named by actor, practice, object."""

import re
from dataclasses import dataclass

from .. import names as naming
from .. import phrases as np
from ..text import Sentence, fold
from .common import (
    Context,
    Item,
    make_item,
    phrase_after,
)

ACTORS = (
    r"people|users|consumers|customers|developers|researchers|scientists|companies|firms|"
    r"businesses|organi[sz]ations|institutions|employers|employees|workers|students|teachers|"
    r"parents|patients|doctors|governments|cities|communities|individuals|teams|startups|"
    r"brands|retailers|investors|drivers|residents|shoppers|readers|viewers|fans|voters|"
    r"citizens|households|families|young people|teenagers|millennials|engineers|hobbyists|"
    r"creators|artists|farmers|manufacturers|banks|hospitals|schools|universities|labs|"
    r"agencies|countries|nations|makers|providers|publishers|authors|gamers|"
    r"travell?ers|commuters|cyclists|owners|landlords|tenants|members|volunteers|activists|"
    r"regulators|lawmakers|suppliers|buyers|sellers|clients|operators|coders|musicians|"
    r"journalists|advertisers|platforms|automakers|carmakers|utilities|insurers|lenders|"
    r"restaurants|stores|brands|americans|europeans|adults|children|kids|women|men|"
    r"programmers|designers|writers|professionals|freelancers|renters|homeowners"
)


PRACTICES = (
    r"using|adopting|switching|turning|moving|building|creating|sharing|buying|spending|"
    r"choosing|opting|relying|experimenting|collaborating|leaving|abandoning|avoiding|"
    r"embracing|learning|paying|selling|replacing|investing|flocking|cutting|demanding|"
    r"rejecting|joining|launching|training|deploying|running|fine-tuning|contributing|"
    r"iterating|releasing|hiring|working|renting|subscribing|streaming|ordering|growing|"
    r"started|began|begun|start|begin|stopped|stop|quit|quitting|prefer|prefers|preferred|"
    r"chose|choose|opt|opted|rely|relied|turned|turn|switched|switch|moved|embraced|adopted|"
    r"abandoned|ditched|ditching|shunned|shunning|skipped|skipping|delaying|delayed|"
    r"shifting|shifted|migrating|migrated|returning|returned|organi[sz]ing|organi[sz]ed|"
    r"protesting|boycotting|boycotted|stacking|cancell?ing|cancell?ed|dropping|dropped|"
    r"outsourcing|outsourced|automating|automated|hoarding|saving|borrowing|borrowed|"
    r"partnering|partnered|banning|banned|offering|charging|hiding|posting|downloading|"
    r"installing|installed|recycling|repairing|walking|cycling|commuting|retiring|"
    r"embracing|favou?ring|favou?red|pushing|pushed|lobbying|lobbied|suing|sued|"
    r"refusing|refused|resisting|resisted|ignoring|ignored|leaving|left|fleeing|fled"
)


BEHAVIOR = re.compile(
    rf"\b(?P<actor>{ACTORS})\b(?:\s+(?:are|were|have|has|had|been|is|now|increasingly|already|"
    rf"also|all|often|more|still|even|quickly|rapidly|who|that|no longer)){{0,4}}\s+"
    rf"(?P<practice>{PRACTICES}|(?<=increasingly )\w+ing|(?<=now )\w+ing)\b",
    re.IGNORECASE,
)


# Any plural subject may be the actor: "airlines are shifting to", "studios now selling".
PRACTICE = re.compile(
    rf"\b(?:(?:are|were|have been|had been)\s+(?:\w+ly\s+|now\s+|also\s+)?)"
    rf"(?P<practice>{PRACTICES}|(?<=increasingly )\w+ing|(?<=now )\w+ing)\b",
    re.IGNORECASE,
)


ACTOR_WORDS = frozenset(ACTORS.split("|"))


# Folded actor words: a sentence without one skips the BEHAVIOR pattern (a cheap test).
ACTOR_FOLDED = frozenset(fold(word.split()[-1]) for word in ACTORS.replace("?", "").split("|"))


# "started using X", "stopped buying X": the practice is the verb that follows.
_ASPECT = frozenset("started began begun start begin stopped stop quit quitting".split())


_STOPPING = frozenset("stopped stop quit quitting".split())


_BEHAVIOR_PREPOSITIONS = (
    "away from",
    "out of",
    "to",
    "towards",
    "toward",
    "from",
    "with",
    "on",
    "for",
    "into",
    "in",
    "at",
    "over",
)


@dataclass(frozen=True)
class _ActorMatch:
    """A behavior's actor and practice where the actor is any plural subject."""

    spans: dict[str, tuple[int, int]]
    text: str

    def group(self, name: str) -> str:
        start, end = self.spans[name]
        return self.text[start:end]

    def start(self, name: str) -> int:
        return self.spans[name][0]

    def end(self, name: str = "practice") -> int:
        return self.spans[name][1]


# Plural nouns that name organisations rather than people by their ending.
ORGANISATIONS = frozenset(
    "airlines studios automakers carmakers chains carriers clubs networks unions exchanges"
    " platforms outlets newspapers broadcasters broadcasts stores shops restaurants cafes"
    " hotels hospitals clinics schools colleges universities labs laboratories banks funds"
    " charities foundations nonprofits ngos charities councils ministries agencies courts"
    " states cities towns countries governments companies firms businesses startups brands"
    " retailers utilities insurers lenders apps services websites teams leagues parties".split()
)


_AGENT_ENDINGS = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "ives", "ats")


def _agent(plural: str) -> bool:
    """A plural noun that names people or organisations: an actor word, an organisation, or
    an agent ending ("physicians", "investors", "cyclists", "employees")."""
    return (
        plural in ACTOR_WORDS
        or plural in ORGANISATIONS
        or (plural.endswith(_AGENT_ENDINGS) and not naming.vague(plural))
    )


def plural_actor(text: str) -> _ActorMatch | None:
    """ "Airlines are shifting to ...": a plural common noun (not a name, not a vague word
    other than the actors) right before "are/were ... <practice>"."""
    for match in PRACTICE.finditer(text):
        before = np.tokens(text[: match.start()])
        if not before:
            continue
        head = before[-1]
        plural = (
            head.kind == "noun"
            and head.lower.endswith("s")
            and "NOUN" in np.classes(head.lower)
            and fold(head.lower) != head.lower
        )
        if plural and _agent(head.lower):
            spans = {
                "actor": (head.start, head.end),
                "practice": (match.start("practice"), match.end("practice")),
            }
            return _ActorMatch(spans, text)
    return None


def behavior(context: Context, sentence: Sentence, found: list[np.Phrase], match) -> Item | None:
    text = sentence.text
    actor = match.group("actor")
    practice = match.group("practice")
    position = match.end()
    prefix = ""
    if practice.lower() in _ASPECT:
        following = re.match(r"\s+(?:to\s+)?(?P<verb>[a-z]+)", text[position:])
        if not following:
            return None
        verb = _gerund(following.group("verb"))
        if not verb:
            return None
        prefix = "stopping " if practice.lower() in _STOPPING else ""
        practice, position = verb, position + following.end()
    gerund = _gerund(practice)
    if not gerund:
        return None
    rest = text[position:]
    preposition = ""
    for word in _BEHAVIOR_PREPOSITIONS:
        if re.match(rf"\s+{word}\b", rest, re.IGNORECASE):
            preposition = word
            position += len(re.match(rf"\s+{word}", rest, re.IGNORECASE).group())
            break
    whole = next(
        (p for p in found if p.tokens[0].start <= match.start("actor") < p.tokens[-1].end), None
    )
    if whole is not None and len(whole.tokens) <= 3:
        actor = whole.text  # "Research institutions", not "institutions"
    target = phrase_after(found, text, position, DETERMINERS)
    if (
        target is None
        or target.tokens[0].kind == "part"
        or all(naming.generic(t.text) for t in target.tokens if t.content)
    ):
        head = actor.split()[-1]
        if len(actor.split()) < 2 or preposition or naming.vague(head) or _named(actor):
            return None
        # "Research institutions collaborating": a specific actor, no object
        return make_item(context, sentence, [(naming.as_name(f"{actor} {prefix}{gerund}"), 0.55)])
    tail = f"{preposition} {target.text}".strip()
    names = [
        (naming.as_name(f"{actor} {prefix}{gerund} {tail}"), 0.7),
        (naming.as_name(f"{prefix}{gerund} {tail}"), 0.6),
    ]
    return make_item(context, sentence, names)


DETERMINERS = frozenset("a an the their its his her our your my this these those more new".split())


def _named(text: str) -> bool:
    return any(token.kind == "propn" for token in np.tokens(text)[1:]) or (
        text[:1].isupper()
        and np.word_kind(text.split()[0], False) == "propn"
        and np.word_kind(text.split()[0], True) == "propn"
    )


def _gerund(verb: str) -> str:
    lower = verb.lower()
    if lower.endswith("ing"):
        return lower
    from lemminflect import getInflection

    lemma = np.lemmas(lower).get("VERB")
    if not lemma:
        return ""
    forms = getInflection(lemma[0], tag="VBG")
    return forms[0] if forms else ""
