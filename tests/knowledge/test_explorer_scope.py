"""Own versus inherited themes: a finding's own theme links against those of its source,
told apart by the explorer's filter (theme_scope), its facets, the theme page and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import Origin
from apps.knowledge.explorer import FindingFilterForm, findings_filtered, theme_facets
from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

EXPLORE = reverse("explore:index")


@pytest.fixture
def report():
    """One source on energy and mobility; each of its two signals is about one of them."""
    energy, mobility = ThemeFactory(name="energy"), ThemeFactory(name="mobility")
    source = SourceFactory(title="City report")
    SourceThemeFactory(source=source, theme=energy, position=0)
    SourceThemeFactory(source=source, theme=mobility, position=1)
    storage = SignalFactory(source=source, name="Tidal storage", relevancy=4)
    SignalThemeFactory(signal=storage, theme=energy)
    sharing = SignalFactory(source=source, name="Car sharing", relevancy=3)
    SignalThemeFactory(signal=sharing, theme=mobility)
    return {"energy": energy, "mobility": mobility, "storage": storage, "sharing": sharing}


def applied(**data) -> dict:
    form = FindingFilterForm(data)
    assert form.is_valid(), form.errors
    return form.applied()


def names(**data) -> list[str]:
    return [f.name for f in findings_filtered("signals", applied(**data))]


def test_own_scope_separates_the_findings_of_one_source(report):
    assert names(theme="energy") == ["Tidal storage", "Car sharing"]  # default: any
    assert names(theme="energy", theme_scope="own") == ["Tidal storage"]
    assert names(theme="mobility", theme_scope="own") == ["Car sharing"]
    assert names(theme=["energy", "mobility"], match="all", theme_scope="own") == []


def test_a_bad_scope_is_named_and_the_default_applies(report):
    form = FindingFilterForm({"theme": "energy", "theme_scope": "mine"})

    assert not form.is_valid() and "theme_scope" in form.errors
    assert form.applied()["theme_scope"] == "any"


def test_facets_count_own_and_inherited_carriers(report):
    facets = theme_facets("signals", applied())
    assert [(f.theme.name, f.count, f.own) for f in facets] == [
        ("energy", 2, 1),
        ("mobility", 2, 1),
    ]
    own = theme_facets("signals", applied(theme="energy", theme_scope="own"))
    assert [(f.theme.name, f.count, f.own) for f in own] == [("energy", 1, 1)]


def test_the_explorer_page_marks_own_and_inherited_themes(reader_client, report):
    html = reader_client.get(EXPLORE, {"theme": "energy"}).content.decode()

    assert html.count('data-theme-scope="own"') == 2  # each signal's own theme
    assert html.count('data-theme-scope="inherited"') == 2  # and the other one, from the source
    assert 'name="theme_scope"' in html
    assert "own 1" in html  # the facet says how many carry it themselves

    own = reader_client.get(EXPLORE, {"theme": "energy", "theme_scope": "own"})
    assert own.context["found"] == "1 signal"
    assert '<option value="own" selected>' in own.content.decode()


def test_the_theme_page_tells_own_from_inherited(reader_client, report):
    response = reader_client.get(reverse("knowledge:theme", args=[report["energy"].slug]))

    signals = response.context["groups"][0]
    assert (signals.total, signals.own) == (2, 1)
    html = response.content.decode()
    assert "(1 carry it themselves)" in html
    assert "Car sharing</a>" in html and "(the theme of its source)" in html
    assert "theme_scope=own" in html


def test_drafts_are_marked_in_the_explorer_and_on_the_source_page(reader_client, settings):
    settings.SPYGLASS_DRAFT_CONFIDENCE = 0.6
    draft = SignalFactory(name="Shaky", origin=Origin.AI, confidence=0.3)

    explorer = reader_client.get(EXPLORE).content.decode()
    page = reader_client.get(draft.source.get_absolute_url()).content.decode()

    for html in (explorer, page):
        assert html.count("Machine draft, not reviewed") == 1


def _fill(n: int, themes: list) -> None:
    for i in range(n):
        source = SourceFactory()
        SourceThemeFactory(source=source, theme=themes[i % 2])
        signal = SignalFactory(source=source, origin=Origin.AI, confidence=0.2)
        SignalThemeFactory(signal=signal, theme=themes[(i + 1) % 2])


def test_the_own_scope_costs_the_same_queries_whatever_the_page_size(reader_client):
    themes = [ThemeFactory(), ThemeFactory()]
    params = {"theme": themes[0].slug, "theme_scope": "own"}
    _fill(3, themes)
    reader_client.get(EXPLORE, params)
    with CaptureQueriesContext(connection) as few:
        reader_client.get(EXPLORE, params)
    _fill(60, themes)
    with CaptureQueriesContext(connection) as many:
        html = reader_client.get(EXPLORE, params).content.decode()

    assert html.count('class="result"') == 25
    assert len(many) == len(few)


def test_the_theme_page_costs_the_same_queries_whatever_it_lists(reader_client):
    themes = [ThemeFactory(), ThemeFactory()]
    url = reverse("knowledge:theme", args=[themes[0].slug])
    _fill(2, themes)
    reader_client.get(url)
    with CaptureQueriesContext(connection) as few:
        reader_client.get(url)
    _fill(40, themes)
    with CaptureQueriesContext(connection) as many:
        html = reader_client.get(url).content.decode()

    assert html.count('data-theme-scope="inherited"') == 21
    assert html.count('data-theme-scope="own"') == 21
    assert html.count("Machine draft, not reviewed") == 42
    assert len(many) == len(few)
