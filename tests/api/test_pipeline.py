"""The pipeline through the API: counts, retry by reason, pasted text, uploaded page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import AuditEntry
from apps.sources.models import Source
from tests.factories import SourceFactory


def test_the_board_counts_every_state(reader_api, db):
    SourceFactory(status=Source.Status.FAILED, failure_code="http_404")
    body = reader_api.send("get", "pipeline").json()
    counts = {row["status"]: row["count"] for row in body["counts"]}
    assert counts["failed"] == 1 and counts["queued"] == 0
    labels = {row["status"]: row["label"] for row in body["counts"]}
    assert labels["no_content"] == "No content" and labels["failed"] == "Failed"
    assert body["failure_reasons"][0]["code"] == "http_404"
    assert body["workers_alive"] == 0


def test_retrying_every_source_stopped_for_a_reason(editor_api, db):
    for _ in range(2):
        SourceFactory(status=Source.Status.FAILED, failure_code="timeout")
    response = editor_api.send("post", "pipeline/retry-failed", {"failure_code": "timeout"})
    assert response.json() == {"queued": 2}
    assert not Source.objects.filter(status=Source.Status.FAILED).exists()


def test_pasted_text_is_classified_next(analyst_api, db):
    source = SourceFactory(status=Source.Status.BLOCKED)
    response = analyst_api.send("post", f"sources/{source.pk}/text", {"text": "The article."})
    assert response.status_code == 202 and response.json()["stage"] == "classify"
    busy = analyst_api.send("post", f"sources/{source.pk}/text", {"text": "Again."})
    assert busy.status_code == 409
    blank = analyst_api.send("post", f"sources/{source.pk}/text", {"text": "   "})
    assert blank.status_code == 422 and blank.json()["message"].startswith("text:")


def test_an_uploaded_page_is_extracted_next(analyst_api, db):
    source = SourceFactory(status=Source.Status.BLOCKED)
    page = SimpleUploadedFile("page.html", b"<html><p>Hello</p></html>", "text/html")
    response = analyst_api.post(f"/api/v1/sources/{source.pk}/page", {"page": page})
    assert response.status_code == 202 and response.json()["stage"] == "extract"
    other = SourceFactory(status=Source.Status.BLOCKED)
    wrong = SimpleUploadedFile("page.pdf", b"%PDF", "application/pdf")
    refused = analyst_api.post(f"/api/v1/sources/{other.pk}/page", {"page": wrong})
    assert refused.status_code == 422 and refused.json()["message"].startswith("page:")


def test_analysts_cannot_rewrite_a_done_record_by_pasting_or_uploading(analyst_api, db):
    source = SourceFactory(status=Source.Status.DONE, extracted_text="The classified text.")
    pasted = analyst_api.send("post", f"sources/{source.pk}/text", {"text": "Invented text."})
    page = SimpleUploadedFile("page.html", b"<html><p>Invented</p></html>", "text/html")
    uploaded = analyst_api.post(f"/api/v1/sources/{source.pk}/page", {"page": page})

    for refused in (pasted, uploaded):
        assert refused.status_code == 403
        assert "already classified" in refused.json()["message"]
    source.refresh_from_db()
    assert (source.status, source.extracted_text) == ("done", "The classified text.")
    assert not AuditEntry.objects.filter(target_id=source.pk, field="extracted_text").exists()


def test_editors_may_replace_a_done_records_text_and_it_is_audited(editor_api, db):
    source = SourceFactory(status=Source.Status.DONE, extracted_text="Old text.")
    response = editor_api.send("post", f"sources/{source.pk}/text", {"text": "Better text."})

    assert response.status_code == 202 and response.json()["stage"] == "classify"
    source.refresh_from_db()
    assert source.extracted_text == "Better text."
    assert AuditEntry.objects.filter(target_id=source.pk, field="extracted_text").exists()


def test_analysts_may_still_rescue_failed_blocked_and_empty_sources(analyst_api, db):
    for status in (Source.Status.FAILED, Source.Status.BLOCKED, Source.Status.NO_CONTENT):
        source = SourceFactory(status=status)
        response = analyst_api.send("post", f"sources/{source.pk}/text", {"text": "The page."})
        assert response.status_code == 202, status
