"""The API docs page works in a real browser under the CSP, with no CDN."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_and_calls_the_api_with_the_session(page, login, screenshot):
    refused, outside = [], []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.on(
        "request",
        lambda r: (
            r.url.startswith("http")
            and "127.0.0.1" not in r.url
            and "localhost" not in r.url
            and outside.append(r.url)
        ),
    )
    login(page, UserFactory(username="olga", role="editor"))
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Spyglass API")
    operation = page.locator("#operations-tokens-apps_api_tokens_me")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table tr.response .response-col_status").first
    ).to_contain_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text('"username": "olga"')
    screenshot(page, "docs after calling me")
    assert not outside, outside
    assert not refused, refused
