"""Signals, issues and behaviors: sentences that state a change, a problem, or a new practice.

A sentence of 6 to 80 words (not a question) is a candidate for a list when it carries that
list's cues, and it becomes a finding only when a good name can be formed for it
(`phrases.problem`): fewer, better findings beat many bad ones.

signals    change: trend verbs and adverbs ("growing", "surged", "is becoming",
           "increasingly"), "rise of", "shift to", "X is replacing Y", "from X to Y", comparisons
           over time ("up from", "than ever", "doubled"), forecasts ("will ...", "by 2030").
           Named, in this order, by: the cue's noun and its object ("Rise of electric bikes",
           "Shift to remote work"); "X replacing Y" ("Heat pumps replacing gas boilers"); a noun
           phrase that opens on a trend word ("Growing demand for lithium"); the subject of the
           trend verb ("Open-source models" in "open-source models are becoming faster"); else
           the sentence's noun phrase most about the page (phrases.topicality), if it is.
issues     risk, problem, conflict, harm. Named by the cue and its object ("Risk of data
           loss", "Concerns about facial recognition") or a noun phrase holding a problem noun
           ("Contamination problem", "Copyright lawsuits"); a name without a problem word is
           no issue name, so "Apple" or "Trump" never are.
behaviors  an actor (people, users, companies, researchers, ...) doing something, differently:
           "researchers are increasingly collaborating", "companies switched to", "users turn
           to", "people stopped buying". Named by the actor, the practice as a gerund and its
           object ("Companies switching to open models"); without an object, none.

A signal's `change`, `ten_year` and `driving_force` are filled only from what the text
states and are otherwise empty; none repeats the description or another of them:

change         "from X to Y" (not two dates), "X replacing Y" (-> "From Y to X"), or the trend
               verb with the figure it states ("Subscriptions doubled to 40 million");
ten_year       the forecast clause of the sentence ("will ...", "by 2035", "in ten years",
               "within a decade") when it is not the whole sentence, else a sentence up to two
               away with a dated or long-range forecast that holds a word of the name;
driving_force  the words after "driven by", "because of", "due to", "thanks to", "fuelled
               by", "amid", ..., up to where a clause begins, or the subject of "X is
               driving/fuelling ...".

Each finding has a confidence in [0, 1]: how sure the classifier is that it is a real,
well-named finding (the naming rule that made it, its name's overlap with the page's
keyphrases, the fields the text filled). Candidates are ranked by salience (salience.py).
"""

import re
from dataclasses import dataclass, replace

from . import phrases as np
from .keywords import Keyphrase
from .salience import salience
from .text import Document, Sentence, fold

KEEP = 5
MIN_WORDS = 6
MAX_WORDS = 80
FIELD_WORDS = 14  # a change or driving force is cut to this many words
MAX_FIELD_SHARE = 0.8  # a field longer than this share of the description repeats it

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
QUANTITY_VERB = re.compile(
    r"\b(?P<verb>grew|rose|increased|jumped|climbed|soared|surged|fell|dropped|declined|"
    r"plunged|doubled|tripled|halved|shrank|expanded|skyrocketed)\b"
    r"(?P<rest>(?:[^.;:!?]|\.(?=\d))*)",
    re.IGNORECASE,
)
REPLACING = re.compile(
    r"\b(?P<verb>replac(?:e|es|ed|ing)|overt(?:ake|akes|aking|ook)|displac(?:e|es|ed|ing)|"
    r"supplant(?:s|ed|ing)?|giv(?:e|es|ing) way to|gave way to)\b(?P<by>\s+by)?",
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
_ACTOR_FOLDED = frozenset(fold(word.split()[-1]) for word in ACTORS.replace("?", "").split("|"))
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
class Item:
    name: str
    sentence: Sentence
    score: float
    confidence: float = 0.5
    change: str = ""
    ten_year: str = ""
    driving_force: str = ""
    alternatives: tuple[str, ...] = ()  # other names, should this one be taken


@dataclass
class _Context:
    document: Document
    keyphrases: list[Keyphrase]
    key_words: frozenset[str]

    def frequency(self, word: str) -> int:
        return self.document.ngrams.get((word,), 0)


def find(document: Document, keyphrases: list[Keyphrase]) -> dict[str, list[Item]]:
    context = _Context(
        document,
        keyphrases,
        frozenset(word for phrase in keyphrases[:10] for word in phrase.words),
    )
    candidates: dict[str, list[Item]] = {"signals": [], "issues": [], "behaviors": []}
    if not np.english(document.words, document.page.language or ""):
        return candidates
    for sentence in document.sentences:
        if not MIN_WORDS <= len(sentence.words) <= MAX_WORDS or sentence.text.endswith("?"):
            continue
        toks = found = None
        strong = SIGNAL.search(sentence.text) or COMPARATIVE.search(sentence.text)
        if strong or FORECAST.search(sentence.text):
            toks = np.tokens(sentence.text)
            found = np.phrases(sentence.text, toks)
            if item := _signal(context, sentence, found):
                if not strong:
                    item = replace(item, confidence=round(max(0.05, item.confidence - WEAK_CUE), 2))
                candidates["signals"].append(item)
        if ISSUE.search(sentence.text):
            if found is None:
                toks = np.tokens(sentence.text)
                found = np.phrases(sentence.text, toks)
            if item := _issue(context, sentence, found):
                candidates["issues"].append(item)
        named_actor = not _ACTOR_FOLDED.isdisjoint(sentence.words)
        behavior = BEHAVIOR.search(sentence.text) if named_actor else None
        if match := (behavior or _plural_actor(sentence.text)):
            if found is None:
                found = np.phrases(sentence.text)
            if item := _behavior(context, sentence, found, match):
                candidates["behaviors"].append(item)
    return {kind: _best(items) for kind, items in candidates.items()}


def _best(items: list[Item]) -> list[Item]:
    """The most salient items, one per name; an item whose name is taken tries its others."""
    chosen: dict[str, Item] = {}
    ranked = sorted(items, key=lambda item: (-(item.score + item.confidence), item.sentence.index))
    for item in ranked:
        for name in (item.name, *item.alternatives):
            key = _key(name)
            if key not in chosen:
                chosen[key] = replace(item, name=name, alternatives=())
                break
    return list(chosen.values())[:KEEP]


def _key(name: str) -> str:
    return " ".join(fold(word) for word in re.findall(r"\w+", name))


# -- names ---------------------------------------------------------------------------------


def _after(
    found: list[np.Phrase], text: str, position: int, gap_words: frozenset[str] | None = None
) -> np.Phrase | None:
    """The noun phrase that starts at `position`, past at most two closed-class words (of
    `gap_words`, when given)."""
    for phrase in found:
        start = phrase.tokens[0].start
        if start < position:
            continue
        gap = text[position:start].split()
        allowed = (
            (lambda word: word.lower() in gap_words)
            if gap_words is not None
            else (lambda word: np.word_kind(word) == "closed")
        )
        if len(gap) <= 2 and all(allowed(word) for word in gap):
            return phrase
        return None
    return None


def _before(found: list[np.Phrase], text: str, position: int) -> np.Phrase | None:
    """The noun phrase that ends just before `position`, past auxiliaries and adverbs."""
    for phrase in reversed(found):
        end = phrase.tokens[-1].end
        if end > position:
            continue
        gap = text[end:position].split()
        if len(gap) <= 3 and all(np.word_kind(w) in {"closed", "adv"} for w in gap):
            return phrase
        return None
    return None


def _object_name(cue: str, prep: str, phrase: np.Phrase | None) -> str:
    if phrase is None or all(np.generic(t.text) for t in phrase.tokens if t.content):
        return ""
    return np.as_name(f"{cue} {prep.lower()} {phrase.text}")


def _valid(names: list[tuple[str, float]]) -> list[tuple[str, float]]:
    seen: set[str] = set()
    kept = []
    for name, confidence in names:
        if name and np.good(name) and _key(name) not in seen:
            seen.add(_key(name))
            kept.append((name, confidence))
    return kept


def _item(
    context: _Context, sentence: Sentence, names: list[tuple[str, float]], **fields: str
) -> Item | None:
    names = _valid(names)
    if not names:
        return None
    name, confidence = names[0]
    named = _named_by(sentence, context.keyphrases)
    rank, count = (named[0][0], named[0][1].count) if named else (None, 1)
    score = salience(rank, sentence.index, len(context.document.sentences), count)
    name_words = {fold(word) for word in re.findall(r"\w+", name)}
    if name_words & context.key_words:
        confidence += 0.1
    confidence += 0.05 * sum(bool(value) for value in fields.values())
    return Item(
        name,
        sentence,
        score,
        confidence=round(min(0.95, max(0.05, confidence)), 2),
        alternatives=tuple(other for other, _ in names[1:]),
        **fields,
    )


def _named_by(sentence: Sentence, keyphrases: list[Keyphrase]) -> list[tuple[int, Keyphrase]]:
    """The keyphrases in the sentence, best first."""
    words = f" {' '.join(sentence.words)} "
    return [
        (rank, phrase)
        for rank, phrase in enumerate(keyphrases)
        if f" {' '.join(phrase.words)} " in words
    ]


def _topical(context: _Context, found: list[np.Phrase]) -> list[tuple[str, float]]:
    """Noun phrases of the sentence that the page is about: one of their content words, not a
    generic one, occurs at least twice in the page, most topical first."""
    scored = []
    for phrase in found:
        repeated = any(
            context.frequency(fold(t.text)) >= 2 and not np.generic(t.text)
            for t in phrase.tokens
            if t.content
        )
        if repeated:
            scored.append((np.topicality(phrase, context.frequency), phrase))
    scored.sort(key=lambda pair: -pair[0])
    return [(np.as_name(phrase.text), 0.45) for _, phrase in scored]


# -- signals -------------------------------------------------------------------------------


def _signal(context: _Context, sentence: Sentence, found: list[np.Phrase]) -> Item | None:
    text = sentence.text
    names: list[tuple[str, float]] = []
    change = ""
    for match in SIGNAL_CUE.finditer(text):
        if match.group("prep").lower() == "from":
            if shift := _from_to(text[match.start("prep") :]):
                names.append((np.as_name(f"{match.group('cue')} {_lower(shift)}"), 0.8))
            continue
        target = _after(found, text, match.end())
        names.append((_object_name(match.group("cue"), match.group("prep"), target), 0.8))
    for match in SHIFT_VERB.finditer(text):
        target = _after(found, text, match.end())
        names.append((_object_name("Shift", match.group("prep"), target), 0.75))
    if match := REPLACING.search(text):
        new, old = _before(found, text, match.start()), _after(found, text, match.end())
        if match.group("by") or match.group("verb").lower().startswith(("giv", "gave")):
            new, old = old, new
        if old is not None and re.match(r"\s+with\b", text[old.tokens[-1].end :]):
            # "Apple is replacing the butterfly keyboard with a scissor keyboard": the
            # subject is the agent, the new thing follows "with"
            new = _after(found, text, old.tokens[-1].end + len(" with"))
        if new is not None and old is not None:
            names.append((np.as_name(f"{new.text} replacing {_lower(old)}"), 0.8))
            names.append((np.as_name(new.text), 0.7))
            change = f"From {_lower(old)} to {_lower(new)}"
    names.extend(
        (np.as_name(phrase.text), 0.75) for phrase in found if phrase.tokens[0].lower in TREND_WORDS
    )
    for match in TREND_VERB.finditer(text):
        if subject := _before(found, text, match.start()):
            names.append((np.as_name(subject.text), 0.65))
    for match in COMPARATIVE.finditer(text):
        if _comparative(match.group("word")) and (subject := _before(found, text, match.start())):
            names.append((np.as_name(subject.text), 0.55))
    names.extend(_topical(context, found))
    if not _valid(names):
        return None
    subject = _valid(names)[0][0]
    fields = _fields(context, sentence, subject, change)
    return _item(context, sentence, names, **fields)


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


def _fields(context: _Context, sentence: Sentence, subject: str, change: str) -> dict[str, str]:
    text = sentence.text
    change = change or _from_to(text) or _quantity(text, subject)
    force = _force(text)
    outlook = _outlook(context.document, sentence, subject)
    values = {"change": change, "ten_year": outlook, "driving_force": force}
    kept: dict[str, str] = {}
    for field, value in values.items():
        if value and not _repeats(value, text) and all(not _same(value, v) for v in kept.values()):
            kept[field] = value
        else:
            kept[field] = ""
    return kept


def _from_to(text: str) -> str:
    """ "from X to Y" where X and Y are things or figures: not two dates ("from 2019 to
    2021"), not two places or people ("from London to Paris"), not an infinitive ("from the
    city to claim a prize")."""
    for match in CHANGE.finditer(text):
        old = _cut(match.group("old"), 6)
        new = _cut(match.group("new"), 6)
        if not old or not new or (_DATE.match(old) and _DATE.match(new)):
            continue
        if _state(old) and _state(new):
            return f"From {_lower(old)} to {_lower(new)}"
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
    rest = _cut(
        match.group("rest").replace('"', " "), FIELD_WORDS - len(subject.split()) - 1, commas=True
    )
    return np.as_name(f"{subject} {match.group('verb').lower()} {rest}".strip())


def _force(text: str) -> str:
    if match := FORCE.search(text):
        force = _cut(match.group("force"), FIELD_WORDS, commas=True)
        if len(force.split()) >= 1 and np.word_kind(force.split()[-1]) not in {"closed"}:
            return np.as_name(force)
    if match := DRIVING.search(text):
        found = np.phrases(text[: match.start()])
        if found and np.good(found[-1].text):
            return np.as_name(found[-1].text)
    return ""


def _outlook(document: Document, sentence: Sentence, name: str) -> str:
    """The forecast clause of the sentence when it is not the whole of it, else a neighbour
    sentence that makes a dated or long-range forecast ("by 2030", "in ten years", "is
    expected to") and names a word of the signal's name."""
    if match := FUTURE.search(sentence.text):
        clause = _clause(sentence.text, match.start())
        if clause and not _repeats(clause, sentence.text) and len(clause.split()) >= 4:
            return np.as_name(clause)
    subject = {fold(w) for w in re.findall(r"\w+", name) if not np.generic(w)}
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


# -- issues --------------------------------------------------------------------------------


def _issue(context: _Context, sentence: Sentence, found: list[np.Phrase]) -> Item | None:
    text = sentence.text
    names: list[tuple[str, float]] = []
    for match in ISSUE_CUE.finditer(text):
        target = _after(found, text, match.end())
        names.append((_object_name(match.group("cue"), match.group("prep"), target), 0.75))
    headed = [p for p in found if _issue_word(p.tokens[-1].text)]
    qualified = [p for p in found if p not in headed and any(_issue_word(t.text) for t in p.tokens)]
    names.extend((np.as_name(phrase.text), 0.65) for phrase in headed)
    names.extend((np.as_name(phrase.text), 0.55) for phrase in qualified)
    names = [(name, conf) for name, conf in names if name and _names_issue(name)]
    return _item(context, sentence, names)


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
        and not np.vague(word)
        and fold(word).removesuffix("s") not in GENERAL_ISSUE_WORDS
        and fold(word) not in GENERAL_ISSUE_WORDS
        for index, word in enumerate(words)
    )


# -- behaviors -----------------------------------------------------------------------------


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
        or (plural.endswith(_AGENT_ENDINGS) and not np.vague(plural))
    )


def _plural_actor(text: str) -> _ActorMatch | None:
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


def _behavior(context: _Context, sentence: Sentence, found: list[np.Phrase], match) -> Item | None:
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
    target = _after(found, text, position, _DETERMINERS)
    if (
        target is None
        or target.tokens[0].kind == "part"
        or all(np.generic(t.text) for t in target.tokens if t.content)
    ):
        head = actor.split()[-1]
        if len(actor.split()) < 2 or preposition or np.vague(head) or _named(actor):
            return None
        # "Research institutions collaborating": a specific actor, no object
        return _item(context, sentence, [(np.as_name(f"{actor} {prefix}{gerund}"), 0.55)])
    tail = f"{preposition} {target.text}".strip()
    names = [
        (np.as_name(f"{actor} {prefix}{gerund} {tail}"), 0.7),
        (np.as_name(f"{prefix}{gerund} {tail}"), 0.6),
    ]
    return _item(context, sentence, names)


_DETERMINERS = frozenset("a an the their its his her our your my this these those more new".split())


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


# -- text helpers --------------------------------------------------------------------------


def _cut(text: str, limit: int, commas: bool = False) -> str:
    """At most `limit` words, ending before a clause begins and not on a closed-class word."""
    if commas:
        text = re.split(r",|\u2014|\u2013|\s+-\s+|\(", text)[0]
    words: list[str] = []
    for word in text.split():
        if len(words) >= limit or word.lower() in _CLAUSE_WORDS:
            break
        kind = np.word_kind(word.strip("\"',"))
        if words and kind in {"verb", "adv"}:
            break
        if words and words[-1].lower() in {"and", "or"} and kind == "part":
            words.pop()  # "gunshot wounds and called on ...": a second clause
            break
        words.append(word)
    while words and np.word_kind(words[-1].strip("\"'")) in {"closed", "punct"}:
        words.pop()
    return " ".join(words).strip("\"' ")


_CLAUSE_WORDS = frozenset(
    "which that who while but because as when after before since so whereas although".split()
)


def _lower(phrase: np.Phrase | str) -> str:
    text = phrase if isinstance(phrase, str) else phrase.text
    first = text.split()[0] if text.split() else ""
    if first[:1].isupper() and first[1:].islower() and np.word_kind(first, True) != "propn":
        return text[:1].lower() + text[1:]
    return text


def _same(one: str, other: str) -> bool:
    return _key(one) == _key(other)


def _repeats(value: str, description: str) -> bool:
    """A field that is the description, or most of it, repeats it."""
    if _same(value, description):
        return True
    inside = _key(value) in _key(description)
    return inside and len(value) > MAX_FIELD_SHARE * len(description)
