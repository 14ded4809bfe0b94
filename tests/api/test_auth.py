"""Who may call: tokens, the browser session with its CSRF token, the rate limit."""

import pytest
from django.test import Client, override_settings

from tests.accounts.factories import UserFactory
from tests.api.conftest import ApiClient


@pytest.fixture
def session(db):
    """A signed-in browser that enforces CSRF like a real one."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(username="grace", role="reader"))
    return browser


def test_no_credentials_is_401(anonymous, db):
    response = anonymous.send("get", "me")
    assert response.status_code == 401
    assert set(response.json()) == {"message", "code", "details"}


@pytest.mark.parametrize("header", ["Bearer spy_wrong", "Bearer ", "Basic dXNlcjpwYXNz", "spy_x"])
def test_a_bad_authorization_header_is_401(db, header):
    assert ApiClient().send("get", "me", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_wrong_token_does_not_fall_back_to_the_session(session):
    response = session.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer spy_wrong")
    assert response.status_code == 401


def test_a_session_reads_without_csrf(session):
    assert session.get("/api/v1/me").json()["username"] == "grace"


def test_a_session_write_without_the_csrf_token_is_refused(session):
    response = session.post("/api/v1/tokens/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_a_session_write_with_the_csrf_token_goes_through(session):
    session.get("/accounts/settings/")  # sets the CSRF cookie, as any page does
    csrf = session.cookies["csrftoken"].value
    response = session.post(
        "/api/v1/tokens/", {"name": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201


def test_a_token_needs_no_csrf(reader_api):
    assert reader_api.send("post", "tokens/", {"name": "x"}).status_code == 201


@override_settings(SPYGLASS_API_RATE_LIMIT=3)
def test_past_the_rate_limit_it_answers_429_with_retry_after(reader_api, editor_api):
    for _ in range(3):
        assert reader_api.send("get", "me").status_code == 200
    refused = reader_api.send("get", "me")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["details"]["retry_after"] == int(refused["Retry-After"])
    assert editor_api.send("get", "me").status_code == 200  # counted per token


@override_settings(SPYGLASS_API_RATE_LIMIT=0)
def test_a_zero_limit_turns_it_off(reader_api):
    assert all(reader_api.send("get", "me").status_code == 200 for _ in range(5))
