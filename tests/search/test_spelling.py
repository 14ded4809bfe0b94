"""Putting a misspelt search word right: the closest word of the names, within a few edits."""

import pytest

from apps.search.query import parse
from apps.search.selectors import search
from apps.search.spelling import best_match, corrected, max_edits
from tests.factories import SignalFactory, SourceFactory, ThemeFactory


def test_a_swap_of_two_letters_counts_as_one_edit():
    assert best_match("hydorgen", ["hydroponics", "hydrogen", "oxygen"]) == "hydrogen"


def test_a_word_found_as_typed_is_left_alone():
    assert best_match("hydrogen", ["hydrogens", "hydrogen"]) is None


def test_longer_words_allow_more_edits():
    assert max_edits("climte") == 1 and max_edits("hydorgen") == 2
    assert best_match("climte", ["climate"]) == "climate"
    assert best_match("clmte", ["climate"]) is None


def test_the_corrected_query_keeps_its_syntax():
    lexicon = {"hydorgen": ["hydrogen"], "fery": ["ferry"], "buses": ["buses"]}

    fixed = corrected(parse('"hydorgen fery" OR buses -diesel'), lambda words: lexicon)

    assert fixed.text == '"hydrogen ferry" OR buses -diesel'
    assert fixed.clauses == ((("hydrogen", "ferry"), ("buses",)),)


def test_short_words_and_numbers_are_not_corrected():
    assert corrected(parse("ev 2030"), lambda words: {"ev": ["eve"]}) is None


@pytest.mark.django_db
def test_a_misspelt_word_finds_the_names_it_meant_with_a_way_back():
    SignalFactory(name="Return of hydrogen buses")
    SourceFactory(title="Hydrogen valleys in Europe")

    found = search("hydorgen")
    as_typed = search("hydorgen", as_typed=True)

    assert found.corrected_from == "hydorgen" and found.query.text == "hydrogen"
    assert found.total == 2
    assert as_typed.total == 0 and as_typed.corrected_from == ""


@pytest.mark.django_db
def test_a_correction_is_kept_only_when_it_finds_more():
    SignalFactory(name="Hydrogen buses")
    SignalFactory(name="Hydorgen is a brand name")

    found = search("hydorgen")

    assert found.corrected_from == "" and found.total == 1


@pytest.mark.django_db
def test_words_of_new_findings_and_renamed_themes_are_corrected_to():
    theme = ThemeFactory(name="Aquaculture")
    SignalFactory(name="Kelp farms scale up")
    theme.name = "Mariculture"
    theme.save()

    assert search("kelpp farms").query.text == "kelp farms"
    assert [t.name for t in search("maricultre").themes] == ["Mariculture"]
