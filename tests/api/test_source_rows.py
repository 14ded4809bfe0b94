"""The sources list builds its rows without the schema (apps/api/source_rows.py): each item
must still be what SourceOut makes of the source, and a page must cost the same queries
whatever its size."""

import json
from datetime import date

import ninja.schema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.renderers import JSONRenderer

from apps.api.schemas.sources import SourceOut
from apps.api.sources import SourcePage
from apps.sources import selectors
from tests.factories import SourceFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _schema_item(source_id: int) -> dict:
    source = selectors.source_list().get(pk=source_id)
    rendered = JSONRenderer().render(
        None, SourceOut.from_orm(source).model_dump(), response_status=200
    )
    return json.loads(rendered)


@pytest.fixture
def sources():
    """Sources with and without vocabularies, date, title and themes (linked out of name order)."""
    zebra, apple = ThemeFactory(name="zebra"), ThemeFactory(name="apple")
    full = SourceFactory(title="Full", published_on=date(2024, 5, 1), site_name="Example")
    SourceThemeFactory(source=full, theme=zebra, position=0)
    SourceThemeFactory(source=full, theme=apple, position=1)
    bare = SourceFactory(title="", category=None, source_type=None, published_on=None)
    SourceThemeFactory(source=bare, theme=apple)
    queued = SourceFactory(status="queued")
    return [full.pk, bare.pk, queued.pk]


def test_each_item_is_what_the_schema_makes_of_it(reader_api, sources):
    body = reader_api.send("get", "sources/", {"limit": 100}).json()
    assert list(body) == list(SourcePage.model_fields)
    assert sorted(item["id"] for item in body["items"]) == sorted(sources)
    for item in body["items"]:
        expected = _schema_item(item["id"])
        assert item == expected and list(item) == list(expected)
    full = next(item for item in body["items"] if item["id"] == sources[0])
    assert [t["name"] for t in full["themes"]] == ["zebra", "apple"]  # the links' order


def _queries(api, params: dict) -> list[str]:
    api.send("get", "sources/", params)  # the cached total
    with CaptureQueriesContext(connection) as queries:
        response = api.send("get", "sources/", params)
    assert response.status_code == 200 and response.json()["items"]
    return [query["sql"] for query in queries]


def test_a_page_of_100_costs_the_queries_of_a_page_of_5(reader_api):
    themes = [ThemeFactory() for _ in range(3)]
    for i in range(30):
        SourceThemeFactory(source=SourceFactory(), theme=themes[i % 3])
    small, large = _queries(reader_api, {"limit": 5}), _queries(reader_api, {"limit": 100})
    assert len(large) == len(small) <= 10
    # SourceOut shows no finding counts: the page does not count each source's findings.
    assert not [sql for sql in large if "knowledge_signal" in sql]


def test_the_rows_are_not_validated_again(reader_api, sources, monkeypatch):
    made = []

    class Counted(ninja.schema.DjangoGetter):
        def __init__(self, *args, **kwargs):
            made.append(args[1].__name__)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(ninja.schema, "DjangoGetter", Counted)
    counts = []
    for limit in (1, 3):
        made.clear()
        assert len(reader_api.send("get", "sources/", {"limit": limit}).json()["items"]) == limit
        counts.append(len(made))
    assert counts[0] == counts[1] and "SourceOut" not in made
