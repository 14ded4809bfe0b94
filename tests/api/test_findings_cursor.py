"""Cursors on the findings lists: the same rows as offsets, in every sort, and clear refusals."""

import pytest

from apps.knowledge.explorer import SORTS
from tests.factories import SignalFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals():
    sources = [SourceFactory(published_on=None) for _ in range(3)]
    sources[0].published_on = sources[1].published_on = None
    for i in range(14):
        # Ties on relevancy and dates, and empty relevancies, so every tie-breaker counts.
        SignalFactory(source=sources[i % 3], name=f"signal {i % 5}", relevancy=(None, 2, 4)[i % 3])


def _walk(api, sort: str) -> list[int]:
    seen, cursor = [], None
    for _ in range(10):
        params = {"sort": sort, "limit": 4, **({"cursor": cursor} if cursor else {})}
        body = api.send("get", "findings/signals/", params).json()
        seen += [item["id"] for item in body["items"]]
        assert body["count"] == 14
        cursor = body["next_cursor"]
        if cursor is None:
            assert body["next"] is None
            return seen
        if "cursor" in params:  # the first page's `next` is an offset, as it always was
            assert "cursor=" in body["next"] and "offset=" not in body["next"]
    raise AssertionError("the cursors never ended")


@pytest.mark.parametrize("sort", list(SORTS))
def test_cursor_pages_hold_the_offset_pages_rows(reader_api, signals, sort):
    everything = reader_api.send("get", "findings/signals/", {"sort": sort, "limit": 100}).json()
    assert _walk(reader_api, sort) == [item["id"] for item in everything["items"]]


def test_a_tampered_cursor_is_refused_by_name(reader_api, signals):
    cursor = reader_api.send("get", "findings/signals/", {"limit": 4}).json()["next_cursor"]
    answer = reader_api.send("get", "findings/signals/", {"cursor": cursor[:-3] + "abc"})
    assert answer.status_code == 422
    assert "cursor" in answer.json()["details"]["fields"]


def test_a_cursor_of_another_sort_or_with_an_offset_is_refused(reader_api, signals):
    cursor = reader_api.send("get", "findings/signals/", {"limit": 4}).json()["next_cursor"]
    other = reader_api.send("get", "findings/signals/", {"cursor": cursor, "sort": "name"})
    assert other.status_code == 422
    assert "another sort" in other.json()["message"]
    both = reader_api.send("get", "findings/signals/", {"cursor": cursor, "offset": 4})
    assert both.status_code == 422
    assert "not both" in both.json()["message"]
