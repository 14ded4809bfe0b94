"""An editor works through the review queue; a reader tells a finding's own themes from its
source's in the explorer. Screenshots: test-artifacts/screenshots/<test>/."""

import re

import pytest
from playwright.sync_api import expect

from apps.core.models import Origin
from apps.knowledge.models import Signal
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PHONE
from tests.factories import (
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.browser


def test_an_editor_accepts_deletes_and_edits_machine_findings(
    new_page, login, screenshot, settings
):
    settings.SPYGLASS_DRAFT_CONFIDENCE = 0.5
    source = SourceFactory(title="Tidal batteries reach small harbour towns")
    machine = {"source": source, "origin": Origin.AI}
    SignalFactory(name="Community-owned energy storage", confidence=0.3, relevancy=5, **machine)
    IssueFactory(name="The company", confidence=0.1, relevancy=2, **machine)
    SignalFactory(name="Tidal battery", confidence=0.8, relevancy=3, **machine)
    SignalFactory(name="Harbour cooperatives", origin=Origin.EDITOR, source=source)
    page = new_page()
    login(page, UserFactory(username="erin", role="editor"))

    page.goto(source.get_absolute_url())
    expect(page.get_by_text("Machine draft, not reviewed")).to_have_count(2)
    screenshot(page, "source page with machine drafts")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    queue = page.locator("#review-queue")
    expect(queue.locator(".review-item")).to_have_count(3)
    expect(queue.locator(".review-item").first).to_contain_text("The company")
    screenshot(page, "the queue least sure first")
    phone = new_page(PHONE)
    login(phone, UserFactory(username="ed", role="editor"), next_url="/review/")
    expect(phone.locator(".review-item")).to_have_count(3)
    screenshot(phone, "the queue on a phone")

    page.once("dialog", lambda dialog: dialog.accept())
    queue.get_by_role("button", name="Delete The company").click()
    expect(queue.locator(".review-item")).to_have_count(2)
    expect(page.locator("#messages")).to_contain_text("Deleted the issue “The company”.")

    queue.get_by_role("button", name="Accept Community-owned energy storage").click()
    expect(queue.locator(".review-item")).to_have_count(1)
    expect(page.locator("#messages")).to_contain_text("Accepted the signal")
    screenshot(page, "after accept and delete")

    queue.get_by_role("link", name="Edit Tidal battery").click()
    page.get_by_label("Name").fill("Tidal batteries in harbour towns")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.get_by_text("Nothing to review")).to_be_visible()
    screenshot(page, "the queue emptied")

    edited = Signal.objects.get(name="Tidal batteries in harbour towns")
    assert edited.reviewed_at is not None
    page.goto(source.get_absolute_url())
    expect(page.get_by_text("Machine draft, not reviewed")).to_have_count(0)


def test_a_reader_separates_the_findings_of_one_source_by_their_own_themes(
    new_page, login, screenshot
):
    energy, mobility = ThemeFactory(name="energy"), ThemeFactory(name="mobility")
    source = SourceFactory(title="City report 2026")
    SourceThemeFactory(source=source, theme=energy, position=0)
    SourceThemeFactory(source=source, theme=mobility, position=1)
    storage = SignalFactory(source=source, name="Tidal storage for city grids", relevancy=4)
    SignalThemeFactory(signal=storage, theme=energy)
    sharing = SignalFactory(source=source, name="Car sharing replaces second cars", relevancy=3)
    SignalThemeFactory(signal=sharing, theme=mobility)
    page = new_page()
    login(page, UserFactory(username="rita", role="reader"), next_url="/explore/?theme=energy")
    results = page.locator("#explore-results")

    expect(results.locator(".result")).to_have_count(2)
    sharing_row = results.locator(".result", has_text="Car sharing")
    expect(sharing_row.locator('[data-theme-scope="own"]')).to_have_text("mobility")
    expect(sharing_row.locator('[data-theme-scope="inherited"]')).to_contain_text("energy")
    screenshot(page, "own and inherited themes")

    page.get_by_role("search", name=re.compile(r"^Filter ")).get_by_label(
        "Themes carried"
    ).select_option("own")
    expect(page).to_have_url(re.compile(r"theme_scope=own"))
    expect(results.locator(".result")).to_have_count(1)
    expect(results.get_by_role("link", name="Tidal storage for city grids")).to_be_visible()
    screenshot(page, "own themes only")
