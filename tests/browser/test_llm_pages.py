"""The LLM classifier's traces on the pages: the pipeline page's "Classifier" panel with the
negotiated output mode, and the source page's runs with tokens and the mode, at phone and
desktop width (screenshots in test-artifacts/screenshots/test_llm_*/)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.classification.models import LLMEndpoint
from apps.sources.models import ClassificationRun
from tests.accounts.factories import UserFactory
from tests.browser.checks import assert_contrast, assert_controls_named, assert_fits
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import SourceFactory

pytestmark = pytest.mark.browser

BASE_URL = "http://127.0.0.1:8080/v1"


@pytest.fixture
def llm_configured(settings):
    settings.SPYGLASS_CLASSIFIER = "llm"
    settings.SPYGLASS_LLM = {
        **settings.SPYGLASS_LLM,
        "base_url": BASE_URL,
        "model": "gemma-3-270m",
        "output": "auto",
    }
    LLMEndpoint.objects.create(
        base_url=BASE_URL,
        model="gemma-3-270m",
        output_mode="json_object_schema",
        refused_modes="json_schema",
        refusal="HTTP 500: Input should be 'text' or 'json_object'",
        negotiated_at=timezone.now(),
        probed_at=timezone.now(),
    )


def look(page, screenshot, name: str) -> None:
    screenshot(page, f"{name} phone")
    assert_fits(page)
    assert_controls_named(page)
    assert_contrast(page)
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name} desktop")


def test_llm_pipeline_page_shows_the_negotiated_mode(new_page, login, screenshot, llm_configured):
    url = reverse("sources:pipeline")
    page = new_page(PHONE)
    login(page, UserFactory(username="rory", role="reader"), next_url=url)
    page.goto(url)

    panel = page.locator("#classifier")
    expect(panel).to_contain_text("model gemma-3-270m at http://127.0.0.1:8080/v1")
    expect(panel).to_contain_text("json_object_schema (negotiated")
    expect(panel).to_contain_text("refused: json_schema")
    look(page, screenshot, "pipeline")


def test_llm_source_page_runs_show_tokens_and_mode(new_page, login, screenshot, llm_configured):
    source = SourceFactory(title="Tidal batteries reach small harbour towns")
    ClassificationRun.objects.create(
        source=source,
        classifier="llm",
        model="gemma-3-270m",
        prompt_version="llm-2026-12-06.1",
        outcome=ClassificationRun.Outcome.APPLIED,
        duration_ms=29_900,
        prompt_tokens=1194,
        completion_tokens=70,
        output_mode="json_object_schema",
        chunks=1,
    )
    ClassificationRun.objects.create(
        source=source,
        classifier="llm",
        model="gemma-3-270m",
        outcome=ClassificationRun.Outcome.APPLIED,
        duration_ms=237_300,
        prompt_tokens=6717,
        completion_tokens=915,
        output_mode="json_object_schema",
        chunks=2,
        error="part 2 of 2 left out: the model's answer did not fit the schema, twice",
        started_at=timezone.now() - timezone.timedelta(hours=1),
    )
    url = source.get_absolute_url()
    page = new_page(PHONE)
    login(page, UserFactory(username="rory", role="reader"), next_url=url)
    page.goto(url)

    runs = page.locator("#source-details table")
    expect(runs).to_contain_text("1194 / 70")
    expect(runs).to_contain_text("json_object_schema")
    expect(runs).to_contain_text("2 parts")
    page.locator("#source-details").scroll_into_view_if_needed()
    look(page, screenshot, "source runs")
