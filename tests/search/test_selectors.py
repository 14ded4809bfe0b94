"""Searching sources and findings together: syntax, ranking, snippets, typos."""

import pytest
from django.db import connection

from apps.search.backends import postgres
from apps.search.query import SearchQueryError
from apps.search.selectors import search
from tests.factories import (
    BehaviorFactory,
    KeywordFactory,
    SignalFactory,
    SourceFactory,
    SourceKeywordFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    return [f"{hit.kind}:{hit.title_html}" for hit in search(text).hits]


def names(text: str) -> set[str]:
    return {
        str(hit.title_html).replace("<mark>", "").replace("</mark>", "")
        for hit in search(text).hits
    }


def test_it_finds_sources_and_findings_together():
    SourceFactory(title="Tidal energy in harbours")
    SignalFactory(name="Harbour cranes go electric", description="tidal power at the quay")
    BehaviorFactory(name="Walking", description="nothing about water")

    assert names("tidal") == {"Tidal energy in harbours", "Harbour cranes go electric"}


def test_a_phrase_must_appear_in_order():
    SignalFactory(name="Heat pumps get cheaper")
    SignalFactory(name="Cheaper heat for pumps")

    assert names('"heat pumps"') == {"Heat pumps get cheaper"}


def test_or_finds_either_word_and_minus_leaves_one_out():
    SignalFactory(name="Solar roofs")
    SignalFactory(name="Wind farms")
    SignalFactory(name="Solar wind forecasting")

    assert names("solar OR wind") == {"Solar roofs", "Wind farms", "Solar wind forecasting"}
    assert names("solar -wind") == {"Solar roofs"}
    assert names("solar wind") == {"Solar wind forecasting"}


def test_a_name_match_ranks_above_a_body_match():
    SourceFactory(title="Long read", extracted_text="a paragraph about hydrogen storage " * 5)
    SignalFactory(name="Hydrogen ferries", description="")
    BehaviorFactory(name="Commuting", description="some mention hydrogen")

    kinds = [hit.kind for hit in search("hydrogen").hits]
    assert kinds[0] == "signals"
    assert kinds.index("behaviors") < kinds.index("sources") or len(kinds) == 3


def test_snippets_mark_the_words_and_escape_stored_markup():
    SignalFactory(
        name="<script>alert(1)</script> grids",
        description='grids <img src=x onerror="alert(2)"> grids everywhere',
    )

    hit = search("grids").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>grids</mark>" in hit.title_html
    assert "<img" not in hit.snippet_html
    assert "<mark>grids</mark>" in hit.snippet_html


def test_keywords_are_searched_and_kept_current():
    source = SourceFactory(title="A report")
    SourceKeywordFactory(
        source=source,
        keyword=KeywordFactory(key="permafrost", name="permafrost"),
        label="permafrost",
    )

    assert names("permafrost") == {"A report"}
    source.keyword_links.all().delete()
    assert names("permafrost") == set()


def test_a_source_is_found_by_words_of_its_link():
    SourceFactory(title="Elsewhere", canonical_url="https://moat.example/x")

    assert names("moat") == {"Elsewhere"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "type a word"),
        ('"', "no words"),
        ("*", "no words"),
        ("-solar", "not only words to leave out"),
        ("solar\x00", "NUL"),
        ("x" * 10_000, "at most 500 characters"),
    ],
)
def test_a_query_that_cannot_be_read_says_why(text, message):
    with pytest.raises(SearchQueryError, match=message):
        search(text)


@pytest.mark.parametrize(
    "text",
    [
        'solar "',
        "NEAR(",
        "NEAR(solar, wind)",
        "solar*",
        "a OR OR b",
        '"unclosed',
        "solar AND NOT",
        "col:solar",
        "^solar",
    ],
)
def test_hostile_syntax_is_searched_as_words(text):
    SignalFactory(name="Solar wind")
    search(text)  # no syntax error from either database


def test_a_misspelt_theme_or_finding_name_is_offered():
    ThemeFactory(name="Climate adaptation")
    signal = SignalFactory(name="Permafrost thaw")

    results = search("climte")
    assert [theme.name for theme in results.themes] == ["Climate adaptation"]
    results = search("permafrst", as_typed=True)
    assert results.hits == []
    assert [item.name for item in results.similar] == ["Permafrost thaw"]
    results = search("permafrst")
    assert [hit.id for hit in results.hits] == [signal.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the cap is PostgreSQL's")
def test_a_word_in_more_items_than_are_ranked_ranks_the_newest(monkeypatch):
    monkeypatch.setattr(postgres, "RANKED", 3)
    oldest = SignalFactory(name="Tidal kites")
    newer = [SignalFactory(name="Tidal kites", description=f"number {n}") for n in range(4)]

    results = search("tidal")

    assert {hit.id for hit in results.hits} == {signal.pk for signal in newer[1:]}
    assert oldest.pk not in {hit.id for hit in results.hits} and results.total == 3
