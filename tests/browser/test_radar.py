"""A reader reads the radar: blips by mouse and keyboard, details beside, Enter opens one."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.checks import FOCUS_JS, assert_fits
from tests.browser.conftest import PHONE
from tests.factories import CategoryFactory, SourceFactory, TechnologyFactory

pytestmark = pytest.mark.browser


def technology(name: str, relevancy: int, days_ago: int, category: str, **extra):
    source = SourceFactory(
        title=f"Report on {name}",
        published_on=timezone.localdate() - dt.timedelta(days=days_ago),
        category=CategoryFactory(name=category),
    )
    return TechnologyFactory(source=source, name=name, relevancy=relevancy, **extra)


@pytest.fixture
def technologies(db):
    technology("Estuary turbines", 5, 20, "energy", description="Slow turbines in river mouths.")
    technology("Kelp farms", 3, 200, "food", description="Seaweed grown on ropes.")
    technology("Salt batteries", 4, 10, "energy", description="Sodium cells for the grid.")
    technology("Coal barges", 2, 500, "transport")


def test_focus_and_hover_show_details_and_enter_opens_the_technology(
    new_page, login, screenshot, technologies
):
    page = new_page()
    login(page, UserFactory(username="rita", role="reader"), next_url="/radar/")
    blips = page.locator("a.radar-blip")
    expect(blips).to_have_count(4)
    details = page.locator("#radar-details")
    expect(details).to_contain_text("Point at or focus a technology")
    screenshot(page, "radar")

    blips.first.focus()
    assert page.evaluate(FOCUS_JS)["visible"], "the focused blip shows no outline"
    expect(details.locator(".radar-detail:not([hidden]) h3")).to_contain_text("1. Estuary turbines")
    expect(details).to_contain_text("Slow turbines in river mouths.")
    expect(details.get_by_role("link", name="Report on Estuary turbines")).to_be_visible()
    screenshot(page, "first blip focused", full_page=False)

    page.keyboard.press("Tab")
    expect(blips.nth(1)).to_be_focused()
    expect(details.locator(".radar-detail:not([hidden]) h3")).to_contain_text("2. Salt batteries")

    page.get_by_role("link", name=re.compile(r"^3\. Kelp farms")).hover()
    expect(details.locator(".radar-detail:not([hidden]) h3")).to_contain_text("Kelp farms")
    expect(details.locator(".radar-detail:not([hidden])")).to_contain_text("Assess · Food")
    screenshot(page, "hover on kelp farms", full_page=False)

    blips.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sources/\d+/#technologies-\d+$"))
    expect(page.get_by_text("Salt batteries").first).to_be_visible()


def test_the_radar_fits_a_phone_and_downloads(new_page, login, screenshot, technologies):
    page = new_page(PHONE)
    login(page, UserFactory(username="rita", role="reader"), next_url="/radar/")
    expect(page.locator("a.radar-blip")).to_have_count(4)
    assert_fits(page)
    screenshot(page, "radar on a phone")

    with page.expect_download() as download:
        page.get_by_role("link", name="SVG").click()
    assert download.value.suggested_filename == "spyglass-radar.svg"
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "spyglass-radar.csv"


def test_a_full_radar_places_every_blip_apart(new_page, login, screenshot):
    categories = ["energy", "water", "food", "transport", "housing", "health"]
    for n in range(48):
        technology(f"Technology {n}", 1 + n % 5, (n * 23) % 420, categories[n % 6])
    page = new_page()
    login(page, UserFactory(username="rita", role="reader"), next_url="/radar/")
    blips = page.locator("a.radar-blip")
    expect(blips).to_have_count(48)
    boxes = [blips.nth(i).locator("circle").bounding_box() for i in range(48)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"] + 0.5
                or b["x"] + b["width"] <= a["x"] + 0.5
                or a["y"] + a["height"] <= b["y"] + 0.5
                or b["y"] + b["height"] <= a["y"] + 0.5
            )
            centres = ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5
            assert apart or centres >= a["width"] - 0.5
    screenshot(page, "a full radar")
