"""A reader reads the trend charts: by mouse, by keyboard, and as a table."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.checks import FOCUS_JS, assert_fits
from tests.browser.conftest import PHONE
from tests.factories import SignalFactory, SignalThemeFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.browser


def signals(weeks_ago: int, count: int, theme) -> None:
    day = timezone.localdate() - dt.timedelta(weeks=weeks_ago)
    for _ in range(count):
        item = SignalFactory(source=SourceFactory(published_on=day))
        SignalThemeFactory(signal=item, theme=theme)


def test_a_trend_chart_reads_out_a_week_on_hover_and_from_the_keyboard(new_page, login, screenshot):
    tidal = ThemeFactory(name="tidal power")
    for weeks_ago, count in ((0, 4), (1, 2), (3, 1), (10, 3)):
        signals(weeks_ago, count, tidal)
    page = new_page()
    login(page, UserFactory(username="rita", role="reader"), next_url="/trends/")

    chart = page.locator("figure", has=page.get_by_role("link", name="tidal power"))
    expect(chart.locator("svg.chart")).to_be_visible()
    expect(chart.locator("polyline.chart-signals")).to_have_count(1)
    screenshot(page, "trends")

    readout = chart.locator("[data-readout]")
    hits = chart.locator(".chart-hit")
    hits.last.hover()
    expect(readout).to_have_text(re.compile(r"^Week of .*: 4 signals, 4 sources$"))
    screenshot(page, "hover on this week", full_page=False)

    hits.first.focus()
    assert page.evaluate(FOCUS_JS)["visible"], "the focused week shows no outline"
    expect(readout).to_have_text(re.compile(r"^Week of .*: 0 signals, 0 sources$"))
    page.keyboard.press("End")
    expect(hits.last).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(hits.nth(24)).to_be_focused()
    expect(readout).to_have_text(re.compile(r": 2 signals, 2 sources$"))
    expect(hits.nth(24)).to_have_attribute("tabindex", "0")  # Tab comes back to it
    expect(hits.first).to_have_attribute("tabindex", "-1")
    screenshot(page, "keyboard on last week", full_page=False)

    chart.get_by_text("Figures as a table").click()
    table = chart.get_by_role("table")
    expect(table.get_by_role("row").last).to_contain_text("4")
    screenshot(page, "the figures as a table")


def test_the_charts_fit_a_phone(new_page, login, screenshot):
    signals(0, 2, ThemeFactory(name="decentralised energy storage for coastal communities"))
    page = new_page(PHONE)
    login(page, UserFactory(username="rita", role="reader"), next_url="/trends/")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_fits(page)
    screenshot(page, "trends on a phone")
    page.goto("/trends/emerging/?recent=1&baseline=1&minimum=1")
    expect(page.get_by_role("table")).to_be_visible()
    assert_fits(page)
    screenshot(page, "emerging on a phone")
