"""The explorer's Text filter reads the search index: words, beginnings of words, syntax."""

import pytest

from apps.knowledge.explorer import FindingFilterForm, findings_filtered
from tests.factories import SignalFactory

pytestmark = pytest.mark.django_db

EXPLORE = "/explore/"


def names(q: str) -> set[str]:
    form = FindingFilterForm({"q": q})
    assert form.is_valid(), form.errors
    return {finding.name for finding in findings_filtered("signals", form.applied())}


def test_a_word_being_typed_matches_the_words_it_begins():
    SignalFactory(name="Solar roofs", description="")
    SignalFactory(name="Wind", description="sold out")
    SignalFactory(name="Consolidation", description="")

    assert names("sola") == {"Solar roofs"}
    assert names("sol") == {"Solar roofs", "Wind"}


def test_the_search_syntax_applies():
    SignalFactory(name="Heat pumps", description="")
    SignalFactory(name="Pumps for heat", description="")
    SignalFactory(name="Heat waves", description="")

    assert names('"heat pumps"') == {"Heat pumps"}
    assert names("heat -pumps") == {"Heat waves"}
    assert names("waves OR pumps") == {"Heat pumps", "Pumps for heat", "Heat waves"}


def test_a_text_without_words_is_named_and_the_other_filters_still_apply(reader_client):
    SignalFactory(name="Heat pumps", relevancy=4)

    response = reader_client.get(EXPLORE, {"q": '"*"', "min_relevancy": "3"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Text: “&quot;*&quot;” has no words to search for." in html
    assert "Heat pumps" in html
