"""Parsing the search syntax and writing it for each database, whatever the input."""

import pytest

from apps.search.query import SearchQueryError, parse


def test_words_phrases_or_and_minus_are_read():
    query = parse('Heat "solar panels" OR wind -coal -"fossil fuel"')

    assert query.clauses == ((("heat",),), (("solar", "panels"), ("wind",)))
    assert query.excluded == (("coal",), ("fossil", "fuel"))
    assert query.websearch == '"heat" "solar panels" OR "wind" -"coal" -"fossil fuel"'
    assert query.fts5 == '("heat") AND ("solar panels" OR "wind") NOT ("coal" OR "fossil fuel")'
    assert query.fts5_prefix.startswith('("heat"*) AND ("solar panels" OR "wind"*)')
    assert query.tsquery_prefix == (
        "('heat':*) & (('solar' <-> 'panels') | 'wind':*) & !('coal':* | ('fossil' <-> 'fuel'))"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('NEAR(solar, "wind', ["near", "solar", "wind"]),
        ("col:solar^2 *", ["col", "solar", "2"]),
        ("solar OR", ["solar"]),
        ("OR solar", ["solar"]),
        ("a'b; DROP TABLE x;--", ["a", "b", "drop", "table", "x"]),
    ],
)
def test_operators_of_the_databases_are_only_separators(text, words):
    query = parse(text)
    assert query.words == words
    assert all(
        ch.isalnum() or ch in ' "()*' for ch in query.fts5.replace("AND", "").replace("OR", "")
    )


def test_every_limit_has_its_message():
    with pytest.raises(SearchQueryError, match="at most 32 words"):
        parse(" ".join(f"w{n}" for n in range(33)))
    assert parse("x" * 500).words == ["x" * 500]
