"""Paths scripts get slightly wrong are served, and unknown paths or methods answer JSON."""

import pytest
from django.test import override_settings

from apps.sources.models import Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "code", "details"} and body["code"] == code
    return body


def test_a_submission_without_the_trailing_slash_is_served_not_redirected(analyst_api):
    response = analyst_api.post(
        "/api/v1/sources", {"urls": ["https://example.org/a"]}, content_type="application/json"
    )

    assert response.status_code == 202
    assert Source.objects.filter(url="https://example.org/a").exists()


@override_settings(DEBUG=True)
def test_with_debug_on_a_post_without_the_slash_is_no_500(analyst_api):
    response = analyst_api.post(
        "/api/v1/sources", {"urls": ["https://example.org/b"]}, content_type="application/json"
    )

    assert response.status_code == 202


def test_an_item_path_with_a_trailing_slash_is_served(reader_api):
    source = SourceFactory(title="Cheap sensors")

    assert reader_api.get(f"/api/v1/sources/{source.pk}/").json()["title"] == "Cheap sensors"
    assert reader_api.get("/api/v1/me/").json()["role"] == "reader"
    assert reader_api.get("/api/v1/themes").status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_path_is_a_json_404_pointing_to_the_docs(reader_api, settings, debug):
    settings.DEBUG = debug

    body = _error(reader_api.get("/api/v1/nothing/here"), 404, "not_found")

    assert "/api/v1/nothing/here" in body["message"] and "/api/v1/docs" in body["message"]


def test_a_method_the_endpoint_does_not_take_is_a_json_405_with_allow(editor_api):
    response = editor_api.put("/api/v1/me", {}, content_type="application/json")

    body = _error(response, 405, "method_not_allowed")
    assert body["details"]["allowed"] == ["GET"] and response["Allow"] == "GET"
    assert "PUT" in body["message"]


def test_a_body_that_is_not_json_is_a_bad_request(editor_api):
    response = editor_api.post("/api/v1/themes/", "{not json", content_type="application/json")

    body = _error(response, 400, "bad_request")
    assert "body" in body["message"]


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
