"""After an HTMX swap of the explorer's results, the links outside the swapped part that
carry the filter (the kind tabs, "Since 1 January") come along out of band with it, and so
do the theme checkboxes (a theme typed into "Another theme" joins them)."""

import re

import pytest
from django.urls import reverse

from tests.factories import SignalFactory, SourceFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FILTER = {"theme": "ageing", "min_relevancy": "4"}


@pytest.fixture
def ageing():
    theme = ThemeFactory(name="ageing")
    source = SourceFactory()
    SourceThemeFactory(source=source, theme=theme)
    SignalFactory(source=source, relevancy=5)
    return theme


def _swap(client, target: str) -> str:
    response = client.get(
        reverse("explore:index"), FILTER, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target
    )
    assert response.status_code == 200
    return response.content.decode()


def _element(html: str, element_id: str) -> str:
    (tag,) = re.findall(rf'<[a-z]+ id="{element_id}"[^>]*>', html)
    return tag


def test_a_results_swap_brings_the_tabs_and_the_shortcut_with_the_filter(reader_client, ageing):
    html = _swap(reader_client, "explore-results")

    assert "<html" not in html
    tabs = html[html.index('id="explore-tabs"') :]
    assert 'hx-swap-oob="true"' in _element(html, "explore-tabs")
    behaviors = reverse("explore:kind", args=["behaviors"])
    assert f'href="{behaviors}?theme=ageing&amp;min_relevancy=4"' in tabs
    shortcut = _element(html, "since-january")
    assert 'hx-swap-oob="true"' in shortcut
    assert "theme=ageing" in shortcut and "min_relevancy=4" in shortcut and "date_from=" in shortcut
    assert 'hx-swap-oob="true"' in _element(html, "theme-chooser")
    assert 'value="ageing" checked' in html[html.index('id="theme-chooser"') :]


def test_a_typed_theme_comes_back_checked_and_the_field_empty(reader_client, ageing):
    response = reader_client.get(
        reverse("explore:index"),
        {"theme": ["", "Ageing"]},  # no box checked; the name typed in "Another theme"
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="explore-results",
    )

    chooser = response.content.decode().split('id="theme-chooser"')[1]
    assert 'id="theme-choice-ageing" name="theme" value="ageing" checked' in chooser
    assert 'id="theme-find" name="theme" value=""' in chooser


def test_a_whole_explorer_swap_brings_the_tabs_only(reader_client, ageing):
    html = _swap(reader_client, "explorer")

    assert 'hx-swap-oob="true"' in _element(html, "explore-tabs")
    assert "hx-swap-oob" not in _element(html, "since-january") + _element(html, "theme-chooser")
    assert html.count('id="since-january"') == 1 and html.count('id="theme-chooser"') == 1


def test_the_full_page_has_each_link_once_and_nothing_out_of_band(reader_client, ageing):
    html = reader_client.get(reverse("explore:index"), FILTER).content.decode()

    assert html.count('id="explore-tabs"') == 1 and html.count('id="since-january"') == 1
    assert html.count('id="theme-chooser"') == 1
    assert "hx-swap-oob" not in _element(html, "explore-tabs") + _element(html, "since-january")
    assert "hx-swap-oob" not in _element(html, "theme-chooser")
    assert "theme=ageing" in _element(html, "since-january")
