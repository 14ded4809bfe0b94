"""Signals, issues and behaviors: sentences that state a change, a problem, or a new practice.

changes.py (signal cues and names), fields.py (a signal's change, outlook and driving force),
issues.py, behaviors.py, common.py (the finding, name candidates, text helpers); names are
cut by ../phrases.py and pass the rules of ../names.py.

A sentence of 6 to 80 words (not a question) is a candidate for a list when it carries that
list's cues, and it becomes a finding only when a good name can be formed for it
(`names.problem`): fewer, better findings beat many bad ones.

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

from dataclasses import replace

from .. import names as naming
from .. import phrases as np
from ..keywords import Keyphrase
from ..text import Document
from . import behaviors, changes, issues
from .common import KEEP, MAX_WORDS, MIN_WORDS, Context, Item, name_key

__all__ = ["Item", "find"]


def find(document: Document, keyphrases: list[Keyphrase]) -> dict[str, list[Item]]:
    context = Context(
        document,
        keyphrases,
        frozenset(word for phrase in keyphrases[:10] for word in phrase.words),
    )
    candidates: dict[str, list[Item]] = {"signals": [], "issues": [], "behaviors": []}
    if not naming.english(document.words, document.page.language or ""):
        return candidates
    for sentence in document.sentences:
        if not MIN_WORDS <= len(sentence.words) <= MAX_WORDS or sentence.text.endswith("?"):
            continue
        found = None
        text = sentence.text
        strong = changes.SIGNAL.search(text) or changes.COMPARATIVE.search(text)
        if strong or changes.FORECAST.search(text):
            found = np.phrases(text)
            if item := changes.signal(context, sentence, found):
                if not strong:
                    weaker = max(0.05, item.confidence - changes.WEAK_CUE)
                    item = replace(item, confidence=round(weaker, 2))
                candidates["signals"].append(item)
        if issues.ISSUE.search(text):
            found = np.phrases(text) if found is None else found
            if item := issues.issue(context, sentence, found):
                candidates["issues"].append(item)
        named_actor = not behaviors.ACTOR_FOLDED.isdisjoint(sentence.words)
        cue = behaviors.BEHAVIOR.search(text) if named_actor else None
        if match := (cue or behaviors.plural_actor(text)):
            found = np.phrases(text) if found is None else found
            if item := behaviors.behavior(context, sentence, found, match):
                candidates["behaviors"].append(item)
    return {kind: _best(items) for kind, items in candidates.items()}


def _best(items: list[Item]) -> list[Item]:
    """The most salient items, one per name; an item whose name is taken tries its others."""
    chosen: dict[str, Item] = {}
    ranked = sorted(items, key=lambda item: (-(item.score + item.confidence), item.sentence.index))
    for item in ranked:
        for name in (item.name, *item.alternatives):
            key = name_key(name)
            if key not in chosen:
                chosen[key] = replace(item, name=name, alternatives=())
                break
    return list(chosen.values())[:KEEP]
