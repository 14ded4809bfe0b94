"""The explorer pages: full pages, HTMX fragments, URLs that carry the state, access."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.factories import (
    BehaviorFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

EXPLORE = reverse("explore:index")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def energy():
    return ThemeFactory(name="energy")


def test_urls():
    assert EXPLORE == "/explore/"
    assert reverse("explore:kind", args=["issues"]) == "/explore/issues/"


def test_anonymous_visitors_log_in_first(client):
    response = client.get(EXPLORE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_public_read_lets_anyone_explore(client, settings):
    settings.SPYGLASS_PUBLIC_READ = True

    assert client.get(EXPLORE).status_code == 200


def test_a_user_without_role_is_refused(client):
    client.force_login(UserFactory())

    assert client.get(EXPLORE).status_code == 403


def test_an_unknown_kind_is_not_found(reader_client):
    assert reader_client.get("/explore/widgets/").status_code == 404


def test_the_page_shows_signals_with_their_fields(reader_client, energy):
    source = SourceFactory(title="Tidal batteries", published_on=date(2026, 3, 2))
    signal = SignalFactory(
        source=source,
        name="Harbour grids",
        relevancy=5,
        change="diesel to tides",
        ten_year="every harbour",
        driving_force="cheap storage",
    )
    SignalThemeFactory(signal=signal, theme=energy)

    response = reader_client.get(EXPLORE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    for text in ("Harbour grids", "diesel to tides", "every harbour", "cheap storage"):
        assert text in html
    assert f'href="{source.get_absolute_url()}"' in html
    assert f'href="{energy.get_absolute_url()}"' in html
    assert 'datetime="2026-03-02"' in html
    assert 'id="explore-results"' in html
    assert "<legend>Themes</legend>" in html


def test_each_kind_uses_the_same_component(reader_client):
    BehaviorFactory(name="Walking to work")
    SignalFactory(name="A signal")

    html = reader_client.get(reverse("explore:kind", args=["behaviors"])).content.decode()

    assert "Walking to work" in html
    assert "A signal" not in html
    assert 'aria-current="page">Behaviors' in html


def test_htmx_gets_the_results_fragment_and_the_canonical_url(reader_client, energy):
    hit = SignalFactory(name="On theme")
    SignalThemeFactory(signal=hit, theme=energy)
    SignalFactory(name="Off theme")

    response = reader_client.get(
        EXPLORE, {"theme": "energy", "q": "", "sort": ""}, HTTP_HX_TARGET="explore-results", **HTMX
    )

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="explore-results"')
    assert "On theme" in html
    assert "Off theme" not in html
    assert response["HX-Push-Url"] == "/explore/?theme=energy"
    assert "HX-Request" in response["Vary"]


def test_htmx_facet_links_get_the_form_and_results(reader_client, energy):
    html = reader_client.get(
        EXPLORE, {"theme": "energy"}, HTTP_HX_TARGET="explorer", **HTMX
    ).content.decode()

    assert "<html" not in html
    assert 'id="explore-form"' in html
    assert 'value="energy" checked' in html


def test_a_history_restore_gets_the_whole_page(reader_client, energy):
    response = reader_client.get(
        EXPLORE, {"theme": "energy"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )

    html = response.content.decode()
    assert "<html" in html
    assert 'value="energy" checked' in html


def test_the_form_shows_the_state_of_the_url(reader_client, energy):
    ThemeFactory(name="cities")

    html = reader_client.get(
        EXPLORE, {"theme": ["energy", "cities"], "match": "all", "min_relevancy": "4"}
    ).content.decode()

    assert 'value="energy" checked' in html
    assert 'value="cities" checked' in html
    assert '<option value="all" selected>' in html
    assert '<option value="4" selected>' in html


def test_facets_link_to_the_filter_with_the_theme_added(reader_client, energy):
    cities = ThemeFactory(name="cities")
    source = SourceFactory()
    SourceThemeFactory(source=source, theme=energy)
    SourceThemeFactory(source=source, theme=cities)
    SignalFactory(source=source)

    html = reader_client.get(EXPLORE, {"theme": "energy", "min_relevancy": "1"}).content.decode()

    assert 'href="?theme=energy&amp;min_relevancy=1&amp;theme=cities"' in html or (
        'href="?theme=energy&amp;theme=cities&amp;min_relevancy=1"' in html
    )


def test_bad_parameters_are_named_and_the_rest_applies(reader_client):
    SignalFactory(name="Solar roofs", relevancy=2)
    SignalFactory(name="Wind farms", relevancy=2)

    response = reader_client.get(EXPLORE, {"min_relevancy": "9", "q": "solar", "theme": "nope"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Minimum relevancy: give a number from 1 to 5." in html
    assert "Themes: no theme is known as “nope”" in html
    assert "Solar roofs" in html
    assert "Wind farms" not in html


def test_pagination_keeps_the_filter(reader_client):
    for i in range(30):
        SignalFactory(name=f"signal {i:02}", relevancy=3)

    html = reader_client.get(EXPLORE, {"sort": "name", "min_relevancy": "3"}).content.decode()
    assert "signal 24" in html
    assert "signal 25" not in html
    assert "page=2" in html and "sort=name" in html

    html = reader_client.get(
        EXPLORE, {"sort": "name", "min_relevancy": "3", "page": "2"}
    ).content.decode()
    assert "signal 25" in html
    assert "signal 24" not in html


def test_empty_states(reader_client):
    html = reader_client.get(EXPLORE).content.decode()
    assert "No signals yet" in html

    html = reader_client.get(EXPLORE, {"q": "nothing"}).content.decode()
    assert "No signals match these filters" in html


def _fill(n: int, themes: list) -> None:
    for i in range(n):
        source = SourceFactory()
        SourceThemeFactory(source=source, theme=themes[i % len(themes)])
        signal = SignalFactory(source=source, relevancy=4)
        SignalThemeFactory(signal=signal, theme=themes[(i + 1) % len(themes)])


def test_query_count_does_not_grow_with_the_page_size(reader_client):
    themes = [ThemeFactory() for _ in range(3)]
    params = {"min_relevancy": "2", "theme": [t.slug for t in themes[:2]]}
    _fill(3, themes)
    reader_client.get(EXPLORE, params)
    with CaptureQueriesContext(connection) as few:
        reader_client.get(EXPLORE, params)
    _fill(30, themes)
    with CaptureQueriesContext(connection) as many:
        html = reader_client.get(EXPLORE, params).content.decode()

    assert html.count('class="result"') == 25
    assert len(many) == len(few)


def test_a_most_used_theme_keeps_its_place_when_chosen(reader_client):
    ThemeFactory(name="aardvarks")
    ThemeFactory(name="zebras")

    html = reader_client.get(EXPLORE, {"theme": "zebras"}).content.decode()

    # Both are among the most used (there are fewer themes than that), by name.
    assert html.index('value="aardvarks"') < html.index('value="zebras" checked')


def test_a_shortcut_dates_the_filter_from_the_first_of_january(reader_client):
    from django.utils import timezone

    start = timezone.localdate().replace(month=1, day=1).isoformat()

    html = reader_client.get(EXPLORE, {"theme": "energy", "date_to": "2020-01-01"}).content.decode()

    assert f'href="?theme=energy&amp;date_from={start}"' in html


def test_results_link_to_the_export_of_the_same_filter(reader_client, energy):
    SignalThemeFactory(signal=SignalFactory(), theme=energy)

    html = reader_client.get(EXPLORE, {"theme": "energy", "page": "1"}).content.decode()

    assert 'href="/api/v1/export/findings/signals?theme=energy"' in html
    assert 'href="/api/v1/export/findings/signals?theme=energy&amp;format=json"' in html
    response = reader_client.get("/api/v1/export/findings/signals?theme=energy")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_the_fragment_query_count_does_not_grow_with_the_page_size(reader_client):
    themes = [ThemeFactory() for _ in range(3)]
    params = {"theme": themes[0].slug, "sort": "-date"}
    fragment = {"HTTP_HX_TARGET": "explore-results", **HTMX}
    _fill(3, themes)
    reader_client.get(EXPLORE, params, **fragment)
    with CaptureQueriesContext(connection) as few:
        reader_client.get(EXPLORE, params, **fragment)
    _fill(30, themes)
    with CaptureQueriesContext(connection) as many:
        html = reader_client.get(EXPLORE, params, **fragment).content.decode()

    assert html.count('class="result"') == 22  # a third via the source, a third via the finding
    assert len(many) == len(few)
