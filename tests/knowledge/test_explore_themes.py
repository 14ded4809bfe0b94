"""The explorer's theme checkboxes: the chosen and the most used themes, not every theme,
and a field that takes any other theme by name, slug or alias (with or without JavaScript)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.knowledge import selectors
from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

EXPLORE = reverse("explore:index")


def carried(theme, sources: int) -> None:
    for _ in range(sources):
        SourceThemeFactory(source=SourceFactory(), theme=theme)


@pytest.fixture
def themes(monkeypatch):
    monkeypatch.setattr(selectors, "MOST_USED", 2)
    energy, cities = ThemeFactory(name="energy"), ThemeFactory(name="cities")
    carried(energy, 3)
    carried(cities, 2)
    carried(ThemeFactory(name="zebras"), 1)
    ThemeFactory(name="aardvarks")
    return energy


def checkboxes(html: str) -> list[str]:
    """The values of the theme checkboxes, in order, a checked one marked with a star."""
    boxes = [box.split(">")[0] for box in html.split('name="theme" value="')[1:]]
    return [box.split('"')[0] + ("*" if box.endswith("checked") else "") for box in boxes]


def test_the_list_holds_the_most_used_themes_not_every_theme(reader_client, themes):
    html = reader_client.get(EXPLORE).content.decode()

    assert checkboxes(html) == ["cities", "energy", ""]  # the last: "Another theme", empty
    assert 'value="zebras"' not in html and 'value="aardvarks"' not in html
    assert f'href="{reverse("knowledge:theme_index")}"' in html


def test_a_chosen_theme_that_is_not_among_the_most_used_comes_first_checked(reader_client, themes):
    html = reader_client.get(EXPLORE, {"theme": ["energy", "aardvarks"]}).content.decode()

    assert checkboxes(html) == ["aardvarks*", "cities", "energy*", ""]


def test_a_theme_typed_by_its_name_or_an_alias_filters_without_javascript(reader_client):
    tidal = ThemeFactory(name="Tidal power")
    ThemeAliasFactory(theme=tidal, name="wave energy")
    SignalThemeFactory(signal=SignalFactory(name="Estuary turbines"), theme=tidal)
    SignalFactory(name="Dredgers go electric")

    for typed in ("tidal POWER", "Wave Energy", "tidal-power"):
        response = reader_client.get(EXPLORE, {"theme": typed})

        html = response.content.decode()
        assert "Estuary turbines" in html and "Dredgers go electric" not in html
        assert 'value="tidal-power" checked' in html
        assert 'id="theme-find" name="theme" value=""' in html
        assert not response.context["problems"]


def test_a_typed_name_that_finds_no_theme_stays_in_the_field(reader_client):
    ThemeFactory(name="tidal power")

    html = reader_client.get(EXPLORE, {"theme": "tidle power"}).content.decode()

    assert "Themes: no theme is known as “tidle power”" in html
    assert 'id="theme-find" name="theme" value="tidle power"' in html
    assert 'aria-invalid="true"' in html.split('id="theme-find"')[1].split(">")[0]


def test_the_most_used_themes_follow_the_base(reader_client, themes):
    reader_client.get(EXPLORE)
    aardvarks = selectors.Theme.objects.get(slug="aardvarks")
    carried(aardvarks, 5)  # a change of the knowledge retires the cached list

    assert checkboxes(reader_client.get(EXPLORE).content.decode()) == ["aardvarks", "energy", ""]


def test_a_rare_theme_is_read_by_the_list_of_its_findings_not_by_walking_every_finding(
    editor_client,
):
    rare = ThemeFactory(name="tidal kites")
    SignalFactory.create_batch(20)
    mine = SignalFactory(name="Kites pull barges")
    SignalThemeFactory(signal=mine, theme=rare)
    editor_client.get(EXPLORE, {"theme": rare.slug})  # counts the theme once (cached)

    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(EXPLORE, {"theme": rare.slug}).content.decode()

    assert "Kites pull barges" in html and "1 signal" in html
    listed = [q["sql"] for q in queries.captured_queries if "knowledge_signaltheme" in q["sql"]]
    assert any("UNION ALL" in sql for sql in listed)  # the theme's findings as one list
