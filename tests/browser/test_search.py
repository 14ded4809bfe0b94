"""A reader types in the header's search box and sees sources and findings, words marked."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.browser


def test_typing_in_the_header_box_shows_ranked_results_with_marked_words(page, login, screenshot):
    ThemeFactory(name="Tidal power")
    source = SourceFactory(
        title="Tidal lagoons in Wales", summary="A lagoon turns tides into power."
    )
    SignalFactory(source=source, name="Harbours sell tidal power", description="<script>x</script>")
    SignalFactory(name="Unrelated signal", description="nothing to see")
    login(page, UserFactory(username="rita", role="reader"), next_url="/explore/")

    page.keyboard.press("/")  # the shortcut puts the focus in the box
    box = page.get_by_role("searchbox", name="Search sources and findings")
    expect(box).to_be_focused()
    box.fill("tidal power")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=tidal\+power"))
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", name=re.compile("2 results"))).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("tidal", re.IGNORECASE))
    hits = results.locator("h3")
    expect(hits).to_have_count(2)
    expect(hits.get_by_role("link", name="Harbours sell tidal power")).to_be_visible()
    expect(hits.get_by_role("link", name="Tidal lagoons in Wales")).to_be_visible()
    expect(hits.get_by_role("link", name="Unrelated signal")).to_have_count(0)
    expect(results.get_by_role("link", name="Tidal power", exact=True)).to_be_visible()  # theme
    screenshot(page, "results")

    form = page.get_by_role("search", name="Search sources and findings")
    form.get_by_label("Words to find in sources and findings").fill("lagon")
    form.get_by_role("button", name="Search").click()
    expect(results.get_by_text("Nothing matches every word")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=lagon"))
    screenshot(page, "nothing found")
