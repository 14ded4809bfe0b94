"""`manage.py ingest`: the same service as the form, run here with --sync."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from apps.knowledge.cache import bump_generation
from apps.sources.models import Source, Submission
from tests.support import pages
from tests.support.http import serving

pytestmark = pytest.mark.django_db
Status = Source.Status


@pytest.fixture(scope="module")
def site():
    with serving() as running:
        yield running


@pytest.fixture(autouse=True)
def test_site_allowed(settings):
    """Pages on 127.0.0.1 may be fetched (development and tests only), without waits."""
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": True}
    settings.SPYGLASS_PIPELINE = {**settings.SPYGLASS_PIPELINE, "host_delay": 0.0}


def ingest(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("ingest", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_sync_json_prints_the_finished_source(site):
    (row,) = ingest(site.url("/ok"), "--sync", "--json")

    source = Source.objects.get()
    assert row["id"] == source.pk
    assert row["url"] == site.url("/ok")
    assert row["created"] is True
    assert (row["status"], row["reason"], row["reason_code"]) == ("done", "", "")
    assert row["title"] == pages.ARTICLE_TITLE
    assert pages.ARTICLE_PARAGRAPHS[1] in row["text"]
    assert source.status == Status.DONE


def test_one_line_per_link_in_order(site):
    rows = ingest(site.url("/ok"), site.url("/404"), site.url("/challenge"), "--sync", "--json")

    assert [(row["url"], row["status"], row["reason"]) for row in rows] == [
        (site.url("/ok"), "done", ""),
        (site.url("/404"), "failed", "HTTP 404"),
        (site.url("/challenge"), "blocked", "blocked: challenge page"),
    ]


def test_an_invalid_link_is_printed_and_the_command_fails_after_the_valid_ones(site):
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 of 2 links were not accepted"):
        call_command("ingest", "notaurl", site.url("/ok?n=2"), "--sync", "--json", stdout=out)

    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(row["url"], row["status"]) for row in rows] == [
        ("notaurl", "invalid"),
        (site.url("/ok?n=2"), "done"),
    ]
    assert rows[0]["reason"] == "only http and https links are accepted (scheme: none)"
    assert rows[0]["line"] == 1


def test_a_link_no_fetch_could_reach_is_refused_with_its_reason(site, settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": False}
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 of 2 links were not accepted"):
        call_command("ingest", "http://localhost:99999/", site.url("/ok"), "--json", stdout=out)

    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(row["line"], row["status"]) for row in rows] == [(1, "invalid"), (2, "invalid")]
    assert rows[0]["reason"] == "the port must be a number from 1 to 65535 (this one is 99999)"
    assert rows[1]["reason"].startswith("127.0.0.1 is a loopback address")
    assert not Source.objects.exists()


def test_without_sync_the_link_is_queued_for_the_workers(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        (row,) = ingest(site.url("/ok?n=queued"), "--json")

    assert (row["status"], row["title"], row["text"]) == ("queued", "", "")
    assert Source.objects.get().status == Status.QUEUED
    # The fetch task, sent once the submission commits (besides retiring the cached counts).
    assert len([hook for hook in sent if hook is not bump_generation]) == 1
    assert site.hits("/ok", n="queued") == []


def test_a_link_already_in_the_base_is_shown_and_run_again_only_with_reingest(site):
    ingest(site.url("/ok?n=again"), "--sync", "--json")

    (shown,) = ingest(site.url("/ok?n=again"), "--sync", "--json")
    (rerun,) = ingest(site.url("/ok?n=again"), "--sync", "--json", "--reingest")

    assert (shown["created"], shown["status"], rerun["status"]) == (False, "done", "done")
    assert Source.objects.count() == 1
    assert Submission.objects.count() == 3
    assert len(site.hits("/ok", n="again")) == 2


def test_plain_output_is_one_line_per_link(site):
    out = io.StringIO()

    call_command("ingest", site.url("/404?n=plain"), "--sync", stdout=out)

    source = Source.objects.get()
    assert out.getvalue() == f"#{source.pk} {site.url('/404?n=plain')} failed: HTTP 404\n"
