"""The sources services: submitting links, retrying, pasted text and uploaded pages.

Most tests run in a rolled-back transaction: the tasks a service sends on commit are
counted (django_capture_on_commit_callbacks), not sent. The concurrency test commits for
real, from twenty threads, and counts the messages that reached the broker.
"""

import threading
import zlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import AuditEntry
from apps.knowledge.cache import bump_generation
from apps.sources.models import Source, Submission
from apps.sources.pipeline.inline import run_until_final
from apps.sources.services import (
    MAX_URLS_PER_SUBMISSION,
    source_paste_text,
    source_retry,
    source_submit,
    source_upload_html,
    sources_retry,
    sources_retry_failed,
    urls_submit,
)
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory
from tests.support import pages
from tests.support.broker import purge_broker, waiting_messages

Status, Stage = Source.Status, Source.Stage


def audit_of(source: Source) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Source), target_id=source.pk
        )
    )


# --- urls_submit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_good_lines_go_ahead_and_bad_lines_are_reported_by_number(
    django_capture_on_commit_callbacks,
):
    text = "\n".join(
        [
            "https://news.example.com/a",
            "",
            "ftp://files.example.com/report.pdf",
            "not a link",
            "https://news.example.com/b  extra words",
            "https://news.example.com/c",
        ]
    )

    with django_capture_on_commit_callbacks() as sent:
        result = urls_submit(text)

    assert [(item.line, item.source.url, item.created) for item in result.accepted] == [
        (1, "https://news.example.com/a", True),
        (6, "https://news.example.com/c", True),
    ]
    assert [(error.line, error.text) for error in result.errors] == [
        (3, "ftp://files.example.com/report.pdf"),
        (4, "not a link"),
        (5, "https://news.example.com/b  extra words"),
    ]
    assert result.errors[0].reason == "only http and https links are accepted (scheme: ftp)"
    assert result.errors[2].reason == "a URL cannot contain spaces"
    # One fetch task per new source, after commit (besides retiring the cached counts).
    assert len([hook for hook in sent if hook is not bump_generation]) == 2


@pytest.mark.django_db
def test_the_same_link_twice_in_one_paste_is_one_source():
    text = "\n".join(
        [
            "https://news.example.com/story?id=7",
            "https://NEWS.example.com:443/story?id=7&utm_source=mail#comments",
            "https://news.example.com/story?id=8",
        ]
    )

    result = urls_submit(text)

    assert [item.line for item in result.accepted] == [1, 3]
    assert [(error.line, error.reason) for error in result.errors] == [
        (2, "the same link as line 1")
    ]
    assert Source.objects.count() == 2


@pytest.mark.django_db
def test_at_most_500_links_are_taken_from_one_paste():
    lines = [f"https://news.example.com/{n}" for n in range(MAX_URLS_PER_SUBMISSION + 2)]

    result = urls_submit("\n\n".join(lines))  # blank lines between: numbers count them

    assert len(result.accepted) == MAX_URLS_PER_SUBMISSION
    (error,) = result.errors
    assert error.line == 2 * MAX_URLS_PER_SUBMISSION + 1
    assert error.text == lines[MAX_URLS_PER_SUBMISSION]
    assert error.reason.startswith("at most 500 links at a time")
    assert Source.objects.count() == MAX_URLS_PER_SUBMISSION


@pytest.mark.django_db
def test_a_link_already_in_the_base_gives_the_existing_source(django_capture_on_commit_callbacks):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    first, created = source_submit("https://news.example.com/a", user=alice, note="first")

    with django_capture_on_commit_callbacks() as sent:
        result = urls_submit("https://news.example.com/a?utm_campaign=x", user=bob, note="again")

    assert created
    (item,) = result.accepted
    assert (item.source, item.created) == (first, False)
    assert result.existing == [item]
    assert sent == []  # nothing to run again
    assert Source.objects.count() == 1
    submissions = Submission.objects.order_by("pk").values_list(
        "submitted_by__username", "note", "created_source", "url"
    )
    assert list(submissions) == [
        ("alice", "first", True, "https://news.example.com/a"),
        ("bob", "again", False, "https://news.example.com/a?utm_campaign=x"),
    ]


@pytest.fixture
def empty_broker():
    purge_broker()
    yield
    purge_broker()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_broker")
def test_the_same_link_submitted_20_times_at_once_is_one_source():
    # Each thread has its own database connection. On SQLite the IMMEDIATE transactions
    # take turns; on PostgreSQL they race, and the unique canonical URL decides.
    start = threading.Barrier(20)
    outcomes: list[tuple[int, bool]] = []
    failures: list[BaseException] = []

    def submit(n: int) -> None:
        try:
            start.wait(timeout=30)
            source, created = source_submit(
                f"https://news.example.com/same?utm_source=tab{n}", note=f"tab {n}"
            )
            outcomes.append((source.pk, created))
        except BaseException as error:  # reported below, with the others
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    source = Source.objects.get()
    assert {pk for pk, _created in outcomes} == {source.pk}
    assert [created for _pk, created in outcomes].count(True) == 1
    assert Submission.objects.filter(source=source).count() == 20
    assert Submission.objects.filter(created_source=True).count() == 1
    assert waiting_messages("fetch") == 1  # one fetch task, from the one that created it


# --- Retrying --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.QUEUED, Status.FETCHING, Status.EXTRACTING, Status.RETRYING]
)
def test_a_source_still_in_the_pipeline_is_not_retried(status, django_capture_on_commit_callbacks):
    source = SourceFactory(status=status, stage=Stage.EXTRACT, attempts=1)
    before = Source.objects.values().get(pk=source.pk)

    with django_capture_on_commit_callbacks() as sent:
        assert source_retry(source) is False

    assert Source.objects.values().get(pk=source.pk) == before
    assert sent == []
    assert audit_of(source) == []


@pytest.mark.django_db
def test_a_failed_source_is_retried_from_the_stage_that_failed(django_capture_on_commit_callbacks):
    carol = UserFactory(username="carol")
    source = SourceFactory(
        status=Status.FAILED,
        stage=Stage.EXTRACT,
        attempts=3,
        failure_code="corrupt_content",
        failure_message="the stored page is damaged; retry the fetch",
    )

    with django_capture_on_commit_callbacks() as sent:
        assert source_retry(source, user=carol) is True

    source.refresh_from_db()
    assert (source.status, source.stage, source.attempts) == (Status.QUEUED, Stage.EXTRACT, 0)
    assert (source.failure_code, source.failure_message) == ("", "")
    assert len(sent) == 1
    (entry,) = audit_of(source)
    assert (entry.actor, entry.field, entry.old, entry.new) == (
        carol,
        "status",
        "failed",
        "queued (extract)",
    )


@pytest.mark.django_db
def test_a_done_source_is_fetched_again():
    source = SourceFactory(status=Status.DONE, stage=Stage.CLASSIFY)

    assert source_retry(source) is True

    source.refresh_from_db()
    assert (source.status, source.stage) == (Status.QUEUED, Stage.FETCH)


@pytest.mark.django_db
def test_editors_retry_every_failure_of_one_kind():
    timeouts = [
        SourceFactory(status=status, stage=Stage.FETCH, failure_code="timeout")
        for status in (Status.FAILED, Status.FAILED)
    ]
    not_found = SourceFactory(status=Status.FAILED, stage=Stage.FETCH, failure_code="http_404")
    still_retrying = SourceFactory(status=Status.RETRYING, failure_code="timeout")
    blocked = SourceFactory(status=Status.BLOCKED, stage=Stage.EXTRACT, failure_code="challenge")

    assert sources_retry_failed(failure_code="timeout") == 2
    assert sources_retry_failed(failure_code="challenge") == 1

    statuses = dict(Source.objects.values_list("pk", "status"))
    assert [statuses[source.pk] for source in timeouts] == [Status.QUEUED, Status.QUEUED]
    assert statuses[not_found.pk] == Status.FAILED
    assert statuses[still_retrying.pk] == Status.RETRYING
    assert Source.objects.get(pk=blocked.pk).stage == Stage.EXTRACT


def _mixed_sources(n: int = 1) -> list[Source]:
    """Of each kind n: done (re-ingest from the fetch), failed at extract, and busy."""
    sources = []
    for _ in range(n):
        sources.append(SourceFactory(status=Status.DONE, stage=Stage.CLASSIFY))
        sources.append(
            SourceFactory(status=Status.FAILED, stage=Stage.EXTRACT, attempts=3, failure_code="x")
        )
        sources.append(SourceFactory(status=Status.FETCHING, stage=Stage.FETCH))
    return sources


@pytest.mark.django_db
def test_many_sources_are_retried_as_source_retry_does_one(django_capture_on_commit_callbacks):
    carol = UserFactory(username="carol")
    done, failed, busy = _mixed_sources()
    done.classify_requested_by = carol
    done.save()

    with django_capture_on_commit_callbacks() as sent:
        count = sources_retry(Source.objects.all(), user=carol)

    assert count == 2
    rows = {s.pk: s for s in Source.objects.all()}
    assert (rows[done.pk].status, rows[done.pk].stage) == (Status.QUEUED, Stage.FETCH)
    assert rows[done.pk].classify_requested_by is None
    assert (rows[failed.pk].status, rows[failed.pk].stage) == (Status.QUEUED, Stage.EXTRACT)
    assert (rows[failed.pk].attempts, rows[failed.pk].failure_code) == (0, "")
    assert rows[busy.pk].status == Status.FETCHING
    assert len(sent) == 2
    entries = {(e.field, e.old, e.new, e.actor) for s in (done, failed) for e in audit_of(s)}
    assert entries == {
        ("status", "done", "queued (fetch)", carol),
        ("status", "failed", "queued (extract)", carol),
    }
    assert audit_of(busy) == []


@pytest.mark.django_db
def test_retrying_many_sources_costs_the_same_queries_for_3_or_30():
    def queries(sources) -> int:
        with CaptureQueriesContext(connection) as captured:
            sources_retry(Source.objects.filter(pk__in=[s.pk for s in sources]))
        return len(captured)

    few, many = queries(_mixed_sources(1)), queries(_mixed_sources(10))

    assert few == many


@pytest.mark.django_db
def test_retrying_nothing_does_nothing():
    assert sources_retry(Source.objects.none()) == 0
    assert not AuditEntry.objects.exists()


# --- Pasted text and uploaded pages ----------------------------------------------------


@pytest.mark.django_db
def test_pasted_text_goes_to_classify_and_the_source_is_done(django_capture_on_commit_callbacks):
    source = SourceFactory(
        title="",
        status=Status.BLOCKED,
        stage=Stage.EXTRACT,
        failure_code="challenge",
        failure_message="blocked: challenge page",
    )

    with django_capture_on_commit_callbacks() as sent:
        assert source_paste_text(source, text=f"\n  {pages.ARTICLE_TEXT}  \n") is True

    source.refresh_from_db()
    assert (source.status, source.stage, source.failure_code) == (
        Status.QUEUED,
        Stage.CLASSIFY,
        "",
    )
    assert source.extracted_text == pages.ARTICLE_TEXT
    assert len(sent) == 1
    assert audit_of(source)[0].new == f"{len(pages.ARTICLE_TEXT)} characters pasted"

    source = run_until_final(source.pk)

    assert source.status == Status.DONE
    assert source.extracted_text == pages.ARTICLE_TEXT
    assert source.title


@pytest.mark.django_db
def test_empty_pasted_text_is_refused():
    source = SourceFactory(status=Status.NO_CONTENT)

    with pytest.raises(ValueError, match="the pasted text is empty"):
        source_paste_text(source, text="  \n ")
    assert source_paste_text(SourceFactory(status=Status.FETCHING), text="text") is False


@pytest.mark.django_db
def test_an_uploaded_page_goes_to_extract_and_the_source_is_done():
    source = SourceFactory(
        title="",
        status=Status.NO_CONTENT,
        stage=Stage.EXTRACT,
        failure_code="no_content",
    )
    page = pages.article_html().encode("utf-8")

    assert source_upload_html(source, content=page) is True

    source.refresh_from_db()
    assert (source.status, source.stage) == (Status.QUEUED, Stage.EXTRACT)
    assert zlib.decompress(bytes(source.raw_content)) == page
    assert source.content_type == "text/html"

    source = run_until_final(source.pk)

    assert source.status == Status.DONE
    assert source.title == pages.ARTICLE_TITLE
    assert pages.ARTICLE_PARAGRAPHS[0] in source.extracted_text


@pytest.mark.django_db
def test_an_empty_upload_is_refused():
    with pytest.raises(ValueError, match="the uploaded file is empty"):
        source_upload_html(SourceFactory(status=Status.BLOCKED), content=b" \n")


@pytest.mark.django_db
def test_a_malformed_ipv6_host_is_a_line_error_and_the_valid_lines_are_kept():
    from apps.sources.services import urls_submit

    result = urls_submit("https://example.org/a\nhttp://[::1\nhttps://example.org/b", user=None)

    assert [item.line for item in result.accepted] == [1, 3]
    assert [(error.line, error.reason) for error in result.errors] == [
        (2, "the URL cannot be read (Invalid IPv6 URL)")
    ]
