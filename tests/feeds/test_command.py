"""`manage.py feeds`: the same services from a shell."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.feeds.models import Feed
from apps.sources.models import Submission
from tests.factories import ThemeFactory
from tests.feeds.conftest import FIXTURES, make_feed
from tests.support.broker import purge_broker, waiting_messages

pytestmark = pytest.mark.django_db


def feeds(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("feeds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_with_an_interval_and_a_theme():
    ThemeFactory(name="tidal power")
    out, _ = feeds(
        "add", "https://tidal.example.org/feed.xml", "--interval", "15", "--theme", "tidal power"
    )
    feed = Feed.objects.get()
    assert out == (
        f"Subscribed to https://tidal.example.org/feed.xml as feed {feed.pk}; "
        "its first poll is queued.\n"
    )
    assert (feed.interval_minutes, feed.theme.name, feed.subscribed_by) == (15, "tidal power", None)


def test_add_refuses_with_the_reason():
    with pytest.raises(
        CommandError, match=r"the interval must be from 5 to 10080 minutes \(not 1\)"
    ):
        feeds("add", "https://a.example/f", "--interval", "1")


def test_poll_sync_polls_due_feeds_here_and_list_shows_them(site):
    feed = make_feed(site, "/rss.xml")
    make_feed(site, "/missing.xml")

    out, _ = feeds("poll", "--sync")

    assert f"feed {feed.pk}: 3 entries, 3 new submitted\n" in out
    assert "http_404" not in out and "HTTP 404: there is no feed at this address" in out
    assert Submission.objects.count() == 3
    assert feeds("poll", "--sync")[0] == "No feed is due.\n"
    listing = feeds("list")[0]
    assert f"{feed.pk}\t{feed.url}\tevery 60 min" in listing and "3 entries submitted" in listing
    assert "\terror: HTTP 404" in listing


def test_poll_sync_one_feed_polls_it_even_when_not_due(site):
    feed = make_feed(site, "/rss.xml", paused=True)
    out, _ = feeds("poll", "--sync", str(feed.pk))
    assert out == f"feed {feed.pk}: 3 entries, 3 new submitted\n"


def test_remove_by_number_or_url():
    feeds("add", "https://a.example/f")
    feeds("add", "https://b.example/f")
    feeds("remove", str(Feed.objects.get(url="https://a.example/f").pk))
    feeds("remove", "https://b.example/f?utm_source=x")
    assert not Feed.objects.exists()
    with pytest.raises(CommandError, match="no feed 99"):
        feeds("remove", "99")


def test_opml_import_reports_refused_lines_and_export_writes_them_back(tmp_path):
    out, err = feeds("import-opml", str(FIXTURES / "subscriptions.opml"))
    assert out == "2 feeds subscribed, 5 refused.\n"
    assert "line 10: ftp://files.example.org/feed.xml: only http and https links" in err

    target = tmp_path / "out.opml"
    assert feeds("export-opml", str(target))[0] == f"2 feeds written to {target}.\n"
    assert b'xmlUrl="https://coast.example.net/atom.xml"' in target.read_bytes()
    assert feeds("export-opml")[0].startswith("<?xml version='1.0' encoding='utf-8'?>")


def test_import_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*: No such file or directory"):
        feeds("import-opml", str(tmp_path / "nope.opml"))


def test_poll_without_sync_sends_tasks_for_a_worker(site, django_capture_on_commit_callbacks):
    purge_broker()
    feed = make_feed(site, "/rss.xml")
    make_feed(site, "/atom.xml")

    assert feeds("poll")[0] == "2 due feeds queued for a poll.\n"
    with django_capture_on_commit_callbacks(execute=True):  # sent once committed
        assert feeds("poll", str(feed.pk))[0] == f"A poll of feed {feed.pk} is queued.\n"
    assert waiting_messages("fetch") == 3
    assert Submission.objects.count() == 0
    purge_broker()
