"""A reader filters the signals by two themes, shares the URL, and goes back."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SignalThemeFactory, ThemeFactory

pytestmark = pytest.mark.browser


def signal(name: str, *themes, relevancy: int = 4):
    finding = SignalFactory(name=name, relevancy=relevancy)
    for theme in themes:
        SignalThemeFactory(signal=finding, theme=theme)
    return finding


def expect_results(page, shown: list[str], hidden: list[str]) -> None:
    results = page.locator("#explore-results")
    for name in shown:
        expect(results.get_by_role("link", name=name)).to_be_visible()
    for name in hidden:
        expect(results.get_by_role("link", name=name)).to_have_count(0)


def test_filtering_by_two_themes_is_in_the_url_and_back_restores_the_previous_view(
    new_page, login, screenshot
):
    tidal = ThemeFactory(name="tidal power")
    coastal = ThemeFactory(name="coastal towns")
    dredging = ThemeFactory(name="river dredging")
    signal("Harbour grids run on the tides", tidal, coastal)
    signal("Estuary turbines get cheaper", tidal)
    signal("Seaside shops share batteries", coastal)
    signal("Dredgers go electric", dredging)
    everything = ["Harbour grids run on the tides", "Estuary turbines get cheaper"]
    everything += ["Seaside shops share batteries", "Dredgers go electric"]
    page = new_page()
    login(page, UserFactory(username="rita", role="reader"), next_url="/explore/")
    form = page.get_by_role("search", name=re.compile(r"^Filter "))

    expect_results(page, everything, [])
    screenshot(page, "every signal")
    form.get_by_label("Match").select_option("all")
    expect(page).to_have_url(re.compile(r"match=all"))
    form.get_by_label("tidal power").check()
    expect_results(
        page,
        ["Harbour grids run on the tides", "Estuary turbines get cheaper"],
        ["Seaside shops share batteries", "Dredgers go electric"],
    )
    expect(page).to_have_url(re.compile(r"theme=tidal-power"))
    screenshot(page, "one theme")

    form.get_by_label("coastal towns").check()
    expect_results(
        page,
        ["Harbour grids run on the tides"],
        ["Estuary turbines get cheaper", "Seaside shops share batteries", "Dredgers go electric"],
    )
    for parameter in ("theme=tidal-power", "theme=coastal-towns", "match=all"):
        expect(page).to_have_url(re.compile(re.escape(parameter)))
    screenshot(page, "two themes")
    shared = urlsplit(page.url)._replace(scheme="", netloc="").geturl()

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"coastal-towns"))
    expect_results(
        page,
        ["Harbour grids run on the tides", "Estuary turbines get cheaper"],
        ["Seaside shops share batteries", "Dredgers go electric"],
    )
    expect(form.get_by_label("tidal power")).to_be_checked()
    expect(form.get_by_label("coastal towns")).not_to_be_checked()
    screenshot(page, "back to one theme")

    # The shared URL gives another person the same view, controls included.
    colleague = new_page()
    login(colleague, UserFactory(username="sam", role="reader"), next_url=shared)
    expect_results(
        colleague,
        ["Harbour grids run on the tides"],
        ["Estuary turbines get cheaper", "Seaside shops share batteries"],
    )
    expect(colleague.get_by_label("tidal power")).to_be_checked()
    expect(colleague.get_by_label("coastal towns")).to_be_checked()
    expect(colleague.get_by_label("Match")).to_have_value("all")
    screenshot(colleague, "shared url")


def test_the_theme_filter_works_from_the_keyboard(page, login):
    tidal = ThemeFactory(name="tidal power")
    signal("Estuary turbines get cheaper", tidal)
    signal("Dredgers go electric")
    login(page, UserFactory(username="rita", role="reader"), next_url="/explore/")

    checkbox = page.get_by_role("search", name=re.compile(r"^Filter ")).get_by_label("tidal power")
    checkbox.focus()
    page.keyboard.press("Space")
    expect_results(page, ["Estuary turbines get cheaper"], ["Dredgers go electric"])
    expect(page).to_have_url(re.compile(r"theme=tidal-power"))
    expect(checkbox).to_be_checked()
    expect(checkbox).to_be_focused()  # only the results were swapped


def test_a_theme_beyond_the_most_used_is_found_by_typing_its_name(page, login, monkeypatch):
    from apps.knowledge import selectors
    from tests.factories import SourceFactory, SourceThemeFactory

    monkeypatch.setattr(selectors, "MOST_USED", 2)
    tidal, coastal = ThemeFactory(name="tidal power"), ThemeFactory(name="coastal towns")
    for theme in (tidal, tidal, coastal):
        SourceThemeFactory(source=SourceFactory(), theme=theme)
    dredging = ThemeFactory(name="river dredging")
    signal("Estuary turbines get cheaper", tidal)
    signal("Dredgers go electric", dredging)
    login(page, UserFactory(username="rita", role="reader"), next_url="/explore/")
    form = page.get_by_role("search", name=re.compile(r"^Filter "))
    expect(form.get_by_label("tidal power")).to_be_visible()
    expect(form.get_by_label("river dredging")).to_have_count(0)

    field = form.get_by_label("Another theme")
    field.press_sequentially("dredg", delay=50)
    suggestions = page.locator("#theme-find-choices option")
    expect(suggestions).to_have_count(1)
    expect(suggestions).to_have_attribute("value", "river dredging")
    expect(page).not_to_have_url(re.compile(r"suggestions"))
    field.fill("River Dredging")
    field.press("Enter")

    expect_results(page, ["Dredgers go electric"], ["Estuary turbines get cheaper"])
    expect(form.get_by_label("river dredging")).to_be_checked()
    expect(field).to_have_value("")
    expect(field).to_be_focused()

    form.get_by_label("river dredging").uncheck()
    expect_results(page, ["Dredgers go electric", "Estuary turbines get cheaper"], [])
    expect(form.get_by_label("river dredging")).to_have_count(0)
