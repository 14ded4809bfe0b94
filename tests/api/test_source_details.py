"""GET /sources/{id}/details: what the source page shows under "Source details"."""

import pytest
from django.utils import timezone

from apps.sources.models import ClassificationRun
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_it_answers_the_fetch_the_text_and_the_runs_the_page_shows(reader_api, reader_client):
    editor = UserFactory(username="erin", role="editor")
    source = SourceFactory(
        url="https://example.org/a",
        final_url="https://example.org/a?moved",
        http_status=200,
        content_type="text/html",
        charset="utf-8",
        fetched_at=timezone.now(),
        extracted_text="Care robots spread.",
        submitted_by=editor,
    )
    ClassificationRun.objects.create(source=source, classifier="local", outcome="applied")
    ClassificationRun.objects.create(
        source=source,
        classifier="llm",
        model="m1",
        outcome="failed",
        error="timeout",
        requested_by=editor,
        prompt_tokens=900,
        completion_tokens=120,
        output_mode="json_object_schema",
        chunks=2,
    )

    body = reader_api.send("get", f"sources/{source.pk}/details").json()

    assert body["submitted_url"] == "https://example.org/a" and body["submitted_by"] == "erin"
    assert body["final_url"] == "https://example.org/a?moved"
    assert body["fetch"]["http_status"] == 200 and body["fetch"]["charset"] == "utf-8"
    assert body["extracted_text"] == "Care robots spread."
    assert [(run["classifier"], run["requested_by"]) for run in body["runs"]] == [
        ("llm", "erin"),
        ("local", None),
    ]
    assert body["runs"][0]["error"] == "timeout" and body["older_runs"] is False
    newest, oldest = body["runs"]
    assert (newest["prompt_tokens"], newest["completion_tokens"]) == (900, 120)
    assert (newest["output_mode"], newest["chunks"]) == ("json_object_schema", 2)
    assert (oldest["prompt_tokens"], oldest["output_mode"], oldest["chunks"]) == (None, "", None)
    page = reader_client.get(source.get_absolute_url()).content.decode()
    assert "Care robots spread." in page and "timeout" in page


def test_an_unknown_source_is_a_404(reader_api):
    response = reader_api.send("get", "sources/999999/details")

    assert response.status_code == 404 and response.json()["code"] == "not_found"
