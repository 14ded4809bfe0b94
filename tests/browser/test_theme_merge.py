"""An editor merges one theme into another, after confirming, and the old URL still leads there."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.factories import SignalThemeFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.browser


def ends_with(path: str) -> re.Pattern:
    return re.compile(re.escape(path) + "$")


def test_merging_two_themes_moves_the_links_and_the_old_url_redirects(page, login, screenshot):
    edge = ThemeFactory(name="edge computing")
    fog = ThemeFactory(name="fog computing")
    SourceThemeFactory(theme=fog, source__title="Fog nodes in the harbour")
    SignalThemeFactory(theme=fog, signal__name="Cranes run their own servers")
    SourceThemeFactory(theme=edge, source__title="Edge boxes in every shop")
    old_url = fog.get_absolute_url()
    login(page, UserFactory(username="erin", role="editor"), next_url=old_url)

    expect(page.get_by_role("heading", level=1)).to_contain_text("fog computing")
    screenshot(page, "theme before merge")
    page.get_by_text("Curate this theme").click()
    page.get_by_label("Merge this theme into").fill("edge computing")
    screenshot(page, "merge form filled")
    page.get_by_role("button", name="Merge").click()

    # Nothing is merged yet: a page names both themes and what moves, and asks.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merge “fog computing” into “edge computing”?"
    )
    expect(page.get_by_text("2 links will move")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="1 source")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="1 finding (1 signal)")).to_be_visible()
    screenshot(page, "merge confirmation")
    fog.refresh_from_db()
    assert fog.status == fog.Status.APPROVED

    page.get_by_role("link", name="Cancel").click()  # changing one's mind leaves it as it was
    expect(page).to_have_url(ends_with(old_url))
    page.get_by_text("Curate this theme").click()
    page.get_by_label("Merge this theme into").fill("edge computing")
    page.get_by_role("button", name="Merge").click()
    page.get_by_role("button", name="Merge into “edge computing”").click()

    expect(page).to_have_url(ends_with(edge.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_contain_text("edge computing")
    expect(page.get_by_role("status")).to_contain_text("Merged “fog computing” into")
    expect(page.get_by_role("link", name="Fog nodes in the harbour")).to_be_visible()
    expect(page.get_by_role("link", name="Edge boxes in every shop")).to_be_visible()
    expect(page.get_by_role("link", name="Cranes run their own servers")).to_be_visible()
    expect(page.locator("#theme-header")).to_contain_text("fog computing")  # now an alias
    screenshot(page, "theme after merge")

    page.goto(old_url)
    expect(page).to_have_url(ends_with(edge.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_contain_text("edge computing")
    screenshot(page, "old url redirected")
