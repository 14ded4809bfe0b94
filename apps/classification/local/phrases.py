"""Noun phrases in a sentence: what a finding's name is cut from (names.py holds the rules).

A finding is named by a noun phrase: "Cloud game streaming", "Growing demand for batteries",
"LoRA fine-tuning on consumer hardware". There is no tagger model here; each word's possible
word classes come from LemmInflect's lexicon (the `lemminflect` package ships it, derived
from the NIH SPECIALIST lexicon), closed-class words from a short list below, and the rest
from the word's shape:

- a capitalised word that does not open the sentence is a proper noun;
- a word the lexicon does not know ("LLMs", "open-source") is a noun;
- a word that can be a noun is a noun ("models", "rise"), else an adjective, else a verb
  form: an "-ing" or "-ed" form may modify a noun ("emerging markets") or, last in a phrase
  after a noun and before no object, head it ("model fine-tuning"); any other verb form or
  adverb ends the phrase.

A phrase is a run of adjectives, nouns and modifying verb forms, joined at most once by a
preposition ("demand for lithium", "fine-tuning on consumer hardware"); it must end on a
noun.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import fold

# Closed-class words: determiners, pronouns, conjunctions, auxiliaries, quantifiers,
# prepositions and the adverbs that glue clauses. They never start or end a name.
CLOSED = frozenset(
    "a an the this that these those some any each every no all both either neither such"
    " what which whose whatever whichever another other others own same many much more most"
    " few fewer less least several enough lot lots i me my mine we us our ours you your yours"
    " he him his she her hers it its they them their theirs one ones oneself myself yourself"
    " himself herself itself ourselves themselves who whom someone somebody something anyone"
    " anybody anything everyone everybody everything nobody nothing and or but nor so yet if"
    " then than because although though while whereas unless since until as whether be am is"
    " are was were been being have has had having do does did doing done can could may might"
    " must shall should will would not n't also just only even still already very too quite"
    " rather really now here there when where why how however therefore thus hence again ever"
    " never always often sometimes perhaps maybe about above across after against along among"
    " around at before behind below beneath beside between beyond by down during except for"
    " from in inside into like near of off on onto out outside over past per since through"
    " throughout till to toward towards under underneath unlike up upon via with within"
    " without amid despite including according said says say last next previous"
    " isn aren wasn weren don doesn didn won can couldn wouldn shouldn hasn haven hadn".split()
)
# Prepositions that may join two parts of one name, once.
JOINERS = frozenset("of for on in against".split())
# Light verbs whose noun readings are rare ("the models go from", "datasets keep growing").
VERBS = frozenset(
    "go goes went gone get gets got make makes made take takes took keep keeps kept look looks"
    " seem seems seemed remain remains remained become becomes came come comes give gives gave"
    " put puts want wants wanted need needs let lets help helps tend tends appear appears"
    " allow allows enable enables mean means".split()
)
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty"
    " fifty hundred hundreds dozen dozens half quarter third first second thousand thousands"
    " million millions billion billions trillion trillions".split()
)
_TOKEN = re.compile(r"[^\W_][\w'\u2019&]*(?:[-./][^\W_][\w'\u2019&]*)*|[^\w\s]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # noun, propn, adj, part (-ing/-ed form), verb, adv, closed, num, punct

    @property
    def lower(self) -> str:
        return self.text.lower().replace("\u2019", "'")

    @property
    def content(self) -> bool:
        return self.kind in {"noun", "propn", "adj", "part"}


@dataclass(frozen=True)
class Phrase:
    """Tokens start..end (exclusive) of a sentence, forming a noun phrase."""

    tokens: tuple[Token, ...]
    start: int
    end: int
    text: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(token.text for token in self.tokens)


@lru_cache(maxsize=1)
def _lexicon():
    """word -> {word class: lemmas}. LemmInflect's own lookup tables, read directly: its
    public `getAllLemmas` copies them on every call, fifty times slower, and the tables load
    in about two seconds, once per process. Falls back to the public call if they move."""
    from lemminflect import Lemmatizer, getAllLemmas, getInflection

    getInflection("use", tag="VBG")  # loads the inflection table too (behaviors' gerunds)
    try:
        lemmatizer = Lemmatizer()
        lemmas = lemmatizer._getLemmaDict()
        overrides = lemmatizer._getOverridesDict()
    except AttributeError:  # pragma: no cover - another lemminflect release
        return getAllLemmas
    return lambda word: {**lemmas.get(word, {}), **overrides.get(word, {})}


def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """The lemmas of a lower-case word by word class: "faster" -> {"ADJ": ("fast",), ...}."""
    return _lexicon()(word)


@lru_cache(maxsize=200_000)
def classes(word: str) -> frozenset[str]:
    """The word classes LemmInflect's lexicon knows for a lower-case word."""
    return frozenset(_lexicon()(word))


@lru_cache(maxsize=200_000)
def word_kind(word: str, opens_sentence: bool = False) -> str:
    lower = word.lower().replace("\u2019", "'")
    if not any(char.isalpha() for char in word):
        return "num" if any(char.isdigit() for char in word) else "punct"
    if lower in CLOSED or _contraction(lower):
        return "closed"
    if lower in VERBS:
        return "verb"
    if lower in NUMBER_WORDS or re.fullmatch(r"\d[\d,.]*(?:st|nd|rd|th|s|m|bn|k)?", lower):
        return "num"
    if lower.endswith("'s"):
        return "propn" if word[:1].isupper() else "noun"
    if word[:1].isupper() and not opens_sentence:
        return "propn"
    known = classes(lower)
    opening_name = (not known and "-" not in lower) or known == {"VERB"}
    if word[:1].isupper() and opening_name and not lower.endswith(("ing", "ed")):
        return "propn"  # a name opening the sentence: "Google announced", "Nvidia's"
    if sum(char.isupper() for char in word) >= 2:  # "LoRA", "GPUs", "iPhone" at the start
        return "propn"
    if "-" in lower:
        last = classes(lower.rsplit("-", 1)[1])
        return "adj" if "ADJ" in last and "NOUN" not in last else "noun"
    if "VERB" in known and _irregular_past(lower):
        return "verb"  # "rose", "fell", "grew": past forms that are also nouns
    if not known and len(lower) > 5 and lower.endswith(("ing", "ed")):
        return "part"  # "outpacing", "upskilled": a verb form the lexicon does not list
    if not known or "NOUN" in known or "PROPN" in known:
        if lower.endswith("ly") and "ADV" in known:
            return "adv"
        return "noun"
    if "ADJ" in known:
        return "adj"
    if "VERB" in known:
        return "part" if lower.endswith(("ing", "ed")) else "verb"
    return "adv" if "ADV" in known else "closed"


def _contraction(lower: str) -> bool:
    """ "it's", "don't", "they're", "we'll": a closed-class word with its clitic."""
    base, _, clitic = lower.partition("'")
    return clitic in {"s", "t", "re", "ll", "ve", "d", "m"} and (
        base in CLOSED or (base.endswith("n") and clitic == "t")
    )


def _irregular_past(lower: str) -> bool:
    lemma = _lexicon()(lower).get("VERB", ())
    return bool(lemma) and lemma[0] != lower and not lower.startswith(lemma[0][:-1] or "-")


def tokens(text: str) -> list[Token]:
    """The words and marks of `text` with their kinds; a verb right after a determiner is a
    noun ("a scissor keyboard", "the run")."""
    found: list[Token] = []
    for index, match in enumerate(_TOKEN.finditer(text)):
        word = match.group()
        kind = word_kind(word, index == 0)
        if kind == "verb" and found and found[-1].lower in _DETERMINERS:
            kind = "noun"
        found.append(Token(word, match.start(), match.end(), kind))
    return found


def phrases(text: str, toks: list[Token] | None = None) -> list[Phrase]:
    """The noun phrases of a sentence, in order."""
    toks = tokens(text) if toks is None else toks
    found: list[Phrase] = []
    i = 0
    while i < len(toks):
        if not toks[i].content:
            i += 1
            continue
        start, j, joined, verb = i, i, False, False
        while j < len(toks):
            token = toks[j]
            if token.content:
                if token.kind == "part" and j > start and _predicate(toks, j, start):
                    break
                if j > start and _verb_with_object(toks, j):
                    verb = True
                    break
                j += 1
                continue
            following = toks[j + 1] if j + 1 < len(toks) else None
            if (
                token.lower in JOINERS
                and not joined
                and j > start
                and toks[j - 1].kind in {"noun", "propn"}
                and following is not None
                and following.kind in {"noun", "propn", "adj"}
            ):
                joined = True
                j += 1
                continue
            break
        phrase = _trimmed(text, toks, start, j)
        if phrase is not None:
            found.append(phrase)
        i = max(j + verb, i + 1)  # the verb that ended the phrase starts none
    return found


def _predicate(toks: list[Token], j: int, start: int) -> bool:
    """An "-ing"/"-ed" form after a noun is the phrase's verb when an object follows it
    ("companies using AI"), its head otherwise ("model fine-tuning on laptops")."""
    if toks[j - 1].kind not in {"noun", "propn"}:
        return False
    following = toks[j + 1] if j + 1 < len(toks) else None
    if toks[j].lower.endswith("ed"):
        return True  # "Google announced plans", "models trained on"
    if following is None:
        return False
    # an object follows: a determiner, a pronoun, a number or a content word
    objects = _DETERMINERS | {"it", "them", "us", "him", "me", "you", "all", "some", "any"}
    return following.content or following.kind == "num" or following.lower in objects


def _verb_with_object(toks: list[Token], j: int) -> bool:
    """A word that can be a verb, after a noun, is the verb when a determiner or an "-ing"
    form follows it ("OpenAI risk being outpaced", "the plan hurts the brand"); in "-s",
    when another noun follows ("testing worries regulators": a plural noun rarely takes a
    noun after it); in "-ed", when a noun follows ("respondents used marijuana"); in its
    base form after a plural noun, when a noun or adjective follows ("manufacturers increase
    solar module efficiency")."""
    token = toks[j]
    before = toks[j - 1]
    following = toks[j + 1] if j + 1 < len(toks) else None
    if (
        following is None
        or token.kind not in {"noun", "adj"}
        or before.kind not in {"noun", "propn"}
        or "VERB" not in classes(token.lower)
    ):
        return False
    if token.kind == "adj":
        return token.lower.endswith("ed") and following.kind in {"noun", "propn", "adj"}
    if following.kind == "part" or following.lower == "being":
        return True
    plural_before = before.kind == "noun" and before.lower.endswith("s") and _plural(before.lower)
    if following.lower in _DETERMINERS:
        # "the plan hurts the brand", "firms cut the price"; not "a keyboard this year"
        return token.lower.endswith(("s", "ed")) or plural_before or before.kind == "propn"
    if token.lower.endswith("s"):
        return following.kind in {"noun", "propn"}
    return plural_before and following.kind in {"noun", "adj"}


def _plural(lower: str) -> bool:
    return fold(lower) != lower and "NOUN" in classes(lower)


_DETERMINERS = frozenset("a an the this these those their its his her our your my".split())


def _participle(token: Token) -> bool:
    """An "-ing"/"-ed" verb form, also one the lexicon lists as an adjective ("used")."""
    if token.kind == "part":
        return True
    return (
        token.kind == "adj"
        and token.lower.endswith(("ing", "ed"))
        and "VERB" in classes(token.lower)
    )


def _verbal(toks: list[Token], index: int) -> bool:
    """An "-ing"/"-ed" form modifies the noun after it only at the start of a sentence or
    after a determiner, a preposition, a number, an adjective or a conjunction between
    modifiers ("the growing demand", "of emerging markets"); anywhere else it is a verb
    ("are replacing gas boilers", "while encouraging suppliers", "who used cannabis"). After
    a comma only the trend words modify (", growing demand for ...")."""
    if toks[index].lower in _PREPOSITIONAL:
        return True  # "Following Meta's model, ...", "including cloud services"
    if index == 0:
        return False
    before = toks[index - 1]
    if toks[index].lower in _MODIFIERS:
        return before.kind in {"adv", "noun", "propn", "verb"} or before.lower in _AUXILIARIES
    if before.kind in {"num", "adj"} or before.lower in _MODIFIER_CONTEXT:
        return False
    return not (before.kind == "punct" and before.text in "\"'(\u201c\u2018")


_MODIFIER_CONTEXT = frozenset(
    "a an the this these those their its his her our your my some any many more most few"
    " several all both each every no of for in on with from about into across than and or as"
    " at per such other".split()
)
# "-ing" forms that work as prepositions: never the start of a noun phrase.
_PREPOSITIONAL = frozenset(
    "following including regarding considering excluding concerning assuming using".split()
)


# "-ing" forms that modify a noun after a comma too (", growing demand for ...").
_MODIFIERS = frozenset(
    "growing rising emerging increasing declining falling shrinking booming surging soaring"
    " accelerating expanding mounting widening existing remaining".split()
)


def _after_modal(toks: list[Token], index: int) -> bool:
    """ "could cause problems", "we use models": a word that can be a verb, after a modal,
    or a subject pronoun, is one (not after "to": "a shift to cloud gaming")."""
    return (
        index > 0
        and toks[index - 1].lower in _MODALS
        and toks[index].kind in {"noun", "adj"}
        and "VERB" in classes(toks[index].lower)
    )


# After these a word that can be a verb is one: "could cause problems", "we use models".
_MODALS = frozenset(
    "can could may might must shall should will would i we you they he she it who"
    " didn't don't doesn't won't can't couldn't wouldn't shouldn't".split()
)
_AUXILIARIES = frozenset("be am is are was were been being have has had do does did".split())


def _trimmed(text: str, toks: list[Token], start: int, end: int) -> Phrase | None:
    # A phrase ends on a noun; it starts on an adjective, noun or modifying verb form.
    while end > start and toks[end - 1].kind not in {"noun", "propn"}:
        if toks[end - 1].kind == "part" and end - 1 > start:
            break  # a gerund head: "game streaming"
        end -= 1
    while start < end and (
        toks[start].kind not in {"noun", "propn", "adj", "part"}
        or (_participle(toks[start]) and _verbal(toks, start))
        or toks[start].lower in _PREPOSITIONAL
        or _after_modal(toks, start)
    ):
        start += 1
    if start >= end:
        return None
    if toks[end - 1].lower in JOINERS:
        return None
    span = tuple(toks[start:end])
    return Phrase(span, start, end, text[span[0].start : span[-1].end])
