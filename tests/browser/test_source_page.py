"""The source page of the imported seed record, read and curated at desktop and phone widths.

Finding rows read as text: relevancy is a compact one-click control, themes and actions fold
into disclosures, and a field with no value shows no label.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.checks import assert_controls_named, assert_fits
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import SignalFactory, ThemeFactory

pytestmark = pytest.mark.browser

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
BARE = "A signal with only a name"
SEEDED = "Open Source LLM Innovation"

# The widest table scrolls inside its own box only when it must; at 1280 px it must not.
TABLE_SCROLLS_JS = """() => [...document.querySelectorAll('.findings .table-wrap')]
  .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)
  .map(wrap => wrap.closest('section').id)"""


@pytest.fixture
def source(transactional_db):
    from apps.records.services import record_import_file

    source = record_import_file(next(SEEDS.glob("*.txt"))).source
    SignalFactory(
        source=source,
        name=BARE,
        description="",
        change="",
        ten_year="",
        driving_force="",
        relevancy=None,
    )
    ThemeFactory(name="community energy")
    return source


def signal_row(page, name: str):
    return page.locator("#findings-signals tbody tr", has=page.get_by_role("rowheader", name=name))


@WIDTHS
def test_a_reader_sees_only_the_fields_that_have_a_value(
    new_page, login, screenshot, source, viewport
):
    page = new_page(viewport)
    login(page, UserFactory(username="rita", role="reader"), next_url=source.get_absolute_url())
    assert_fits(page)
    screenshot(page, "source page for a reader")

    bare = signal_row(page, BARE)
    for label in ("Description", "Change", "10-year outlook", "Driving force", "Relevancy"):
        cell = bare.locator(f'td[data-label="{label}"]')
        if viewport is PHONE:  # a card: no label with nothing under it
            expect(cell).to_be_hidden()
        else:  # a table: the cell stays, empty, so the columns line up
            expect(cell).to_have_text("")
    full = signal_row(page, SEEDED)
    expect(full.locator('td[data-label="Change"]')).to_be_visible()
    expect(full.get_by_role("button")).to_have_count(0)  # nothing for readers to press
    bare.scroll_into_view_if_needed()
    screenshot(page, "a signal with only a name", full_page=False)

    # The imported seed says where it came from, and nothing about a fetch it never had.
    details = page.locator("#source-details")
    expect(details).to_contain_text("Imported from a record file (000_9386fc493d557855.txt)")
    expect(details).not_to_contain_text("not yet")
    expect(details).not_to_contain_text("Not classified yet")
    expect(page.locator(".via")).to_have_text("from 6692.0 kghosh.substack.com")
    details.scroll_into_view_if_needed()
    screenshot(page, "where the record came from", full_page=False)


@WIDTHS
def test_an_editor_sets_relevancy_in_one_click_and_by_keyboard_without_sideways_scroll(
    new_page, login, screenshot, source, viewport
):
    page = new_page(viewport)
    login(page, UserFactory(username="erin", role="editor"), next_url=source.get_absolute_url())
    assert_fits(page)
    assert_controls_named(page)
    if viewport is DESKTOP:
        assert page.evaluate(TABLE_SCROLLS_JS) == []
    screenshot(page, "source page for an editor")

    row = signal_row(page, SEEDED)
    relevancy = row.get_by_role("group", name=f"Relevancy of {SEEDED}")
    expect(relevancy.get_by_role("button", name="Relevancy 5 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
    # Themes and actions are folded: the row shows no Edit, Delete or theme box until asked.
    expect(row.get_by_role("button", name=f"Edit {SEEDED}")).to_be_hidden()
    expect(row.get_by_role("button", name=f"Delete {SEEDED}")).to_be_hidden()
    expect(row.get_by_label(f"Add a theme to the signal {SEEDED}")).to_be_hidden()

    relevancy.get_by_role("button", name="Relevancy 2 of 5").click()  # one click
    expect(relevancy.get_by_role("button", name="Relevancy 2 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("status")).to_contain_text("set to 2")

    relevancy.get_by_role("button", name="Relevancy 4 of 5").focus()  # the keyboard
    page.keyboard.press("Enter")
    four = relevancy.get_by_role("button", name="Relevancy 4 of 5")
    expect(four).to_have_attribute("aria-pressed", "true")
    expect(four).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(relevancy.get_by_role("button", name="Relevancy 3 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
    row.scroll_into_view_if_needed()
    screenshot(page, "relevancy set by keyboard", full_page=False)

    bare = signal_row(page, BARE)
    bare.get_by_role("group", name=f"Relevancy of {BARE}").get_by_role(
        "button", name="Relevancy 1 of 5"
    ).click()
    expect(
        bare.get_by_role("group", name=f"Relevancy of {BARE}").get_by_role(
            "button", name="Relevancy 1 of 5"
        )
    ).to_have_attribute("aria-pressed", "true")
    assert_fits(page)

    from apps.knowledge.models import Signal

    assert Signal.objects.get(source=source, name=SEEDED).relevancy == 3
    assert Signal.objects.get(source=source, name=BARE).relevancy == 1


@WIDTHS
def test_an_editor_opens_the_row_menus_to_edit_themes_and_reach_the_actions(
    new_page, login, screenshot, source, viewport
):
    page = new_page(viewport)
    login(page, UserFactory(username="erin", role="editor"), next_url=source.get_absolute_url())
    row = signal_row(page, BARE)

    edit_themes = row.get_by_text(f"Edit themes of {BARE}")
    edit_themes.click()
    box = row.get_by_label(f"Add a theme to the signal {BARE}")
    box.fill("community energy")
    box.press("Enter")
    remove = row.get_by_role("button", name="Remove the theme community energy")
    expect(remove).to_be_visible()
    expect(box).to_be_visible()  # still open for the next theme
    screenshot(page, "theme added", full_page=False)
    edit_themes.click()  # folded again: the row shows the theme as a link
    expect(row.get_by_role("link", name="community energy")).to_be_visible()
    expect(box).to_be_hidden()
    edit_themes.click()
    remove.click()
    expect(remove).to_have_count(0)
    expect(row.get_by_role("link", name="community energy")).to_have_count(0)

    row.get_by_text(f"Actions for {BARE}").click()
    expect(row.get_by_role("button", name=f"Edit {BARE}")).to_be_visible()
    expect(row.get_by_role("button", name=f"Delete {BARE}")).to_be_visible()
    expect(row.get_by_text(f"History of {BARE}")).to_be_visible()
    assert_fits(page)
    screenshot(page, "actions open", full_page=False)
