"""Subscribing and managing feeds: what is accepted, what is refused and why, and by whom."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.feeds.models import Feed, FeedEntry
from apps.feeds.services import (
    FeedInputError,
    feed_delete,
    feed_pause,
    feed_resume,
    feed_subscribe,
)
from apps.knowledge.models import Theme
from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory, ThemeAliasFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_a_new_feed_is_due_at_once_with_the_default_interval(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as sent:
        feed = feed_subscribe(url=" https://tidal.example.org/feed.xml?utm_source=x ", user=alice)

    assert (feed.url, feed.canonical_url) == (
        "https://tidal.example.org/feed.xml?utm_source=x",
        "https://tidal.example.org/feed.xml",
    )
    assert (feed.interval_minutes, feed.subscribed_by, feed.theme) == (60, alice, None)
    assert feed.next_poll_at <= timezone.now()
    assert len(sent) == 1  # its first poll, once the subscription is committed


def test_the_theme_is_found_by_name_or_alias():
    theme = ThemeFactory(name="tidal power")
    ThemeAliasFactory(theme=theme, name="tidal energy")
    feed = feed_subscribe(url="https://a.example/feed", theme_name="Tidal Energy")
    assert feed.theme == theme


@pytest.mark.parametrize(
    ("url", "values", "message"),
    [
        ("ftp://a.example/feed", {}, "only http and https links are accepted (scheme: ftp)"),
        ("", {}, "the URL is empty"),
        ("http://10.0.0.7/feed", {}, "does not fetch from private or internal addresses"),
        ("https://a.example/f", {"interval_minutes": 2}, "from 5 to 10080 minutes (not 2)"),
        ("https://a.example/f", {"interval_minutes": 20000}, "(not 20000)"),
        ("https://a.example/f", {"theme_name": "no such theme"}, "no approved theme named"),
    ],
)
def test_a_bad_subscription_is_refused_with_the_reason(url, values, message):
    with pytest.raises(FeedInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        feed_subscribe(url=url, **values)
    assert not Feed.objects.exists()


def test_a_proposed_theme_is_not_given_to_a_feed():
    ThemeFactory(name="ocean desalination", status=Theme.Status.PROPOSED)
    with pytest.raises(FeedInputError, match="no approved theme"):
        feed_subscribe(url="https://a.example/f", theme_name="ocean desalination")


def test_the_same_feed_twice_names_who_subscribed(alice, bob):
    feed_subscribe(url="https://tidal.example.org/feed.xml", user=alice)
    with pytest.raises(FeedInputError, match=r"already subscribed \(by alice, on "):
        feed_subscribe(url="https://TIDAL.example.org/feed.xml#top", user=bob)
    assert Feed.objects.count() == 1


@pytest.mark.parametrize("manage", [feed_pause, feed_resume, feed_delete])
def test_another_analyst_may_not_change_a_feed(alice, bob, manage):
    feed = feed_subscribe(url="https://a.example/f", user=alice)
    with pytest.raises(PermissionDenied, match="subscriber or an editor"):
        manage(feed, user=bob)


@pytest.mark.parametrize("who", ["alice", "editor"])
def test_the_subscriber_or_an_editor_pauses_resumes_and_deletes(alice, who):
    user = alice if who == "alice" else UserFactory(username="erin", role="editor")
    feed = feed_subscribe(url="https://a.example/f", user=alice)
    Feed.objects.filter(pk=feed.pk).update(failures=4)

    feed_pause(feed, user=user)
    assert Feed.objects.get().paused
    feed_resume(feed, user=user)
    resumed = Feed.objects.get()
    assert (resumed.paused, resumed.failures) == (False, 0)
    assert resumed.next_poll_at <= timezone.now()


def test_deleting_a_feed_keeps_the_sources_it_brought(alice):
    feed = feed_subscribe(url="https://a.example/f", user=alice)
    source = SourceFactory()
    FeedEntry.objects.create(
        feed=feed, canonical_url=source.canonical_url, url=source.url, source=source
    )

    feed_delete(feed, user=alice)

    assert not Feed.objects.exists() and not FeedEntry.objects.exists()
    assert Source.objects.filter(pk=source.pk).exists()
