"""The source page's details: links, fetch, extracted text, classification runs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.sources import details
from apps.sources.models import ClassificationRun, Source
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def details_html(client, source) -> str:
    html = client.get(reverse("sources:detail", args=[source.pk])).content.decode()
    start = html.index('<section id="source-details"')
    return html[start : html.index("</section>", start)]


def run(source, **values) -> ClassificationRun:
    values = {"classifier": "llm", "outcome": ClassificationRun.Outcome.APPLIED, **values}
    return ClassificationRun.objects.create(source=source, **values)


def test_it_shows_the_links_the_fetch_and_the_extracted_text(reader_client):
    source = SourceFactory(
        url="https://example.com/a?utm_source=x",
        canonical_url="https://example.com/a",
        final_url="https://www.example.com/a/",
        http_status=200,
        content_type="text/html",
        charset="windows-1252",
        fetched_at=timezone.now(),
        attempts=2,
        extracted_text="The first paragraph.\n\nThe <second> one.",
    )

    html = details_html(reader_client, source)

    assert '<a href="https://example.com/a?utm_source=x" target="_blank"' in html
    assert "<dt>Canonical link</dt>" in html
    assert '<a href="https://www.example.com/a/" rel="noopener noreferrer nofollow">' in html
    assert "<dt>HTTP status</dt><dd>200</dd>" in html
    assert "<dt>Content type</dt><dd>text/html</dd>" in html
    assert "<dt>Charset</dt><dd>windows-1252</dd>" in html
    assert "<dt>Attempts</dt><dd>2</dd>" in html
    assert '<details class="extracted">' in html
    assert "The &lt;second&gt; one." in html


def test_a_failure_shows_its_code_and_reason(reader_client):
    source = SourceFactory(
        status=Source.Status.FAILED,
        stage=Source.Stage.FETCH,
        attempts=3,
        failure_code="http_404",
        failure_message="HTTP 404",
    )
    html = details_html(reader_client, source)
    assert "<dt>Failure reason</dt><dd><code>http_404</code> HTTP 404</dd>" in html
    assert "<dd>3 at the Fetch stage</dd>" in html
    assert "not fetched yet" in html


def test_no_redirect_says_so_and_script_links_stay_text(reader_client):
    same = SourceFactory(url="https://e.org/x", canonical_url="https://e.org/x")
    Source.objects.filter(pk=same.pk).update(final_url="https://e.org/x")
    assert "the submitted link (no redirect)" in details_html(reader_client, same)

    bad = SourceFactory(url="javascript:alert(1)", final_url="javascript:alert(2)")
    html = details_html(reader_client, bad)
    assert 'href="javascript:' not in html
    assert "javascript:alert(2)" in html


def test_it_lists_the_classification_runs_newest_first(reader_client):
    erin = UserFactory(username="erin", role="editor")
    source = SourceFactory()
    now = timezone.now()
    run(source, classifier="local", duration_ms=40, started_at=now - timedelta(hours=1))
    run(
        source,
        model="gpt-4o-mini",
        prompt_version="3",
        duration_ms=2350,
        requested_by=erin,
        started_at=now,
        outcome=ClassificationRun.Outcome.FAILED,
        error="the classifier gave <no> usable record",
    )

    html = details_html(reader_client, source)

    rows = html[html.index("<tbody>") :].split("<tr>")[1:]
    assert len(rows) == 2
    assert "gpt-4o-mini" in rows[0]
    assert "prompt 3" in rows[0]
    assert "2.3 s" in rows[0] or "2.4 s" in rows[0]
    assert ">Failed</span>" in rows[0]
    assert "the classifier gave &lt;no&gt; usable record" in rows[0]
    assert "erin" in rows[0]
    assert "local" in rows[1]
    assert "40 ms" in rows[1]
    assert ">Applied</span>" in rows[1]
    assert "the pipeline" in rows[1]
    assert '<th scope="col">Requested by</th>' in html


def test_a_run_shows_its_tokens_and_output_mode(reader_client):
    source = SourceFactory()
    run(
        source,
        model="gemma-3-270m",
        prompt_tokens=1234,
        completion_tokens=210,
        output_mode="json_object_schema",
        chunks=3,
    )
    run(source, classifier="local", started_at=timezone.now() - timedelta(hours=1))

    html = details_html(reader_client, source)

    rows = html[html.index("<tbody>") :].split("<tr>")[1:]
    assert "1234 / 210" in rows[0]
    assert "<code>json_object_schema</code>" in rows[0]
    assert "3 parts" in rows[0]
    assert '<th scope="col" class="num">Tokens in / out</th>' in html
    assert "json_object" not in rows[1]


def test_it_shows_the_newest_20_runs(reader_client, monkeypatch):
    monkeypatch.setattr(details, "RUNS_SHOWN", 3)
    source = SourceFactory()
    for _ in range(4):
        run(source)
    html = details_html(reader_client, source)
    assert html.count("<tr>") == 4  # the header and three runs
    assert "Showing the newest 3 runs." in html


def test_an_unclassified_source_says_so_and_editors_are_told_how(client):
    source = SourceFactory(extracted_text="Some text")
    client.force_login(UserFactory(role="reader"))
    html = details_html(client, source)
    assert "Not classified yet." in html
    assert "Re-classify" not in html
    client.force_login(UserFactory(role="editor"))
    assert "Use Re-classify in the Ingest section" in details_html(client, source)


def test_the_runs_never_load_the_raw_answers(reader_client):
    source = SourceFactory()
    run(source, raw_response="x" * 1000)
    [shown] = details.source_details(source).runs
    assert {"raw_response", "result"} <= shown.get_deferred_fields()


def test_the_page_costs_the_same_with_1_or_20_runs(reader_client):
    def count(source) -> int:
        with CaptureQueriesContext(connection) as queries:
            reader_client.get(reverse("sources:detail", args=[source.pk]))
        return len(queries)

    editor = UserFactory(role="editor")
    few, many = SourceFactory(), SourceFactory()
    run(few, requested_by=editor)
    for _ in range(20):
        run(many, requested_by=UserFactory())
    assert count(few) == count(many)
