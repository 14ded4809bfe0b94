"""Words for the records benchmark: tokens, content words, stems, and the junk-name detector.

Written for the benchmark and independent of the classifier's own lists and filters (the
classifier uses YAKE's stopwords and its own cues): a classifier that shares a list with its
judge would pass its own test. Everything here is plain and deterministic, so the same
checks can run on any page and any classifier output, not only on our corpus.
"""

import re

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
# Letters and digits; hyphens and apostrophes split words ("open-source" = "open source").
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"^(?:\d+(?:[.,]\d+)*(?:st|nd|rd|th|s|bn|m|k|x)?|[ivxlc]+)$")

# English function words and pronouns (a team-written list, not the classifier's).
STOPWORDS = frozenset(
    """
    a about above after again against all almost also am among an and another any anybody
    anyone anything are around as at be because been before being below between both but by
    can could did do does doing done down during each either else enough even ever every
    everybody everyone everything few for from further had has have having he her here hers
    herself him himself his how however i if in into is it its itself just least less like
    many may me might mine more most much must my myself neither no nobody none nor not
    nothing now of off often on once one only onto or other others our ours ourselves out
    over own per perhaps quite rather same several shall she should since so some somebody
    someone something still such than that the their theirs them themselves then there
    these they this those though through thus to too toward towards under until up upon us
    very via was we well were what whatever when where whether which while who whom whose
    why will with within without would yet you your yours yourself yourselves
    s t ll ve re d m don isn aren wasn weren hasn haven didn doesn won wouldn couldn shouldn
    """.split()
)

# Words that name nothing on their own: a finding named by one of them alone is junk.
GENERIC_WORDS = frozenset(
    """
    people person persons man men woman women child children kid kids family families user
    users customer customers consumer consumers member members citizen citizens official
    officials expert experts leader leaders worker workers employee employees staff team
    company companies firm firms business businesses corporation organisation organization
    group groups industry industries market markets sector government governments state
    states country countries nation nations city cities world region area areas place places
    data information money cash price prices cost costs rate rates value number numbers
    amount level levels share shares percent percentage total average growth increase
    decrease rise fall change changes trend trends development developments progress impact
    effect effects issue issues problem problems risk risks challenge challenges opportunity
    opportunities thing things stuff way ways kind type types part parts case cases point
    points fact facts time times year years month months week weeks day days today tomorrow
    yesterday future past present moment era period car cars version versions product
    products service services system systems technology technologies tool tools platform
    platforms app apps device devices model models program programs programme programmes
    project projects plan plans deal deals report reports study studies research news story
    stories article articles statement statements comment comments source sources use uses
    work works job jobs life lives home homes health policy policies law laws rule rules
    decision decisions action actions idea ideas question questions answer answers result
    results reason reasons example examples lot lots set sets new old big small good bad
    high low first last next latest recent major key important main top best better
    innovation future strategy approach solution solutions network networks content access
    """.split()
)

# Units, currencies and number words: a name made only of these (and numbers) is junk.
UNIT_WORDS = frozenset(
    """
    hundred hundreds thousand thousands million millions billion billions trillion
    trillions bn mn tn k m percent per cent pct dollar dollars usd eur euro euros pound pounds
    gbp yen yuan rupee rupees rs inr sek chf cents pence km kilometre kilometres kilometer
    kilometers mile miles mph kph kmh metre metres meter meters cm mm ft feet foot inch
    inches kg kilogram kilograms g gram grams lb lbs ton tons tonne tonnes w kw mw gw tw wh
    kwh mwh gwh twh v volt volts hz ghz mhz b kb mb gb tb pb bit bits byte bytes fps hour
    hours minute minutes second seconds sec ms year years month months week weeks day days
    degree degrees celsius fahrenheit x
    zero two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty sixty seventy eighty ninety dozen dozens half quarter third
    """.split()
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").casefold())


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def content_words(text: str) -> list[str]:
    """Lower-cased tokens without stopwords and numbers."""
    return [t for t in tokens(text) if t not in STOPWORDS and not is_number(t)]


def stems(text: str) -> frozenset[str]:
    """The set of Snowball stems of the content words ("banks", "banking" -> "bank")."""
    return frozenset(_STEMMER.stemWords(content_words(text)))


def normalised(text: str) -> str:
    """For equality tests: case-folded tokens joined by one space (punctuation dropped)."""
    return " ".join(tokens(text))


def is_multiword(name: str) -> bool:
    """Two or more content words (numbers, units and stopwords do not count)."""
    return sum(1 for word in content_words(name) if word not in UNIT_WORDS) >= 2


def junk_reason(name: str, *, page_text: str = "", entities_allowed: bool = False) -> str:
    """Why a finding's name is junk ("" when it is not).

    - "empty": no letters or digits at all;
    - "stopwords": only function words or pronouns ("And", "They");
    - "number or unit": only numbers, units, currencies, number words ("Billion", "$5bn");
    - "generic word": one content word from GENERIC_WORDS ("People", "The company");
    - "lone entity": one to three words, each capitalised in the name and never written in
      lower case in the page, while written capitalised there ("Apple", "Kylie Jenner").
      Needs the page text; skipped with `entities_allowed` (technologies may be products).
    """
    words = tokens(name)
    if not words:
        return "empty"
    meaningful = [w for w in words if w not in STOPWORDS]
    if not meaningful:
        return "stopwords"
    if all(is_number(w) or w in UNIT_WORDS for w in meaningful):
        return "number or unit"
    content = [w for w in meaningful if not is_number(w) and w not in UNIT_WORDS]
    if len(content) == 1 and content[0] in GENERIC_WORDS:
        return "generic word"
    if not entities_allowed and page_text and _lone_entity(name, page_text):
        return "lone entity"
    return ""


def _lone_entity(name: str, page_text: str) -> bool:
    raw = [w for w in _TOKEN.findall(name) if w.casefold() not in STOPWORDS]
    if not raw or len(raw) > 3 or not all(w[0].isupper() or w[0].isdigit() for w in raw):
        return False
    lowered, capitalised = _page_case(page_text)
    return all(
        w.casefold() not in lowered and w.casefold() in capitalised for w in raw if w[0].isalpha()
    )


_CASE_CACHE: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _page_case(page_text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words of the page written in lower case somewhere, and words written capitalised."""
    key = hash(page_text)
    if key not in _CASE_CACHE:
        found = _TOKEN.findall(page_text)
        lowered = frozenset(w for w in found if w[0].islower())
        capitalised = frozenset(w.casefold() for w in found if w[0].isupper())
        if len(_CASE_CACHE) > 64:
            _CASE_CACHE.clear()
        _CASE_CACHE[key] = (lowered, capitalised)
    return _CASE_CACHE[key]
