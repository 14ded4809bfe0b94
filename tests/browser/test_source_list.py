"""In chromium: the sources list's filter swaps the results and the URL, the back button
returns; an editor adds a "see also" on a theme page. Screenshots for a person to look at."""

import re

import pytest
from playwright.sync_api import expect

from apps.knowledge.models import ThemeRelation
from apps.sources.models import ClassificationRun, Source
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PHONE
from tests.factories import (
    SourceFactory,
    SourceThemeFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.browser


def test_filtering_the_sources_list_and_going_back(new_page, login, screenshot):
    energy = ThemeFactory(name="energy")
    for n in range(3):
        SourceThemeFactory(theme=energy, source=SourceFactory(title=f"Tidal battery {n}"))
    SourceFactory(title="A page that would not load", status=Source.Status.FAILED)
    page = new_page()
    login(page, UserFactory(username="rita", role="reader"), next_url="/sources/")
    screenshot(page, "all sources")
    results = page.locator("#source-results")
    expect(results).to_contain_text("4 sources")

    page.get_by_label("State").select_option("failed")

    expect(page).to_have_url(re.compile(r"/sources/\?.*state=failed"))
    expect(results).to_contain_text("1 source")
    expect(results).to_contain_text("A page that would not load")
    screenshot(page, "failed only")

    page.get_by_label("State").select_option("")
    expect(page).to_have_url(re.compile(r"/sources/$"))  # empty parameters are left out
    expect(results).to_contain_text("4 sources")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/sources/\?state=failed$"))
    expect(results).to_contain_text("A page that would not load")
    expect(page.get_by_label("State")).to_have_value("failed")

    page.get_by_label("State").select_option("")
    expect(results).to_contain_text("4 sources")
    # exact: each listed source's theme chips are a list labelled "Themes" too.
    page.get_by_label("Theme", exact=True).fill("energy")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/sources/\?theme=energy"))
    expect(results).to_contain_text("3 sources")


def test_a_bad_date_is_named_on_a_phone(new_page, login, screenshot):
    SourceFactory(title="Still listed")
    page = new_page(PHONE)
    login(page, UserFactory(username="rita", role="reader"), next_url="/sources/?date_to=soon")
    expect(page.get_by_role("alert")).to_contain_text("Submitted until: Enter a date")
    expect(page.locator("#source-results")).to_contain_text("Still listed")
    screenshot(page, "bad date on a phone")


def test_an_editor_adds_a_see_also_and_sees_the_source_details(new_page, login, screenshot):
    ai, ethics = ThemeFactory(name="artificial intelligence"), ThemeFactory(name="ethics")
    ThemeAliasFactory(theme=ethics, name="moral philosophy")
    source = SourceFactory(title="Models and morals", extracted_text="Some text " * 50)
    for theme in (ai, ethics):
        SourceThemeFactory(source=source, theme=theme)
    ClassificationRun.objects.create(source=source, classifier="local", outcome="applied")
    page = new_page()
    login(page, UserFactory(username="erin", role="editor"), next_url=ai.get_absolute_url())

    related = page.locator("#related-themes")
    expect(related).to_contain_text("Often on the same sources")
    page.get_by_label("Add a “see also”").fill("moral philosophy")
    page.get_by_label("Add a “see also”").press("Enter")

    expect(related.get_by_role("link", name="ethics").first).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("now list each other")
    assert ThemeRelation.objects.count() == 1
    screenshot(page, "see also added")

    page.goto(source.get_absolute_url())
    details = page.locator("#source-details")
    details.get_by_text("Extracted text").click()
    expect(details.get_by_role("region", name="Extracted text")).to_be_visible()
    expect(details.locator("table")).to_contain_text("the pipeline")
    screenshot(page, "source details")
