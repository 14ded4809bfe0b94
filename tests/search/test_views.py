"""The search page and the header's box."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.test_page_permissions import NOT_TAKEN, PAGES
from tests.core.test_visible_template_syntax import page_routes, sample_data, url_of
from tests.factories import SignalFactory, SourceFactory, ThemeFactory

SEARCH = reverse("search:results")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "search-results"}


@pytest.mark.django_db
def test_the_header_box_is_on_every_page(client):
    data = sample_data()
    client.force_login(data.user)
    pages = [r for r in page_routes() if PAGES.get(r.name, {}).get("GET") not in (None, NOT_TAKEN)]
    checked = []
    for route in pages:
        response = client.get(url_of(route, data))
        html = response.content.decode()
        if response.status_code != 200 or not html.startswith("<!doctype html>"):
            continue  # fragments, downloads and metrics are not pages
        assert 'action="/search/"' in html and 'id="header-search-q"' in html, route.name
        assert '<label for="header-search-q"' in html
        checked.append(route.name)
    assert {"dashboard", "explore:index", "sources:list", "search:results"} <= set(checked)


def test_the_results_show_sources_and_findings_ranked_with_marked_words(reader_client):
    SourceFactory(title="Grids of the future", summary="")
    SignalFactory(name="Microgrids", description="Villages share <b>grids</b> and batteries")

    html = reader_client.get(SEARCH, {"q": "grids"}).content.decode()

    assert "2 results for “grids”" in html
    assert '<span class="kind kind-sources">Source</span>' in html
    assert '<span class="kind kind-signals">Signal</span>' in html
    assert "<mark>Grids</mark> of the future" in html
    results = html.split('id="search-results"')[1]
    # Stored markup is escaped (SQLite) or dropped by ts_headline (PostgreSQL), never live.
    assert "<b>" not in results and "<mark>grids</mark>" in results


def test_htmx_gets_the_results_fragment_only(reader_client):
    SignalFactory(name="Microgrids")

    response = reader_client.get(SEARCH, {"q": "microgrids"}, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="search-results"')
    assert "<html" not in html and "Microgrids" in html
    assert "HX-Request" in response["Vary"]


def test_the_page_without_a_query_explains_the_box(reader_client):
    html = reader_client.get(SEARCH).content.decode()
    assert "Type words in the box" in html


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Type a word to search for."),
        ('"', "has no words to search for"),
        ("*", "has no words to search for"),
        ("solar\x00", "A search cannot contain NUL characters."),
        ("x" * 10_000, "A search can be at most 500 characters long (this one has 10000)."),
        ("-solar", "Give at least one word to look for"),
    ],
)
def test_a_query_that_cannot_be_searched_says_why(reader_client, q, message):
    response = reader_client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "q", ["NEAR(", 'solar"', "a OR", "OR", "(", ")", "'", "\\", "--", "%", "_"]
)
def test_hostile_queries_answer_a_page(reader_client, q):
    assert reader_client.get(SEARCH, {"q": q}).status_code == 200


def test_nothing_found_says_so_and_offers_close_names(reader_client):
    ThemeFactory(name="Permafrost")
    SignalFactory(name="Permafrost thaw")

    html = reader_client.get(SEARCH, {"q": "permafrst", "as_typed": "1"}).content.decode()

    assert "0 results" in html and "Nothing matches every word" in html
    if connection.vendor == "postgresql" or "Did you mean" in html:
        assert "Did you mean" in html and "Permafrost thaw" in html


def test_a_misspelt_word_shows_the_corrected_results_and_links_to_the_words_as_typed(
    reader_client,
):
    SignalFactory(name="Permafrost thaw")

    html = reader_client.get(SEARCH, {"q": "permafrst"}).content.decode()

    assert "Showing results for <strong>permafrost</strong>" in html
    assert "1 result for “permafrost”" in html and "Permafrost</mark> thaw" in html
    assert "?q=permafrst&amp;as_typed=1" in html


def test_pages_hold_twenty_results_and_keep_the_query(reader_client):
    SignalFactory.create_batch(25, name="Paged signal")

    first = reader_client.get(SEARCH, {"q": "paged"}).content.decode()
    second = reader_client.get(SEARCH, {"q": "paged", "page": "2"})

    assert first.count('class="result search-hit"') == 20
    assert 'href="?q=paged&amp;page=2"' in first
    assert second.content.decode().count('class="result search-hit"') == 5
    assert reader_client.get(SEARCH, {"q": "paged", "page": "x"}).status_code == 200
    assert reader_client.get(SEARCH, {"q": "paged", "page": "999999999999"}).status_code == 200


def _queries(client, q: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, {"q": q}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_results(reader_client):
    SignalFactory.create_batch(6, name="Few matches")
    few = _queries(reader_client, "matches")
    SignalFactory.create_batch(20, name="More matches")
    SourceFactory.create_batch(5, title="Matches in sources")

    assert _queries(reader_client, "matches") == few <= 8
    # Under five results, the close words, the corrected page and close names: still a fixed
    # number.
    assert _queries(reader_client, "matchez") <= few + 2
