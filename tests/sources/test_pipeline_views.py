"""The pipeline page, and the actions that send sources through the pipeline again."""

import zlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.models import WorkerHeartbeat
from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

PIPELINE = reverse("sources:pipeline")
COUNTS = reverse("sources:pipeline_counts")
RETRY_FAILED = reverse("sources:retry_failed")
HTMX = {"HTTP_HX_REQUEST": "true"}
Status, Stage = Source.Status, Source.Stage
BUSY = "This source is being processed, try again when it has finished."


def login(client, role: str | None):
    client.force_login(UserFactory(role=role))
    return client


def failed(code: str = "http_404", message: str = "HTTP 404", **fields) -> Source:
    fields.setdefault("status", Status.FAILED)
    fields.setdefault("stage", Stage.FETCH)
    return SourceFactory(failure_code=code, failure_message=message, **fields)


def action_url(name: str, source: Source) -> str:
    return reverse(f"sources:{name}", args=[source.pk])


def html_file(content: bytes = b"<html><body><p>The article.</p></body></html>", name="a.html"):
    return SimpleUploadedFile(name, content, content_type="text/html")


# --- Who may see and do what ---------------------------------------------------------


def test_anonymous_visitors_log_in_first(client):
    source = failed()
    for url in (PIPELINE, COUNTS):
        assert client.get(url).url.startswith(reverse("accounts:login"))
    for name in ("retry", "paste", "upload"):
        assert client.post(action_url(name, source)).url.startswith(reverse("accounts:login"))
    assert client.post(RETRY_FAILED, {"failure_code": "http_404"}).status_code == 302
    source.refresh_from_db()
    assert source.status == Status.FAILED


@pytest.mark.parametrize(
    ("role", "read", "act", "retry_all"),
    [
        (None, 403, 403, 403),
        ("reader", 200, 403, 403),
        ("analyst", 200, 302, 403),
        ("editor", 200, 302, 302),
    ],
)
def test_the_role_matrix(client, role, read, act, retry_all):
    login(client, role)
    assert client.get(PIPELINE).status_code == read
    assert client.get(COUNTS).status_code == read
    for name, data in (
        ("retry", {}),
        ("paste", {"text": "The article's text."}),
        ("upload", {"page": html_file()}),
    ):
        source = failed(status=Status.BLOCKED)
        assert client.post(action_url(name, source), data).status_code == act
        source.refresh_from_db()
        assert (source.status == Status.QUEUED) == (act == 302)
    source = failed()
    assert client.post(RETRY_FAILED, {"failure_code": "http_404"}).status_code == retry_all
    source.refresh_from_db()
    assert (source.status == Status.QUEUED) == (retry_all == 302)


def test_actions_take_post_only(client):
    login(client, "editor")
    source = failed()
    for url in (RETRY_FAILED, *(action_url(n, source) for n in ("retry", "paste", "upload"))):
        assert client.get(url).status_code == 405


# --- The pipeline page ---------------------------------------------------------------


def test_it_counts_every_state_zeros_too(client):
    login(client, "reader")
    SourceFactory.create_batch(2, status=Status.QUEUED)
    SourceFactory(status=Status.DONE)

    response = client.get(PIPELINE)

    counts = {item.status: item.count for item in response.context["counts"]}
    assert counts == {status: 0 for status in Status.values} | {"queued": 2, "done": 1}
    html = response.content.decode()
    assert '<span class="state-count-number">0</span> <span class="state state-no_content">' in html


def test_it_lists_the_longest_waiting_first(client):
    login(client, "reader")
    now = timezone.now()
    SourceFactory(title="Newer wait", status=Status.QUEUED, status_changed_at=now)
    SourceFactory(
        title="Older wait", status=Status.RETRYING, status_changed_at=now - timedelta(hours=1)
    )
    SourceFactory(title="Being fetched", status=Status.FETCHING, status_changed_at=now)
    SourceFactory(title="Finished", status=Status.DONE, status_changed_at=now - timedelta(days=1))

    waiting = [s.title for s in client.get(PIPELINE).context["waiting"]]

    assert waiting == ["Older wait", "Newer wait", "Being fetched"]


def test_it_shows_the_most_common_failure_reasons(client):
    login(client, "reader")
    failed("http_404", "HTTP 404")
    latest = failed("http_404", "HTTP 404 (gone)", title="The latest 404")
    failed("challenge", "blocked: challenge page", status=Status.BLOCKED)
    failed("timeout", "the server did not answer", status=Status.RETRYING)  # not final
    SourceFactory(status=Status.DONE)

    response = client.get(PIPELINE)

    reasons = [(r.code, r.count, r.example) for r in response.context["reasons"]]
    assert reasons[0] == ("http_404", 2, latest)
    assert [code for code, *_ in reasons] == ["http_404", "challenge"]
    html = response.content.decode()
    assert "HTTP 404 (gone)" in html
    assert "Retry all" not in html  # readers cannot


def test_editors_see_retry_all_per_reason(client):
    login(client, "editor")
    failed("http_404")
    failed("challenge", status=Status.BLOCKED)
    html = client.get(PIPELINE).content.decode()
    assert html.count(f'hx-post="{RETRY_FAILED}"') == 2
    assert '<input type="hidden" name="failure_code" value="challenge">' in html


def test_it_warns_when_no_worker_beat_lately(client):
    login(client, "reader")
    assert "No worker seen in the last 3 minutes" in client.get(PIPELINE).content.decode()
    WorkerHeartbeat.objects.create(
        hostname="old@host", seen_at=timezone.now() - timedelta(minutes=10)
    )
    html = client.get(PIPELINE).content.decode()
    assert "No worker seen in the last 3 minutes" in html
    assert "old@host" in html


def test_it_shows_a_live_worker(client):
    login(client, "reader")
    WorkerHeartbeat.objects.create(hostname="celery@w1", seen_at=timezone.now())
    html = client.get(PIPELINE).content.decode()
    assert "1 worker running" in html
    assert "No worker seen" not in html


def test_the_counts_fragment_polls_every_5_seconds(client):
    login(client, "reader")
    SourceFactory(status=Status.FAILED)
    response = client.get(COUNTS, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="counts"')
    assert f'hx-get="{COUNTS}" hx-trigger="every 5s"' in html
    assert "Waiting the longest" not in html


def test_the_pipeline_page_runs_the_same_queries_for_3_or_30_rows(client):
    login(client, "editor")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PIPELINE).status_code == 200
        return len(queries)

    def add(n: int, offset: int):
        for i in range(n):
            SourceFactory(status=Status.QUEUED)
            failed(f"code_{offset + i}")
        WorkerHeartbeat.objects.create(hostname=f"w{offset}", seen_at=timezone.now())

    add(3, 0)
    with_three = count_queries()
    add(27, 3)
    with_thirty = count_queries()

    assert with_three == with_thirty
    assert with_thirty <= 11  # the last: the LLM endpoints the classifier knows


# --- Retry all failures of a kind (editors) ------------------------------------------


def test_retry_all_queues_every_source_stopped_by_that_reason(client):
    login(client, "editor")
    at_fetch = failed("http_404", stage=Stage.FETCH)
    at_extract = failed("no_content", status=Status.NO_CONTENT, stage=Stage.EXTRACT)
    other = failed("http_500")

    response = client.post(RETRY_FAILED, {"failure_code": "http_404"}, follow=True)

    assert response.redirect_chain == [(PIPELINE, 302)]
    assert "1 source stopped by “http_404” queued again." in response.content.decode()
    for source in (at_fetch, at_extract, other):
        source.refresh_from_db()
    assert (at_fetch.status, at_fetch.stage, at_fetch.failure_code) == ("queued", "fetch", "")
    assert (at_extract.status, other.status) == (Status.NO_CONTENT, Status.FAILED)


def test_retry_all_answers_htmx_with_the_board(client):
    login(client, "editor")
    failed("http_404")

    response = client.post(RETRY_FAILED, {"failure_code": "http_404"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="board"')
    assert "No failures." in html
    assert 'id="messages" class="messages-region" role="status" hx-swap-oob="true"' in html


def test_retry_all_needs_a_reason(client):
    login(client, "editor")
    failed("")
    assert client.post(RETRY_FAILED, {}).status_code == 400
    assert Source.objects.get().status == Status.FAILED


# --- Retry one source (analysts) -----------------------------------------------------


def test_retry_sends_a_failed_source_back_to_the_stage_that_failed(client):
    login(client, "analyst")
    source = failed("extract_error", "could not read the page", stage=Stage.EXTRACT)

    response = client.post(action_url("retry", source), follow=True)

    assert response.redirect_chain == [(source.get_absolute_url(), 302)]
    source.refresh_from_db()
    assert (source.status, source.stage, source.attempts) == ("queued", "extract", 0)
    assert source.failure_message == ""
    assert "it is queued" in response.content.decode()


def test_re_ingest_sends_a_done_source_back_to_the_fetch(client):
    login(client, "analyst")
    source = SourceFactory(status=Status.DONE, stage=Stage.CLASSIFY)
    client.post(action_url("retry", source))
    source.refresh_from_db()
    assert (source.status, source.stage) == ("queued", "fetch")


@pytest.mark.parametrize("status", [Status.QUEUED, Status.FETCHING, Status.RETRYING])
def test_retry_refuses_a_source_in_the_pipeline(client, status):
    login(client, "analyst")
    source = SourceFactory(status=status, stage=Stage.EXTRACT)

    response = client.post(action_url("retry", source), follow=True)

    assert BUSY in response.content.decode()
    source.refresh_from_db()
    assert (source.status, source.stage) == (status, "extract")


def test_htmx_retry_from_the_source_page_returns_its_ingest_section(client):
    login(client, "analyst")
    source = failed()

    response = client.post(action_url("retry", source), HTTP_HX_TARGET="pipeline", **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="pipeline"')
    assert 'hx-trigger="every 3s"' in html  # queued now: the section follows it
    assert "it is queued" in html  # the flash message, swapped in out of band


def test_htmx_retry_from_a_list_returns_the_state_block(client):
    login(client, "analyst")
    source = SourceFactory(status=Status.DONE)

    response = client.post(action_url("retry", source), HTTP_HX_TARGET=f"state-{source.pk}", **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert f'<div class="source-state" id="state-{source.pk}">' in html
    assert "Queued" in html
    assert "Re-ingest</button>" not in html  # queued: nothing to re-ingest until it ends


# --- Paste the text / upload the page (analysts) -------------------------------------


def test_pasted_text_goes_on_to_classification(client):
    login(client, "analyst")
    source = failed("challenge", "blocked: challenge page", status=Status.BLOCKED)

    client.post(action_url("paste", source), {"text": "  The article's text.  "})

    source.refresh_from_db()
    assert (source.status, source.stage) == ("queued", "classify")
    assert source.extracted_text == "The article's text."


def test_empty_pasted_text_is_refused(client):
    login(client, "analyst")
    source = failed("challenge", status=Status.BLOCKED)

    response = client.post(action_url("paste", source), {"text": "   "})

    assert response.status_code == 200
    assert "The pasted text is empty" in response.content.decode()
    source.refresh_from_db()
    assert source.status == Status.BLOCKED


def test_an_uploaded_page_goes_on_to_extraction(client):
    login(client, "analyst")
    source = failed("no_content", status=Status.NO_CONTENT, stage=Stage.EXTRACT)
    page = b"<html><body><article>Words.</article></body></html>"

    client.post(action_url("upload", source), {"page": html_file(page)})

    source.refresh_from_db()
    assert (source.status, source.stage) == ("queued", "extract")
    assert zlib.decompress(source.raw_content) == page
    assert source.content_type == "text/html"


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (html_file(b""), "The file is empty"),
        (html_file(b"  \n "), "The file is empty"),
        (html_file(name="page.pdf"), "Upload the page saved as HTML"),
        (html_file(b"<p>" + b"x" * 2048), "The file is too large: over 1000 bytes."),
        (None, "Choose the saved .html file first."),
    ],
)
def test_a_bad_upload_is_refused_with_a_reason(client, settings, upload, error):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "max_bytes": 1000}
    login(client, "analyst")
    source = failed("challenge", status=Status.BLOCKED)

    response = client.post(action_url("upload", source), {"page": upload} if upload else {})

    assert error in response.content.decode()
    source.refresh_from_db()
    assert source.status == Status.BLOCKED


def test_htmx_upload_errors_come_back_in_the_ingest_section(client):
    login(client, "analyst")
    source = failed("challenge", status=Status.BLOCKED)

    response = client.post(action_url("upload", source), {"page": html_file(b"")}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert '<section id="pipeline"' in html
    assert "The file is empty" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize("name", ["paste", "upload"])
def test_paste_and_upload_refuse_a_source_in_the_pipeline(client, name):
    login(client, "analyst")
    source = SourceFactory(status=Status.EXTRACTING, stage=Stage.EXTRACT)
    data = {"paste": {"text": "Some text"}, "upload": {"page": html_file()}}[name]

    response = client.post(action_url(name, source), data, follow=True)

    assert BUSY in response.content.decode()
    source.refresh_from_db()
    assert source.status == Status.EXTRACTING
    assert source.extracted_text == ""


def test_an_analyst_cannot_paste_over_a_done_record(client):
    login(client, "analyst")
    source = SourceFactory(status=Status.DONE, extracted_text="The classified text.")

    response = client.post(action_url("paste", source), {"text": "Invented."})

    assert response.status_code == 403
    source.refresh_from_db()
    assert (source.status, source.extracted_text) == ("done", "The classified text.")


def test_an_editor_may_replace_a_done_records_text(client):
    login(client, "editor")
    source = SourceFactory(status=Status.DONE, extracted_text="Old.")

    client.post(action_url("paste", source), {"text": "The better text."})

    source.refresh_from_db()
    assert (source.status, source.stage) == ("queued", "classify")


def test_the_classifier_panel_names_the_local_classifier(client, settings):
    settings.SPYGLASS_CLASSIFIER = "local"

    html = login(client, "reader").get(PIPELINE).content.decode()

    assert "The <code>local</code> classifier (offline)" in html


def test_the_classifier_panel_shows_the_negotiated_mode_without_credentials(client, settings):
    from apps.classification.models import LLMEndpoint

    url = "http://user:secret@127.0.0.1:8080/v1"
    settings.SPYGLASS_CLASSIFIER = "llm"
    settings.SPYGLASS_LLM = {
        **settings.SPYGLASS_LLM,
        "base_url": url,
        "model": "gemma",
        "output": "auto",
    }
    LLMEndpoint.objects.create(
        base_url=url,
        model="gemma",
        output_mode="json_object_schema",
        refused_modes="json_schema",
        context_tokens=8192,
        limits_source="/props",
        negotiated_at=timezone.now(),
    )
    LLMEndpoint.objects.create(base_url="http://old.example/v1", model="old", output_mode="text")

    html = login(client, "reader").get(PIPELINE).content.decode()

    assert (
        'model <strong>gemma</strong> at <code class="url">http://127.0.0.1:8080/v1</code>' in html
    )
    assert "secret" not in html
    assert "<code>json_object_schema</code> (negotiated" in html
    assert "refused: <code>json_schema</code>" in html
    assert "8192 tokens (reported by <code>/props</code>)" in html
    assert "Other endpoints seen (1)" in html and "<strong>old</strong>" in html


def test_a_forced_output_mode_is_shown_as_the_setting(client, settings):
    settings.SPYGLASS_CLASSIFIER = "llm"
    settings.SPYGLASS_LLM = {
        **settings.SPYGLASS_LLM,
        "base_url": "http://127.0.0.1:8080/v1",
        "model": "gemma",
        "output": "text",
    }

    html = login(client, "reader").get(PIPELINE).content.decode()

    assert "<code>text</code> (set by <code>SPYGLASS_LLM_OUTPUT</code>)" in html
    assert "not reported by the server" in html
