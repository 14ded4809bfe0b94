import pytest

from apps.classification import Page
from apps.classification.local import keywords
from apps.classification.local.keywords import Keyphrase, merge, near
from apps.classification.local.text import read, split_sentences, words_of


def phrase(text, score, count=1):
    words = tuple(words_of(text))
    stems = tuple(keywords.stem(word) for word in words)
    return Keyphrase(text=text, words=words, stems=stems, score=score, count=count)


def test_the_same_stems_are_one_keyword():
    kept = merge([phrase("model", 0.1), phrase("Models", 0.2), phrase("modelling", 0.3)], 10)

    assert [p.text for p in kept] == ["model"]


def test_a_word_inside_a_kept_phrase_is_merged_and_a_repeated_phrase_replaces_its_word():
    kept = merge(
        [phrase("open", 0.1), phrase("grid", 0.2), phrase("open models", 0.3, count=4)], 10
    )

    assert [p.text for p in kept] == ["open models", "grid"]


def test_a_phrase_seen_once_does_not_replace_its_word():
    kept = merge([phrase("open", 0.1), phrase("open letter", 0.3, count=1)], 10)

    assert [p.text for p in kept] == ["open"]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("llama", "llaama", True),
        ("colour grading", "color grading", True),
        ("gpt-3", "gpt-4", False),
        ("model", "modem", False),  # short words: one letter is a different word
        ("policy", "police", False),
    ],
)
def test_spellings_a_few_edits_apart_are_near_duplicates(one, other, same):
    assert near(one, other) is same


def test_extraction_keeps_the_best_ten_without_weak_or_repeated_words():
    text = (
        "Heat pumps are replacing gas boilers in Leeds, officials said on Monday. "
        "The city installed 2024 heat pumps last year, and installers expect more. "
        "A heat pump moves warmth from outside air into the home. "
        "Gas boilers will be banned in new homes from 2027, so builders fit heat pumps now. "
        "Installers say demand for heat pumps doubled, and training courses are full."
    )

    found = [p.text.lower() for p in keywords.extract(read(Page(text=text)))]

    assert 3 <= len(found) <= keywords.KEEP
    assert "heat pumps" in found
    assert not {"monday", "said", "2024", "heat", "pumps"} & set(found)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Dr. Smith arrived. He left.", ["Dr. Smith arrived.", "He left."]),
        (
            "The U.S. economy grew. J. Smith said so.",
            ["The U.S. economy grew.", "J. Smith said so."],
        ),
        ('"It works," she said. It did!', ['"It works," she said.', "It did!"]),
        (
            "Version 2.5 shipped today. Users cheered",
            ["Version 2.5 shipped today.", "Users cheered"],
        ),
        ("A heading\nA paragraph. Another one.", ["A heading", "A paragraph.", "Another one."]),
    ],
)
def test_sentences_split_at_ends_but_not_at_abbreviations(text, sentences):
    assert split_sentences(text) == sentences
