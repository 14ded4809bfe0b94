"""The findings lists build their rows without the schema (apps/api/finding_rows.py): each
item must still be exactly what FindingOut makes of the finding, in every kind, by offset
and by cursor, and a page must cost the same queries whatever its size."""

import json

import ninja.schema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from ninja.renderers import JSONRenderer

from apps.api.findings import FindingPage, with_themes
from apps.api.schemas.findings import FindingOut
from apps.core.models import Origin
from apps.knowledge.models import FINDING_MODELS
from tests.factories import (
    FINDING_FACTORIES,
    SignalFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = FINDING_FACTORIES


def _schema_item(kind: str, finding_id: int) -> dict:
    """The item as the schema renders it: FindingOut over the model with its prefetches."""
    finding = with_themes(FINDING_MODELS[kind].objects.all()).get(pk=finding_id)
    rendered = JSONRenderer().render(
        None, FindingOut.from_orm(finding).model_dump(), response_status=200
    )
    return json.loads(rendered)


@pytest.fixture
def findings():
    """Every kind with the cases FindingOut tells apart: own themes, themes of the source
    (one also its own), no title, drafts, reviewed and curated findings, no relevancy."""
    zebra, apple, mango = (ThemeFactory(name=name) for name in ("zebra", "apple", "mango"))
    titled = SourceFactory(title="A titled source")
    untitled = SourceFactory(title="", canonical_url="https://example.org/untitled")
    for theme in (mango, zebra):
        SourceThemeFactory(source=titled, theme=theme)
    made = {}
    for kind, factory in FACTORIES.items():
        rows = [
            factory(source=titled, relevancy=5),
            factory(source=titled, relevancy=None, origin=Origin.AI, confidence=0.2),
            factory(
                source=untitled,
                relevancy=2,
                origin=Origin.AI,
                confidence=0.9,
                reviewed_at=timezone.now(),
            ),
            factory(source=untitled, origin=Origin.EDITOR, curated={"relevancy": {}, "name": {}}),
        ]
        rows[0].themes.add(zebra, apple)
        rows[2].themes.add(mango)
        made[kind] = [row.pk for row in rows]
    return made


@pytest.mark.parametrize("kind", list(FACTORIES))
def test_each_item_is_what_the_schema_makes_of_it(reader_api, findings, kind):
    body = reader_api.send("get", f"findings/{kind}/", {"limit": 100}).json()
    assert sorted(item["id"] for item in body["items"]) == sorted(findings[kind])
    assert list(body) == list(FindingPage.model_fields)
    for item in body["items"]:
        expected = _schema_item(kind, item["id"])
        assert item == expected and list(item) == list(expected)


def test_the_themes_keep_the_schemas_order_and_split(reader_api, findings):
    body = reader_api.send("get", "findings/signals/", {"sort": "-relevancy", "limit": 1}).json()
    (first,) = body["items"]
    assert [t["name"] for t in first["themes"]] == ["apple", "zebra"]
    assert [t["name"] for t in first["source_themes"]] == ["mango"]  # zebra is its own


@pytest.mark.parametrize("kind", list(FACTORIES))
def test_cursor_pages_hold_the_same_items(reader_api, findings, kind):
    first = reader_api.send("get", f"findings/{kind}/", {"limit": 2}).json()
    after = {"limit": 2, "cursor": first["next_cursor"]}
    second = reader_api.send("get", f"findings/{kind}/", after).json()
    everything = reader_api.send("get", f"findings/{kind}/", {"limit": 4}).json()
    assert first["items"] + second["items"] == everything["items"]


def _queries(api, params: dict) -> list[str]:
    api.send("get", "findings/signals/", params)  # the cached total, as the benchmark sees it
    with CaptureQueriesContext(connection) as queries:
        response = api.send("get", "findings/signals/", params)
    assert response.status_code == 200 and response.json()["items"]
    return [query["sql"] for query in queries]


def test_a_page_of_100_costs_the_queries_of_a_page_of_5(reader_api):
    themes = [ThemeFactory() for _ in range(3)]
    for i in range(30):
        source = SourceFactory()
        SourceThemeFactory(source=source, theme=themes[i % 3])
        for _ in range(4):
            SignalFactory(source=source).themes.add(themes[(i + 1) % 3])
    small, large = _queries(reader_api, {"limit": 5}), _queries(reader_api, {"limit": 100})
    assert len(large) == len(small) <= 10
    first = reader_api.send("get", "findings/signals/", {"limit": 5}).json()
    by_cursor = _queries(reader_api, {"limit": 100, "cursor": first["next_cursor"]})
    assert len(by_cursor) == len(small)
    # The rows load what the items show, not the provenance JSON nor the source's text.
    assert not [sql for sql in large if "machine_values" in sql or "extracted_text" in sql]


def test_the_rows_are_not_validated_again(reader_api, findings, monkeypatch):
    """ninja validated each row, field by field through its getter: more time than the
    page's query (docs/performance.md). The request's own parameters still are."""
    made = []

    class Counted(ninja.schema.DjangoGetter):
        def __init__(self, *args, **kwargs):
            made.append(args[1].__name__)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(ninja.schema, "DjangoGetter", Counted)
    counts = []
    for limit in (1, 4):
        made.clear()
        response = reader_api.send("get", "findings/signals/", {"limit": limit})
        assert len(response.json()["items"]) == limit
        counts.append(len(made))
    assert counts[0] == counts[1] and "FindingOut" not in made
