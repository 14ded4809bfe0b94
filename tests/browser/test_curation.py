"""Editors curate findings on the source page: one-click relevancy, history, conflicts."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory

pytestmark = pytest.mark.browser

NAME = "Fishing cooperatives finance community batteries"


@pytest.fixture
def signal(transactional_db):
    return SignalFactory(name=NAME, relevancy=3, description="Members buy shares.")


def test_an_editor_changes_a_relevancy_in_one_click_and_sees_it_in_the_history(
    page, login, screenshot, signal
):
    login(
        page, UserFactory(username="erin", role="editor"), next_url=signal.source.get_absolute_url()
    )
    relevancy = page.get_by_role("group", name=f"Relevancy of {NAME}")
    expect(relevancy.get_by_role("button", name="Relevancy 3 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
    screenshot(page, "source page")

    relevancy.get_by_role("button", name="Relevancy 5 of 5").click()
    expect(relevancy.get_by_role("button", name="Relevancy 5 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(relevancy.get_by_role("button", name="Relevancy 3 of 5")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.get_by_role("status")).to_contain_text("set to 5")
    screenshot(page, "relevancy set to 5")

    page.get_by_text(f"Actions for {NAME}").click()  # Edit, Delete, History fold into a menu
    page.get_by_text(f"History of {NAME}").click()
    history = page.locator(f"#signals-{signal.pk} .history-body")
    entry = history.get_by_role("listitem").first
    expect(entry).to_contain_text("Relevancy changed from 3 to 5")
    expect(entry).to_contain_text("erin")
    screenshot(page, "history open")

    signal.refresh_from_db()
    assert signal.relevancy == 5

    page.reload()  # the change is stored, not only shown
    expect(
        page.get_by_role("group", name=f"Relevancy of {NAME}").get_by_role(
            "button", name="Relevancy 5 of 5"
        )
    ).to_have_attribute("aria-pressed", "true")


def test_the_second_of_two_editors_gets_a_conflict_not_a_silent_overwrite(
    new_page, login, screenshot, signal
):
    url = signal.source.get_absolute_url()
    erin, frank = new_page(), new_page()
    login(erin, UserFactory(username="erin", role="editor"), next_url=url)
    login(frank, UserFactory(username="frank", role="editor"), next_url=url)
    for page in (erin, frank):
        page.get_by_text(f"Actions for {NAME}").click()
        page.get_by_role("button", name=f"Edit {NAME}").click()
        expect(page.locator(f"#signals-{signal.pk}").get_by_label("Description")).to_be_visible()

    erin_row = erin.locator(f"#signals-{signal.pk}")
    erin_row.get_by_label("Description").fill("Members buy shares and get cheaper power.")
    erin_row.get_by_role("button", name="Save").click()
    expect(erin_row).to_contain_text("Members buy shares and get cheaper power.")
    screenshot(erin, "first editor saved")

    frank_row = frank.locator(f"#signals-{signal.pk}")
    frank_row.get_by_label("Description").fill("The town council pays half.")
    frank_row.get_by_role("button", name="Save").click()
    alert = frank_row.get_by_role("alert")
    expect(alert).to_contain_text("erin changed this")
    expect(alert).to_contain_text("Members buy shares and get cheaper power.")
    expect(frank_row.get_by_label("Description")).to_have_value("The town council pays half.")
    screenshot(frank, "second editor sees the conflict")

    signal.refresh_from_db()
    assert signal.description == "Members buy shares and get cheaper power."

    # Having seen erin's value, frank may still choose his own: saving again replaces it.
    frank_row.get_by_role("button", name="Save").click()
    expect(frank_row).to_contain_text("The town council pays half.")
    expect(frank_row.get_by_role("alert")).to_have_count(0)
    signal.refresh_from_db()
    assert signal.description == "The town council pays half."
    screenshot(frank, "second editor saved after the conflict")


def test_a_one_click_relevancy_on_a_stale_page_shows_who_changed_it_and_the_value_now(
    new_page, login, screenshot, signal
):
    url = signal.source.get_absolute_url()
    erin, frank = new_page(), new_page()
    login(erin, UserFactory(username="erin", role="editor"), next_url=url)
    login(frank, UserFactory(username="frank", role="editor"), next_url=url)

    erin_group = erin.get_by_role("group", name=f"Relevancy of {NAME}")
    erin_group.get_by_role("button", name="Relevancy 4 of 5").click()
    expect(erin_group.get_by_role("button", name="Relevancy 4 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )

    frank.get_by_role("group", name=f"Relevancy of {NAME}").get_by_role(
        "button", name="Relevancy 2 of 5"
    ).click()
    alert = frank.locator(f"#signals-{signal.pk}").get_by_role("alert")
    expect(alert).to_contain_text("erin changed this")
    expect(alert).to_contain_text("now 4")
    expect(
        frank.get_by_role("group", name=f"Relevancy of {NAME}").get_by_role(
            "button", name="Relevancy 4 of 5"
        )
    ).to_have_attribute("aria-pressed", "true")
    screenshot(frank, "stale relevancy refused")
    signal.refresh_from_db()
    assert signal.relevancy == 4


def test_relevancy_works_from_the_keyboard_and_keeps_the_focus(page, login, signal):
    login(
        page, UserFactory(username="erin", role="editor"), next_url=signal.source.get_absolute_url()
    )
    relevancy = page.get_by_role("group", name=f"Relevancy of {NAME}")

    relevancy.get_by_role("button", name="Relevancy 4 of 5").focus()
    page.keyboard.press("Enter")
    four = relevancy.get_by_role("button", name="Relevancy 4 of 5")
    expect(four).to_have_attribute("aria-pressed", "true")
    expect(four).to_be_focused()  # the row was swapped: the focus must not fall to the page

    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(relevancy.get_by_role("button", name="Relevancy 5 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
