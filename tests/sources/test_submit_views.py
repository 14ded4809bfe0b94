"""The submit page: links in, per-line errors out, and the live list of recent submissions."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.knowledge.cache import bump_generation
from apps.sources.models import Source, Submission
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

SUBMIT = reverse("sources:submit")
RECENT = reverse("sources:submit_recent")
REINGEST = reverse("sources:submit_reingest")
HTMX = {"HTTP_HX_REQUEST": "true"}
Status, Stage = Source.Status, Source.Stage


@pytest.fixture
def carol(db):
    """An analyst."""
    return UserFactory(username="carol", role="analyst")


@pytest.fixture
def analyst_client(client, carol):
    client.force_login(carol)
    return client


def textarea(html: str) -> str:
    """What the links box holds."""
    return re.search(r'<textarea name="urls"[^>]*>(.*?)</textarea>', html, re.S).group(1).strip()


def submission(user, status: str, **source_fields) -> Submission:
    source = SourceFactory(status=status, **source_fields)
    return Submission.objects.create(source=source, submitted_by=user, url=source.url)


# --- Who may submit ------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "reader"])
def test_it_refuses_users_below_analyst(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(SUBMIT).status_code == 403
    assert client.post(SUBMIT, {"urls": "https://example.com/a"}).status_code == 403
    assert client.get(RECENT).status_code == 403
    assert not Source.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in(client, settings):
    settings.SPYGLASS_PUBLIC_READ = True  # reading may be public; submitting never is
    for response in (client.get(SUBMIT), client.post(SUBMIT, {"urls": "https://a.example/"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert not Source.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_analysts_and_editors_may_submit(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(SUBMIT).status_code == 200
    assert client.get(RECENT).status_code == 200
    assert client.post(SUBMIT, {"urls": "https://example.com/a"}).status_code == 200
    assert Source.objects.count() == 1


def test_the_nav_offers_submit_to_analysts_only(client, carol):
    client.force_login(UserFactory(role="reader"))
    html = client.get(reverse("sources:list")).content.decode()
    assert f'href="{SUBMIT}"' not in html
    assert f'href="{reverse("sources:pipeline")}"' in html
    client.force_login(carol)
    html = client.get(reverse("sources:list")).content.decode()
    assert f'href="{SUBMIT}"' in html


# --- Submitting ----------------------------------------------------------------------


def test_the_form_has_labels_and_avoids_double_submits(analyst_client):
    html = analyst_client.get(SUBMIT).content.decode()
    assert '<label for="id_urls">' in html
    assert '<label for="id_note">' in html
    assert f'hx-post="{SUBMIT}"' in html
    assert 'hx-disabled-elt="find button[type=submit]"' in html
    assert f'method="post" action="{SUBMIT}"' in html  # works without JavaScript too


def test_submitting_queues_new_sources(analyst_client, carol, django_capture_on_commit_callbacks):
    urls = "https://example.com/one\n\nhttps://example.com/two?utm_source=x\n"
    with django_capture_on_commit_callbacks() as callbacks:
        response = analyst_client.post(SUBMIT, {"urls": urls, "note": "for the AI scan"})

    assert response.status_code == 200
    sources = Source.objects.order_by("id")
    assert [s.canonical_url for s in sources] == [
        "https://example.com/one",
        "https://example.com/two",
    ]
    assert {(s.status, s.stage, s.submitted_by) for s in sources} == {
        (Status.QUEUED, Stage.FETCH, carol)
    }
    notes = Submission.objects.values_list("note", "submitted_by", "created_source")
    assert list(notes) == [("for the AI scan", carol.pk, True)] * 2
    # One fetch task each, sent after commit (besides retiring the cached counts).
    assert len([hook for hook in callbacks if hook is not bump_generation]) == 2
    html = response.content.decode()
    assert "2 new links queued" in html
    assert textarea(html) == ""


def test_a_known_link_shows_the_existing_source_and_offers_re_ingest(analyst_client):
    known = SourceFactory(
        title="Already here", canonical_url="https://example.com/known", status=Status.DONE
    )

    response = analyst_client.post(SUBMIT, {"urls": "https://EXAMPLE.com/known#part"})

    assert Source.objects.count() == 1
    assert Submission.objects.get().created_source is False
    html = response.content.decode()
    assert "1 link was already in Spyglass" in html
    assert "1 already in Spyglass." in html  # the flash message says it the same way
    assert f'href="{known.get_absolute_url()}">Already here</a>' in html
    assert f'hx-post="{REINGEST}"' in html
    assert "Re-ingest these 1" in html


def test_a_known_link_still_in_the_pipeline_has_no_re_ingest_button(analyst_client):
    known = SourceFactory(canonical_url="https://example.com/busy", status=Status.FETCHING)
    html = analyst_client.post(SUBMIT, {"urls": "https://example.com/busy"}).content.decode()
    assert reverse("sources:retry", args=[known.pk]) not in html
    assert REINGEST not in html
    assert "nothing to re-ingest now" in html
    assert "Fetching" in html


def test_invalid_lines_are_reported_by_number_and_put_back(analyst_client):
    urls = "https://example.com/good\nftp://example.com/file\n\nnot a link\nhttps://example.com/2"

    response = analyst_client.post(SUBMIT, {"urls": urls, "note": "batch 7"})

    assert Source.objects.count() == 2
    html = response.content.decode()
    assert "<strong>line 2:</strong> only http and https links are accepted (scheme: ftp)" in html
    assert "<strong>line 4:</strong> a URL cannot contain spaces" in html
    assert "2 lines not submitted" in html
    assert textarea(html) == "ftp://example.com/file\nnot a link"
    assert 'value="batch 7"' in html  # the note stays with the lines still to fix


def test_links_that_cannot_be_fetched_are_refused_at_submit_with_their_reason(
    analyst_client, settings
):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": False}
    urls = "http://localhost:99999/\nhttps://example.com/fine\nhttp://127.0.0.1:8000/admin/"

    html = analyst_client.post(SUBMIT, {"urls": urls}).content.decode()

    assert list(Source.objects.values_list("url", flat=True)) == ["https://example.com/fine"]
    assert (
        "<strong>line 1:</strong> the port must be a number from 1 to 65535 (this one is 99999)"
    ) in html
    assert "<strong>line 3:</strong> 127.0.0.1 is a loopback address, and this Spyglass" in html
    assert textarea(html) == "http://localhost:99999/\nhttp://127.0.0.1:8000/admin/"


def test_a_single_loopback_link_is_refused_not_queued(analyst_client, settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": False}

    html = analyst_client.post(SUBMIT, {"urls": "http://localhost:8000/"}).content.decode()

    assert not Source.objects.exists()
    assert "<strong>line 1:</strong> localhost is this machine (a loopback name)" in html
    assert "queued" not in html.lower()


def test_a_link_twice_in_one_paste_is_submitted_once(analyst_client):
    urls = "https://example.com/a\nhttps://example.com/a?utm_medium=mail"
    html = analyst_client.post(SUBMIT, {"urls": urls}).content.decode()
    assert Source.objects.count() == 1
    assert "the same link as line 1" in html
    assert textarea(html) == ""


def test_more_than_500_links_are_refused(analyst_client):
    urls = "\n".join(f"https://example.com/{n}" for n in range(501))

    response = analyst_client.post(SUBMIT, {"urls": urls})

    assert not Source.objects.exists()
    html = response.content.decode()
    assert "At most 500 links at a time; this has 501." in html
    assert textarea(html).count("\n") == 500  # nothing lost: the analyst can split it


def test_an_empty_box_asks_for_a_link(analyst_client):
    html = analyst_client.post(SUBMIT, {"urls": "  \n  "}).content.decode()
    assert "Paste at least one link." in html
    assert not Submission.objects.exists()


def test_htmx_submit_returns_fragments(analyst_client):
    response = analyst_client.post(SUBMIT, {"urls": "https://example.com/a"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="submit-panel"' in html
    assert 'id="recent" class="recent"' in html and 'hx-swap-oob="true"' in html
    assert 'hx-trigger="every 2s"' in html  # the new link is queued: the list starts polling
    assert 'id="messages"' in html and "1 new link queued." in html


# --- Recent submissions --------------------------------------------------------------


def test_recent_lists_only_my_submissions_newest_first(analyst_client, carol):
    submission(carol, Status.DONE, title="Older one")
    submission(carol, Status.DONE, title="Newer one")
    submission(UserFactory(role="analyst"), Status.DONE, title="Someone else's")

    html = analyst_client.get(SUBMIT).content.decode()

    assert html.index("Newer one") < html.index("Older one")
    assert "Someone else" not in html


def test_recent_shows_the_reason_and_the_next_try(analyst_client, carol):
    submission(carol, Status.FAILED, failure_code="http_404", failure_message="HTTP 404")
    submission(
        carol,
        Status.RETRYING,
        attempts=2,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
        failure_message="the server did not answer in time",
    )

    html = analyst_client.get(RECENT, **HTMX).content.decode()

    assert "HTTP 404" in html
    assert "2 attempts so far; next try at" in html
    assert "Last error: the server did not answer in time" in html


def test_recent_polls_while_a_submission_is_unfinished(analyst_client, carol):
    submission(carol, Status.DONE)
    submission(carol, Status.EXTRACTING)

    response = analyst_client.get(RECENT, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="recent"')
    assert f'hx-get="{RECENT}"' in html
    assert 'hx-trigger="every 2s"' in html


def test_recent_stops_polling_once_every_submission_is_final(analyst_client, carol):
    for status in (Status.DONE, Status.FAILED, Status.BLOCKED, Status.NO_CONTENT):
        submission(carol, status)

    html = analyst_client.get(RECENT, **HTMX).content.decode()

    assert "hx-trigger" not in html
    assert "hx-get" not in html  # a div with hx-get alone would fetch on every click


def test_recent_shows_at_most_50(analyst_client, carol):
    for _ in range(51):
        submission(carol, Status.DONE)
    html = analyst_client.get(RECENT).content.decode()
    assert html.count('class="row-title"') == 50


def test_recent_runs_the_same_queries_for_3_or_30_rows(analyst_client, carol):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert analyst_client.get(RECENT, **HTMX).status_code == 200
        return len(queries)

    for _ in range(3):
        submission(carol, Status.QUEUED)
    with_three = count_queries()
    for _ in range(27):
        submission(carol, Status.FAILED, failure_message="HTTP 500")
    with_thirty = count_queries()

    assert with_three == with_thirty
    assert with_thirty <= 6


# --- Following one paste: the progress summary, the folded lists, the bulk re-ingest ---


def _batch_query(html: str) -> str:
    """The first/last query string the page polls with."""
    return re.search(r"submit/recent/\?(first=\d+&(?:amp;)?last=\d+)", html).group(1)


def test_the_pasted_list_is_folded_and_the_progress_leads(analyst_client):
    urls = "\n".join(f"https://example.com/{n}" for n in range(3))

    html = analyst_client.post(SUBMIT, {"urls": urls}).content.decode()

    assert html.index('id="progress"') < html.index("3 new links queued</strong>")
    assert re.search(
        r"<details class=\"outcome-group\">\s*<summary><strong>3 new links queued", html
    )
    assert "<strong>0 of 3 done</strong>, 3 in progress" in html
    assert '<progress max="3" value="0"' in html


def test_the_progress_counts_each_state_and_stops_polling_when_all_are_final(analyst_client, carol):
    for n in range(20):
        SourceFactory(canonical_url=f"https://example.com/{n}", status=Status.QUEUED)
    urls = "\n".join(f"https://example.com/{n}" for n in range(20))
    query = _batch_query(analyst_client.post(SUBMIT, {"urls": urls}).content.decode())
    sources = list(Source.objects.order_by("id"))
    states = [Status.DONE] * 12 + [Status.FAILED] * 2 + [Status.NO_CONTENT] + [Status.FETCHING] * 5
    for source, status in zip(sources, states, strict=True):
        Source.objects.filter(pk=source.pk).update(status=status)

    html = analyst_client.get(f"{RECENT}?{query.replace('&amp;', '&')}", **HTMX).content.decode()

    assert "<strong>12 of 20 done</strong>, 2 failed, 1 with no content, 5 in progress" in html
    assert 'id="progress" class="progress" hx-swap-oob="true"' in html
    assert 'hx-trigger="every 2s"' in html
    assert 'id="messages"' not in html  # the poll leaves the flash message alone

    Source.objects.filter(status=Status.FETCHING).update(status=Status.DONE)
    html = analyst_client.get(f"{RECENT}?{query.replace('&amp;', '&')}", **HTMX).content.decode()
    assert "<strong>17 of 20 done</strong>, 2 failed, 1 with no content</p>" in html
    assert "Every link of this paste has finished." in html
    assert "hx-trigger" not in html


def test_polling_goes_on_while_a_link_of_the_paste_is_unfinished_past_the_recent_list(
    analyst_client, carol
):
    urls = "\n".join(f"https://example.com/{n}" for n in range(60))
    query = _batch_query(analyst_client.post(SUBMIT, {"urls": urls}).content.decode())
    Source.objects.update(status=Status.DONE)
    Source.objects.filter(canonical_url="https://example.com/0").update(status=Status.FETCHING)

    html = analyst_client.get(f"{RECENT}?{query.replace('&amp;', '&')}", **HTMX).content.decode()

    assert "<strong>59 of 60 done</strong>, 1 in progress" in html
    assert 'hx-trigger="every 2s"' in html  # the 50 rows shown are done; the paste is not


def test_known_links_are_one_line_with_one_re_ingest_for_all(analyst_client):
    for n in range(30):
        SourceFactory(canonical_url=f"https://example.com/{n}", status=Status.DONE)

    urls = "\n".join(f"https://example.com/{n}" for n in range(30))
    html = analyst_client.post(SUBMIT, {"urls": urls}).content.decode()

    assert "30 links were already in Spyglass" in html
    assert html.count("Re-ingest these 30") == 1
    assert "sources:retry" not in html and "/retry/" not in html  # no button per link
    assert re.search(r"<details>\s*<summary><strong>30 links were already", html)


def _paste_known(client, statuses) -> tuple[list[Source], dict]:
    sources = [
        SourceFactory(canonical_url=f"https://example.com/k{n}", status=status, stage=Stage.FETCH)
        for n, status in enumerate(statuses)
    ]
    html = client.post(SUBMIT, {"urls": "\n".join(s.canonical_url for s in sources)})
    first, last = re.search(
        r'name="first" value="(\d+)">\s*<input type="hidden" name="last" value="(\d+)"',
        html.content.decode(),
    ).groups()
    return sources, {"first": first, "last": last}


def test_re_ingest_these_queues_every_finished_known_link(
    analyst_client, carol, django_capture_on_commit_callbacks
):
    done, failed, busy = _paste_known(
        analyst_client, [Status.DONE, Status.FAILED, Status.FETCHING]
    )[0]
    batch = {"first": Submission.objects.order_by("id").first().pk}
    batch["last"] = Submission.objects.order_by("id").last().pk

    with django_capture_on_commit_callbacks() as sent:
        response = analyst_client.post(REINGEST, batch, **HTMX)

    html = response.content.decode()
    assert "2 links queued again: the progress above follows them." in html
    assert 'id="messages"' in html and "2 links queued again." in html
    assert "0 of 3 done</strong>, 3 in progress" in html  # the progress, out of band
    assert 'hx-trigger="every 2s"' in html  # the recent list polls again
    assert len(sent) == 2
    statuses = dict(Source.objects.values_list("pk", "status"))
    assert (statuses[done.pk], statuses[failed.pk]) == (Status.QUEUED, Status.QUEUED)
    assert statuses[busy.pk] == Status.FETCHING


def test_re_ingest_without_javascript_comes_back_to_the_progress(analyst_client):
    _, batch = _paste_known(analyst_client, [Status.DONE])

    response = analyst_client.post(REINGEST, batch)

    assert response.status_code == 302
    assert response.url == f"{SUBMIT}?first={batch['first']}&last={batch['last']}"
    html = analyst_client.get(response.url).content.decode()
    assert "<strong>0 of 1 done</strong>, 1 in progress" in html
    assert "1 link queued again." in html


def test_re_ingest_touches_only_my_own_paste(client, carol):
    client.force_login(carol)
    sources, batch = _paste_known(client, [Status.DONE])
    client.force_login(UserFactory(role="analyst"))

    client.post(REINGEST, batch)

    assert Source.objects.get(pk=sources[0].pk).status == Status.DONE


@pytest.mark.parametrize("role", [None, "reader"])
def test_re_ingest_is_refused_below_analyst(client, carol, role):
    client.force_login(carol)
    sources, batch = _paste_known(client, [Status.DONE])
    client.force_login(UserFactory(role=role))

    assert client.post(REINGEST, batch).status_code == 403
    assert client.get(REINGEST).status_code in (403, 405)
    assert Source.objects.get(pk=sources[0].pk).status == Status.DONE


def test_re_ingest_needs_the_csrf_token(carol):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    source = SourceFactory(status=Status.DONE)
    Submission.objects.create(
        source=source, submitted_by=carol, url=source.url, created_source=False
    )
    pk = Submission.objects.get().pk

    assert client.post(REINGEST, {"first": pk, "last": pk}).status_code == 403
    assert Source.objects.get(pk=source.pk).status == Status.DONE


def test_re_ingest_without_a_batch_is_a_bad_request(analyst_client):
    assert analyst_client.post(REINGEST, {"first": "x"}).status_code == 400


def test_re_ingest_costs_the_same_queries_for_3_or_30_links(analyst_client, carol):
    def queries(statuses) -> int:
        _, batch = _paste_known(analyst_client, statuses)
        with CaptureQueriesContext(connection) as captured:
            assert analyst_client.post(REINGEST, batch, **HTMX).status_code == 200
        Source.objects.all().delete()
        return len(captured)

    assert queries([Status.DONE] * 3) == queries([Status.DONE, Status.FAILED] * 15)


def test_the_poll_costs_the_same_queries_for_a_paste_of_3_or_300(analyst_client, carol):
    def queries(n: int) -> int:
        urls = "\n".join(f"https://example.com/p{n}-{i}" for i in range(n))
        query = _batch_query(analyst_client.post(SUBMIT, {"urls": urls}).content.decode())
        with CaptureQueriesContext(connection) as captured:
            analyst_client.get(f"{RECENT}?{query.replace('&amp;', '&')}", **HTMX)
        return len(captured)

    assert queries(3) == queries(300)
