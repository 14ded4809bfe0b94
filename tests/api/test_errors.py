"""One error format for every status: {"message", "code", "details"}."""

import pytest
from django.test import override_settings

from tests.factories import SignalFactory, SourceFactory, ThemeFactory


def _assert_error(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "code", "details"}
    assert body["code"] == code and body["message"]
    return body


@pytest.mark.django_db
def test_each_status_has_the_same_shape(anonymous, reader_api, editor_api):
    signal = SignalFactory()
    ThemeFactory(name="Ageing")
    _assert_error(anonymous.send("get", "themes/"), 401, "not_authenticated")
    _assert_error(reader_api.send("post", "themes/", {"name": "X"}), 403, "forbidden")
    _assert_error(reader_api.send("get", "sources/999999"), 404, "not_found")
    _assert_error(editor_api.send("post", "themes/", {"name": "ageing"}), 400, "theme_refused")
    stale = {"version": signal.version + 1, "name": "x"}
    body = _assert_error(
        editor_api.send("patch", f"findings/signals/{signal.pk}", stale), 409, "stale_version"
    )
    assert body["details"]["current"]["id"] == signal.pk


def test_a_validation_error_names_the_field(editor_api, db):
    source = SourceFactory()
    payload = {"source": source.pk, "name": "ok", "relevancy": "high"}
    body = _assert_error(editor_api.send("post", "findings/signals/", payload), 422, "invalid")
    assert body["message"].startswith("relevancy:")
    assert list(body["details"]["fields"]) == ["relevancy"]


def test_a_body_that_is_not_json_is_422_naming_the_body(editor_api, db):
    response = editor_api.post("/api/v1/themes/", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"message", "code", "details"}


def test_nul_characters_are_refused_not_stored(editor_api, db):
    body = _assert_error(editor_api.send("post", "themes/", {"name": "a\x00b"}), 422, "invalid")
    assert body["message"].startswith("name:") and "NUL" in body["message"]


@override_settings(SPYGLASS_API_RATE_LIMIT=1)
def test_rate_limited(reader_api, db):
    reader_api.send("get", "me")
    response = reader_api.send("get", "me")
    _assert_error(response, 429, "rate_limited")
    assert response["Retry-After"].isdigit()
