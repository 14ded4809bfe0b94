"""Polling against a real HTTP server: submissions once, conditional requests, errors."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.models import Origin
from apps.feeds.models import Feed, FeedEntry
from apps.feeds.parsing import Entry
from apps.feeds.polling import PollOutcome, due_feed_ids, entries_submit, feed_claim, feed_poll
from apps.feeds.services import feed_adopt_suggestion
from apps.sources.models import HostSlot, Source, SourceTheme, Submission
from apps.sources.services import source_submit
from tests.factories import ThemeFactory
from tests.feeds.conftest import ETAG, LAST_MODIFIED, make_feed
from tests.support.broker import purge_broker

pytestmark = pytest.mark.django_db

TIDAL = [
    "https://tidal.example.org/2026/cooperatives-batteries",
    "https://tidal.example.org/2026/lagoon",
    "https://tidal.example.org/2026/permalink-only",
]


def _poll(feed: Feed) -> PollOutcome:
    outcome = feed_poll(feed.pk, force=True)
    feed.refresh_from_db()
    return outcome


def test_new_entries_become_submissions_with_the_feed_as_via_and_its_theme(site, alice):
    theme = ThemeFactory(name="tidal power")
    feed = make_feed(site, "/rss.xml", subscribed_by=alice, theme=theme, interval_minutes=30)

    outcome = _poll(feed)

    assert (outcome.status, outcome.entries, outcome.new_entries) == ("new", 3, 3)
    sources = Source.objects.order_by("canonical_url")
    assert [s.canonical_url for s in sources] == sorted(TIDAL)
    assert {(s.via_url, s.via_label, s.submitted_by) for s in sources} == {
        (feed.url, "Tidal Energy Weekly", alice)
    }
    assert SourceTheme.objects.filter(theme=theme, origin=Origin.EDITOR).count() == 3
    submission = Submission.objects.first()
    assert submission.note == "from the feed “Tidal Energy Weekly”"
    assert (feed.title, feed.site_url, feed.last_status) == (
        "Tidal Energy Weekly",
        "https://tidal.example.org/",
        "new",
    )
    assert (feed.entries_in_feed, feed.entries_seen, feed.sources_created) == (3, 3, 3)
    assert feed.last_success_at is not None and feed.polling_until is None
    expected_next = feed.last_success_at + timedelta(minutes=30)
    assert abs((feed.next_poll_at - expected_next).total_seconds()) < 1


@pytest.mark.parametrize("path", ["/atom.xml", "/rdf.xml", "/latin1.xml"])
def test_atom_rdf_and_latin_1_feeds_are_polled_too(site, path):
    feed = make_feed(site, path)
    outcome = _poll(feed)
    assert outcome.status == "new" and outcome.new_entries == FeedEntry.objects.count() > 0


def test_an_entry_seen_twice_is_submitted_once(site):
    feed = make_feed(site, "/growing.xml?key=once")

    first, second, third = _poll(feed), _poll(feed), _poll(feed)

    assert (first.new_entries, second.new_entries, third.new_entries) == (3, 1, 0)
    assert Submission.objects.count() == Source.objects.count() == 4
    assert FeedEntry.objects.filter(canonical_url__endswith="/wave-farm").count() == 1
    assert feed.entries_seen == 4


def test_an_entry_already_in_the_base_is_recorded_without_a_second_source(site, alice):
    known, _ = source_submit(TIDAL[0] + "?utm_source=newsletter", user=alice)
    feed = make_feed(site, "/rss.xml")

    _poll(feed)

    entry = FeedEntry.objects.get(canonical_url=TIDAL[0])
    assert (entry.source, entry.created_source) == (known, False)
    assert Source.objects.count() == 3
    assert known.submissions.count() == 2  # alice's, then the feed's
    assert (feed.entries_seen, feed.sources_created) == (3, 2)
    known.refresh_from_db()
    assert known.via_url == ""  # an existing source keeps its own story


def test_the_poll_sends_the_validators_back_and_a_304_changes_nothing(site):
    feed = make_feed(site, "/conditional.xml")

    first = _poll(feed)
    assert (feed.etag, feed.last_modified) == (ETAG, LAST_MODIFIED)
    success = feed.last_success_at
    second = _poll(feed)

    plain, conditional = site.hits("/conditional.xml")
    assert "If-None-Match" not in plain.headers and "If-Modified-Since" not in plain.headers
    assert conditional.headers["If-None-Match"] == ETAG
    assert conditional.headers["If-Modified-Since"] == LAST_MODIFIED
    assert (first.status, second.status) == ("new", "not modified")
    assert feed.last_status == "not modified" and feed.last_success_at > success
    assert Submission.objects.count() == 3
    assert feed.entries_in_feed == 3  # kept from the last full answer


def test_the_feed_asks_for_feed_types(site):
    _poll(make_feed(site, "/rss.xml"))
    (request,) = site.hits("/rss.xml")
    assert request.headers["Accept"].startswith("application/rss+xml, application/atom+xml")


@pytest.mark.django_db(transaction=True)
def test_two_polls_racing_poll_the_feed_once(site):
    purge_broker()
    feed = make_feed(site, "/rss.xml")
    start = threading.Barrier(2)
    outcomes, failures = [], []

    def poll() -> None:
        try:
            start.wait(timeout=10)
            outcomes.append(feed_poll(feed.pk).status)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=poll) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(outcomes) == ["new", "skipped"]
    assert len(site.hits("/rss.xml")) == 1
    assert Submission.objects.count() == 3
    purge_broker()


@pytest.mark.django_db(transaction=True)
def test_two_polls_racing_past_the_claim_submit_each_entry_once(site):
    """The claim is one guard; the unique (feed, link) is the other, for a poll run by hand
    beside the beat's or a claim that expired while its worker was still busy."""
    purge_broker()
    feed = make_feed(site, "/rss.xml")
    entries = [Entry(link=url, title=f"entry {n}") for n, url in enumerate(TIDAL * 2)]
    start = threading.Barrier(4)
    failures = []

    def submit() -> None:
        try:
            start.wait(timeout=10)
            entries_submit(feed, entries, PollOutcome(feed.pk, "new"))
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert FeedEntry.objects.count() == Submission.objects.count() == Source.objects.count() == 3
    feed.refresh_from_db()
    assert feed.entries_seen == 3
    purge_broker()


def test_a_claim_is_taken_once_until_it_ends_or_expires(site):
    feed = make_feed(site, "/rss.xml")
    now = timezone.now()

    assert feed_claim(feed.pk, now=now)
    assert not feed_claim(feed.pk, now=now)
    assert not feed_claim(feed.pk, force=True, now=now)  # not even by hand
    assert feed_claim(feed.pk, now=now + timedelta(minutes=11))  # its worker died


def test_only_due_active_feeds_are_picked(site):
    now = timezone.now()
    due = make_feed(site, "/rss.xml", next_poll_at=now - timedelta(minutes=1))
    make_feed(site, "/atom.xml", next_poll_at=now + timedelta(minutes=5))
    make_feed(site, "/rdf.xml", next_poll_at=now - timedelta(minutes=1), paused=True)
    make_feed(
        site,
        "/latin1.xml",
        next_poll_at=now - timedelta(minutes=1),
        polling_until=now + timedelta(minutes=5),
    )

    assert due_feed_ids(now=now) == [due.pk]
    assert feed_poll(due.pk).status == "new"
    assert due_feed_ids() == []


def test_a_busy_host_postpones_the_poll_to_its_slot(site, settings):
    settings.SPYGLASS_PIPELINE = {**settings.SPYGLASS_PIPELINE, "host_delay": 60}
    HostSlot.objects.create(host="127.0.0.1", next_free=timezone.now() + timedelta(seconds=30))
    feed = make_feed(site, "/rss.xml")

    outcome = _poll(feed)

    assert outcome.status == "postponed"
    assert site.hits("/rss.xml") == []
    assert feed.polling_until is None
    assert feed.next_poll_at > timezone.now() + timedelta(seconds=20)


# --- Errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "code", "message"),
    [
        ("/missing.xml", "http_404", "HTTP 404: there is no feed at this address"),
        ("/error", "http_500", "HTTP 500"),
        ("/truncated.xml", "broken_feed", "the feed is broken and no entry could be read"),
        ("/report.pdf", "unsupported_type", "not a feed: the server sent application/pdf"),
        ("/plain.html", "not_a_feed", "this is a web page, not a feed, and it names no feed"),
    ],
)
def test_a_failing_feed_gets_a_clear_error(site, path, code, message):
    feed = make_feed(site, path, interval_minutes=60)

    outcome = _poll(feed)

    assert outcome.status == "error"
    assert (feed.error_code, feed.failures, feed.last_status) == (code, 1, "error")
    assert feed.last_error.startswith(message)
    assert feed.last_error_at is not None and feed.last_success_at is None
    assert Submission.objects.count() == 0


def test_repeated_failures_back_off_and_a_success_clears_them(site):
    feed = make_feed(site, "/missing.xml", interval_minutes=10)

    _poll(feed)
    first_wait = feed.next_poll_at - feed.last_polled_at
    _poll(feed)
    _poll(feed)
    third_wait = feed.next_poll_at - feed.last_polled_at

    assert round(first_wait.total_seconds() / 60) == 10
    assert round(third_wait.total_seconds() / 60) == 40
    assert feed.last_error.endswith("(3 polls in a row failed; next try in 40 min)")

    site.routes["/missing.xml"] = site.routes["/rss.xml"]
    _poll(feed)
    assert (feed.failures, feed.last_error, feed.error_code) == (0, "", "")


def test_the_backoff_is_capped(site, settings):
    settings.SPYGLASS_FEEDS = {**settings.SPYGLASS_FEEDS, "max_backoff_minutes": 120}
    feed = make_feed(site, "/missing.xml", interval_minutes=60, failures=9)
    _poll(feed)
    assert round((feed.next_poll_at - feed.last_polled_at).total_seconds() / 60) == 120


def test_a_web_page_offers_its_feed_and_the_subscriber_can_take_it(site, alice):
    feed = make_feed(site, "/page.html", subscribed_by=alice)

    _poll(feed)
    assert feed.error_code == "not_a_feed"
    assert feed.suggested_url == site.url("/feed.xml")
    assert f"the page names a feed at {site.url('/feed.xml')}" in feed.last_error

    feed_adopt_suggestion(feed, user=alice)
    feed.refresh_from_db()
    assert (feed.url, feed.suggested_url, feed.failures) == (site.url("/feed.xml"), "", 0)
    assert _poll(feed).new_entries == 3


def test_a_feed_over_the_size_limit_is_refused(site, settings):
    settings.SPYGLASS_FEEDS = {**settings.SPYGLASS_FEEDS, "max_bytes": 1024 * 1024}
    feed = make_feed(site, "/big?size=3000000")
    _poll(feed)
    assert feed.error_code == "too_large"
    assert feed.last_error == "the feed is larger than 1 MB, the most Spyglass reads of a feed"


def test_a_slow_feed_times_out(site, settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "total_timeout": 0.5}
    feed = make_feed(site, "/slow?seconds=5")
    _poll(feed)
    assert feed.error_code == "timeout"
    assert feed.last_error == "timed out: the server did not send the feed within 0.5 s"


def test_a_loopback_feed_is_refused_without_the_exception(site, settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allowed_addresses": ()}
    feed = make_feed(site, "/rss.xml")
    _poll(feed)
    assert feed.error_code == "private_address"
    assert site.hits("/rss.xml") == []


def test_entries_without_a_usable_link_are_skipped_and_noted(site):
    body = (
        "<rss version='2.0'><channel><title>Odd</title>"
        "<item><title>No link</title></item>"
        "<item><title>FTP</title><link>ftp://files.example.org/a</link></item>"
        "<item><title>Good</title><link>https://odd.example.org/good</link></item>"
        "</channel></rss>"
    )
    site.routes["/odd.xml"] = lambda handler, query: handler.send(
        200, body, content_type="application/rss+xml"
    )
    feed = make_feed(site, "/odd.xml")

    outcome = _poll(feed)

    assert (outcome.new_entries, len(outcome.skipped)) == (1, 2)
    assert feed.last_warning.startswith("2 entries skipped: “No link” has no link; ftp://")
    assert feed.failures == 0
