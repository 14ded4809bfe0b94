"""GET /api/v1/search/: the search page's results, as JSON."""

import pytest

from tests.factories import SignalFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_it_returns_sources_and_findings_ranked_with_escaped_highlights(reader_api):
    SourceFactory(title="Tidal <em>barrages</em>", summary="")
    SignalFactory(name="Harbour grids", description="tidal power at the quay")

    body = reader_api.send("get", "search/", {"q": "tidal"}).json()

    assert body["count"] == 2 and body["next"] is None
    first, second = body["items"]
    assert first["kind"] == "sources" and second["kind"] == "signals"
    assert first["name_html"] == "<mark>Tidal</mark> &lt;em&gt;barrages&lt;/em&gt;"
    assert "<mark>tidal</mark>" in second["snippet_html"]
    assert second["url"].endswith(f"#signals-{second['id']}")


def test_pages_follow_limit_and_offset(reader_api):
    SignalFactory.create_batch(3, name="Paged")

    body = reader_api.send("get", "search/", {"q": "paged", "limit": 2}).json()
    assert len(body["items"]) == 2 and "offset=2" in body["next"]
    body = reader_api.send("get", "search/", {"q": "paged", "limit": 2, "offset": 2}).json()
    assert len(body["items"]) == 1 and body["next"] is None


def test_a_misspelt_word_is_searched_corrected_unless_asked_as_typed(reader_api):
    SignalFactory(name="Hydrogen buses")

    body = reader_api.send("get", "search/", {"q": "hydorgen buses"}).json()
    typed = reader_api.send("get", "search/", {"q": "hydorgen buses", "as_typed": "true"}).json()

    assert body["q"] == "hydrogen buses" and body["corrected_from"] == "hydorgen buses"
    assert body["count"] == 1
    assert typed["q"] == "hydorgen buses" and typed["corrected_from"] == ""
    assert typed["count"] == 0


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "type a word to search for."),
        ("*", "has no words to search for"),
        ("x" * 10_000, "at most 500 characters"),
        ("a\x00", "NUL"),
    ],
)
def test_a_query_that_cannot_be_searched_is_a_422_naming_q(reader_api, q, message):
    response = reader_api.send("get", "search/", {"q": q})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and message in body["details"]["fields"]["q"][0]
