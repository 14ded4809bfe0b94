import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.knowledge.models import Signal
from apps.sources.models import Source
from apps.sources.selectors import findings_with_themes
from tests.accounts.factories import UserFactory as RoleUserFactory
from tests.factories import (
    BehaviorFactory,
    ExtraSectionFactory,
    IssueFactory,
    KeywordFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceKeywordFactory,
    SourceThemeFactory,
    TechnologyFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("sources:list")


def detail_url(source) -> str:
    return reverse("sources:detail", args=[source.pk])


def section(html: str, heading_id: str) -> str:
    """The HTML of the page section whose heading has this id."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def full_source(findings: int = 2, themes: int = 2):
    source = SourceFactory()
    for _ in range(themes):
        SourceThemeFactory(source=source)
    for _ in range(findings):
        SourceKeywordFactory(source=source)
        SignalFactory(source=source)
        BehaviorFactory(source=source)
        TechnologyFactory(source=source)
        IssueFactory(source=source)
    ExtraSectionFactory(source=source, body="| name | relevancy |\n|:--|--:|\n| x | 2 |")
    return source


# --- Access --------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    source = SourceFactory()
    for url in (HOME, detail_url(source)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_public_read_lets_anonymous_in(client, settings):
    settings.SPYGLASS_PUBLIC_READ = True
    assert client.get(HOME).status_code == 200


def test_it_refuses_a_user_without_reader_role(client):
    client.force_login(UserFactory(username="bob"))
    response = client.get(HOME)
    assert response.status_code == 403
    assert b"Not allowed" in response.content


def test_pages_never_load_the_raw_page_bytes(reader_client):
    source = SourceFactory(raw_content=b"x" * 1000, extracted_text="long text")
    listed = reader_client.get(HOME).context["page"][0]
    shown = reader_client.get(detail_url(source)).context["page"].source
    assert {"raw_content", "extracted_text"} <= listed.get_deferred_fields()
    # The source page shows the extracted text (folded away), never the raw bytes.
    assert shown.get_deferred_fields() == {"raw_content"}


# --- Source page ---------------------------------------------------------------------


def test_source_page_reads_like_the_record(reader_client):
    source = SourceFactory(
        title="Leaked Google document",
        canonical_url="https://simonwillison.net/2023/May/4/no-moat/",
        via_url="https://kghosh.substack.com/p/6692.0",
        via_label="6692.0",
        summary="A leaked Google document reveals concerns.",
    )
    SourceKeywordFactory(source=source, label="LLMs", position=1)
    SourceKeywordFactory(source=source, label="leaked document", position=0)
    first, second = ThemeFactory(name="google"), ThemeFactory(name="open source")
    SourceThemeFactory(source=source, theme=second, position=1)
    SourceThemeFactory(source=source, theme=first, position=0)
    SignalFactory(
        source=source,
        name="Open Source LLM Innovation",
        change="Shift from proprietary",
        ten_year="Open models dominate",
        driving_force="Cheaper training",
        relevancy=5,
    )
    IssueFactory(source=source, name="Sustainability", relevancy=4)

    response = reader_client.get(detail_url(source))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Leaked Google document</h1>" in html
    via = '<a href="https://kghosh.substack.com/p/6692.0" rel="noopener noreferrer nofollow">'
    assert f"from {via}6692.0</a>" in html
    assert (
        '<a href="https://simonwillison.net/2023/May/4/no-moat/" target="_blank" '
        'rel="noopener noreferrer nofollow">External link' in html
    )
    assert html.index("leaked document") < html.index("LLMs")
    assert html.index(f'href="{first.get_absolute_url()}"') < html.index(
        f'href="{second.get_absolute_url()}"'
    )
    assert "technology" in section(html, "other-heading")
    assert "news" in section(html, "other-heading")
    assert "A leaked Google document reveals concerns." in html
    signals = section(html, "signals-heading")
    for text in ("Open Source LLM Innovation", "Shift from proprietary", "Open models dominate"):
        assert text in signals
    assert "Cheaper training" in signals
    assert 'aria-label="Relevancy 5 of 5"' in signals
    assert 'aria-label="Relevancy 4 of 5"' in section(html, "issues-heading")
    assert "None recorded." in section(html, "behaviors-heading")


def test_findings_are_in_record_order(reader_client):
    source = SourceFactory()
    BehaviorFactory(source=source, name="Second", position=2)
    BehaviorFactory(source=source, name="First", position=1)
    html = reader_client.get(detail_url(source)).content.decode()
    assert html.index("First") < html.index("Second")


@pytest.mark.parametrize("role", ["editor", "reader"])
def test_the_page_shows_each_finding_as_the_row_fragment_renders_it(client, role):
    # The page passes the rows' optional inputs empty (FRAGMENT_INPUTS) and builds their
    # element ids once: what it shows must be what the fragment renders by itself.
    client.force_login(RoleUserFactory(role=role))
    source = SourceFactory()
    signal = SignalFactory(source=source, relevancy=3, confidence=0.2, origin="ai")
    SignalThemeFactory(signal=signal, theme=ThemeFactory(name="energy"))
    SignalThemeFactory(signal=SignalFactory(source=source, position=9))

    response = client.get(detail_url(source))

    row = findings_with_themes(Signal).get(pk=signal.pk)
    context = {"row": row, "kind": "signals", "show_relevancy": True, "show_themes": True}
    fragment = render_to_string("knowledge/_finding_row.html", context, response.wsgi_request)
    assert without_tokens(fragment) in without_tokens(response.content.decode())


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_source_page_hides_an_empty_relevancy_column(reader_client):
    source = SourceFactory()
    SignalFactory(source=source, relevancy=4)
    BehaviorFactory.create_batch(2, source=source, relevancy=None)
    html = reader_client.get(detail_url(source)).content.decode()
    assert "Relevancy" in section(html, "signals-heading")
    assert "Relevancy" not in section(html, "behaviors-heading")


def test_extra_section_pipe_table_is_rendered_as_a_table(reader_client):
    source = SourceFactory()
    body = (
        "| name | description | relevancy |\n"
        "|:-----|:------------|----------:|\n"
        "| Privacy | Data leaks \\| worries | 4 |\n"
    )
    section_row = ExtraSectionFactory(source=source, heading="Concerns", body=body)
    html = reader_client.get(detail_url(source)).content.decode()
    concerns = section(html, f"extra-{section_row.pk}-heading")
    assert "Concerns" in concerns
    assert "<table" in concerns
    assert '<th scope="col">description</th>' in concerns
    assert "<td>Data leaks | worries</td>" in concerns
    assert 'aria-label="Relevancy 4 of 5"' in concerns
    assert "<pre" not in concerns


def test_extra_section_that_is_not_a_table_is_preformatted(reader_client):
    source = SourceFactory()
    section_row = ExtraSectionFactory(
        source=source, heading="Notes", body="Just <b>text</b>\n| a |"
    )
    html = reader_client.get(detail_url(source)).content.decode()
    notes = section(html, f"extra-{section_row.pk}-heading")
    assert '<pre class="raw">Just &lt;b&gt;text&lt;/b&gt;\n| a |</pre>' in notes
    assert "<table" not in notes


def test_html_in_findings_is_escaped(reader_client):
    source = SourceFactory(title="<i>title</i>")
    SignalFactory(source=source, name="<script>alert(1)</script>", description="<b>bold</b>")
    ExtraSectionFactory(source=source, body="| a |\n|---|\n| <script>x</script> |")
    html = reader_client.get(detail_url(source)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;i&gt;title&lt;/i&gt;" in html
    assert "<script>x" not in html


def test_a_script_url_is_never_a_link(reader_client):
    source = SourceFactory(via_url="javascript:alert(1)", via_label="newsletter")
    html = reader_client.get(detail_url(source)).content.decode()
    assert "javascript:" not in html
    assert "from newsletter" in html


def test_unknown_source_is_404(reader_client):
    response = reader_client.get(reverse("sources:detail", args=[999999]))
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_source_page_runs_the_same_queries_for_2_or_20_findings(reader_client):
    def count_queries(source) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reader_client.get(detail_url(source)).status_code == 200
        return len(queries)

    small, big = full_source(findings=2, themes=2), full_source(findings=20, themes=20)
    for _ in range(19):
        ExtraSectionFactory(source=big, body="not a table")
    KeywordFactory.create_batch(3)
    count_queries(small)  # the first request reads the content types Django then keeps

    assert count_queries(small) == count_queries(big)
    # The session, the user, their permissions; the source (with its import entry), its
    # keywords, extra sections, findings of every kind, theme links; classifier runs.
    assert count_queries(big) <= 9


# --- The source page's ingest section ------------------------------------------------


def login_as(client, role: str):
    client.force_login(RoleUserFactory(role=role))
    return client


def test_a_failed_source_shows_why_first(reader_client):
    source = SourceFactory(
        status=Source.Status.FAILED,
        failure_code="http_404",
        failure_message="HTTP 404",
        http_status=404,
    )
    html = reader_client.get(detail_url(source)).content.decode()
    assert html.index('<section id="pipeline"') < html.index('id="keywords-heading"')
    assert "HTTP 404" in html
    assert "<code>http_404</code>" in html


def test_a_retrying_source_shows_attempts_and_the_next_try_and_polls(reader_client):
    source = SourceFactory(
        status=Source.Status.RETRYING,
        attempts=3,
        next_attempt_at=timezone.now() + timedelta(minutes=2),
        failure_message="HTTP 503",
    )
    html = reader_client.get(detail_url(source)).content.decode()
    assert "3 attempts so far; next try at" in html
    assert "Last error: HTTP 503" in html
    assert f'hx-get="{detail_url(source)}" hx-trigger="every 3s"' in html


def test_the_poll_returns_the_section_then_reloads_once_finished(reader_client):
    source = SourceFactory(status=Source.Status.CLASSIFYING)
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "pipeline"}

    response = reader_client.get(detail_url(source), **poll)
    assert response.content.decode().lstrip().startswith('<section id="pipeline"')

    Source.objects.filter(pk=source.pk).update(status=Source.Status.DONE)
    response = reader_client.get(detail_url(source), **poll)
    assert response.headers["HX-Refresh"] == "true"


def test_a_script_final_url_is_never_a_link(reader_client):
    source = SourceFactory(final_url="javascript:alert(1)")
    html = reader_client.get(detail_url(source)).content.decode()
    assert 'href="javascript:' not in html


@pytest.mark.parametrize(
    ("status", "button"),
    [
        (Source.Status.DONE, "Re-ingest"),
        (Source.Status.FAILED, "Retry"),
        (Source.Status.BLOCKED, "Retry"),
        (Source.Status.NO_CONTENT, "Retry"),
        (Source.Status.QUEUED, None),
        (Source.Status.FETCHING, None),
        (Source.Status.RETRYING, None),
    ],
)
def test_analysts_get_retry_on_a_finished_source(client, status, button):
    source = SourceFactory(status=status)
    html = login_as(client, "analyst").get(detail_url(source)).content.decode()
    retry = reverse("sources:retry", args=[source.pk])
    if button:
        assert f'hx-post="{retry}" hx-target="#pipeline"' in html
        assert f">{button}<span" in html
    else:
        assert retry not in html


@pytest.mark.parametrize("status", [Source.Status.BLOCKED, Source.Status.NO_CONTENT])
def test_analysts_may_give_the_text_or_the_page_of_a_blocked_source(client, status):
    source = SourceFactory(status=status)
    html = login_as(client, "analyst").get(detail_url(source)).content.decode()
    assert "Paste the text" in html
    assert "Upload the page" in html
    assert '<label for="id_text">' in html
    assert '<label for="id_page">' in html
    assert 'enctype="multipart/form-data"' in html


def test_readers_get_no_paste_or_upload(client):
    blocked = SourceFactory(status=Source.Status.BLOCKED)
    html = login_as(client, "reader").get(detail_url(blocked)).content.decode()
    assert "Paste the text" not in html


def test_analysts_may_rescue_a_failed_source_but_not_replace_a_done_one(client):
    failed, done = (
        SourceFactory(status=Source.Status.FAILED),
        SourceFactory(status=Source.Status.DONE),
    )
    login_as(client, "analyst")
    assert "Paste the text" in client.get(detail_url(failed)).content.decode()
    assert "Paste the text" not in client.get(detail_url(done)).content.decode()


def test_editors_may_replace_the_text_of_a_done_source(client):
    done = SourceFactory(status=Source.Status.DONE)
    html = login_as(client, "editor").get(detail_url(done)).content.decode()
    assert "Editors only: replace the text" in html
    assert "Upload the page" in html


def test_the_nav_marks_the_current_page_and_survives_an_unknown_address(client):
    login_as(client, "analyst")
    assert 'href="/submit/" aria-current="page"' in client.get("/submit/").content.decode()
    assert 'href="/pipeline/" aria-current="page"' in client.get("/pipeline/").content.decode()
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "aria-current" not in response.content.decode()
