"""New theme proposals (proposals.py): which keyphrases may be proposed, and how candidates
merge with existing names. Every text here is written by the team."""

import pytest

from apps.classification import Page, Vocabulary
from apps.classification.local import proposals
from apps.classification.local.keywords import Keyphrase
from apps.classification.local.text import read, words_of


def _phrase(text: str) -> Keyphrase:
    words = tuple(words_of(text))
    return Keyphrase(text=text, words=words, stems=words, score=0.1, count=2)


def test_a_candidate_meaning_the_same_as_an_approved_theme_takes_its_name():
    vocabulary = Vocabulary.build(["electric bus fleet"])
    document = read(Page(title="Depot", text="The depot is new. " * 20))

    matches = proposals.propose(document, [_phrase("electric buses")], vocabulary)

    assert [(match.name, match.approved) for match in matches] == [("electric bus fleet", True)]


def test_candidates_meaning_the_same_are_proposed_once_and_at_most_three():
    document = read(Page(title="Farms", text="Farms and buses and water. " * 20))
    phrases = [
        "vertical farms",
        "vertical farming",
        "electric buses",
        "river pollution",
        "antibiotic resistance",
    ]

    matches = proposals.propose(document, [_phrase(text) for text in phrases], Vocabulary())

    assert [match.name for match in matches] == [
        "vertical farms",
        "electric buses",
        "river pollution",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Maria Lindqvist",  # a name
        "arrested Webb",  # part of a name
        "Neil McCormick",
        "Larsson justice",
        "access YouTube",
        "GIRLS BASKETBALL",  # a shouted heading
        "three stores",  # a number word
        "2030 targets",  # a number
        "center of amsterdam",  # a stopword inside
        "declined to comment",
        "good team",  # generic words
        "pleaded guilty",  # a verb phrase
        "batteries",  # one word
    ],
)
def test_junk_keyphrases_are_never_proposed(text):
    document = read(Page(title="x", text=f"The {text} is here, and the {text} again. " * 5))

    assert not proposals._proposable(_phrase(text), document)


@pytest.mark.parametrize(
    "text", ["vertical farms", "Israeli settlements", "AI ethics", "LLM chips"]
)
def test_topical_phrases_can_be_proposed(text):
    document = read(Page(title="x", text=f"The {text} is here, and the {text} again. " * 5))

    assert proposals._proposable(_phrase(text), document)
