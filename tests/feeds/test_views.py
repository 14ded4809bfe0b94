"""The feed pages: list, add, one feed, its actions, OPML upload and download, navigation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.feeds.models import Feed, FeedEntry
from apps.feeds.services import feed_subscribe
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory, ThemeFactory
from tests.feeds.conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_the_list_shows_each_feeds_state(alice_client, alice):
    feed = feed_subscribe(url="https://tidal.example.org/feed.xml", user=alice)
    Feed.objects.filter(pk=feed.pk).update(
        title="Tidal Energy Weekly",
        failures=2,
        last_error="HTTP 404: there is no feed at this address",
        entries_in_feed=12,
        entries_seen=9,
        sources_created=7,
    )

    page = alice_client.get(reverse("feeds:list")).content.decode()

    assert "Tidal Energy Weekly" in page and "failing" in page
    assert "HTTP 404: there is no feed at this address" in page
    assert "12 in the feed" in page and "9 submitted, 7 new" in page


def test_the_list_takes_a_fixed_number_of_queries(
    alice_client, alice, django_assert_max_num_queries
):
    theme = ThemeFactory(name="tidal power")
    for n in range(8):
        feed_subscribe(url=f"https://site{n}.example/feed", user=alice, theme_name=theme.name)
    with django_assert_max_num_queries(8):
        assert alice_client.get(reverse("feeds:list")).status_code == 200


def test_adding_a_feed_goes_to_its_page(alice_client):
    ThemeFactory(name="tidal power")
    response = alice_client.post(
        reverse("feeds:add"),
        {"url": "https://tidal.example.org/feed.xml", "interval": "30", "theme": "tidal power"},
        follow=True,
    )
    feed = Feed.objects.get()
    assert response.redirect_chain[-1][0] == feed.get_absolute_url()
    assert (feed.interval_minutes, feed.theme.name) == (30, "tidal power")
    assert "its first poll is queued" in response.content.decode()


def test_a_refused_feed_is_shown_with_the_reason_and_what_was_typed(alice_client):
    response = alice_client.post(
        reverse("feeds:add"), {"url": "ftp://files.example.org/feed", "interval": "30"}
    )
    page = response.content.decode()
    assert "Not subscribed: only http and https links are accepted (scheme: ftp)." in page
    assert 'value="ftp://files.example.org/feed"' in page
    assert not Feed.objects.exists()


def test_the_feed_page_lists_entries_and_their_submissions(alice_client, alice):
    feed = feed_subscribe(url="https://tidal.example.org/feed.xml", user=alice)
    source = SourceFactory(title="Cooperatives buy batteries")
    FeedEntry.objects.create(
        feed=feed,
        canonical_url=source.canonical_url,
        url=source.url,
        title="Cooperatives buy grid batteries",
        source=source,
        created_source=True,
    )

    page = alice_client.get(feed.get_absolute_url()).content.decode()

    assert "Cooperatives buy grid batteries" in page
    assert source.get_absolute_url() in page and "(new source)" in page


def test_the_subscriber_pauses_and_resumes_from_the_page(alice_client, alice):
    feed = feed_subscribe(url="https://a.example/f", user=alice)
    alice_client.post(reverse("feeds:pause", args=[feed.pk]))
    assert Feed.objects.get().paused
    page = alice_client.get(feed.get_absolute_url()).content.decode()
    assert reverse("feeds:resume", args=[feed.pk]) in page
    alice_client.post(reverse("feeds:resume", args=[feed.pk]))
    assert not Feed.objects.get().paused


def test_another_analyst_is_refused(client, alice, bob):
    feed = feed_subscribe(url="https://a.example/f", user=alice)
    client.force_login(bob)
    assert client.post(reverse("feeds:delete", args=[feed.pk])).status_code == 403
    assert Feed.objects.exists()


def test_unsubscribing_goes_back_to_the_list(alice_client, alice):
    feed = feed_subscribe(url="https://a.example/f", user=alice)
    response = alice_client.post(reverse("feeds:delete", args=[feed.pk]))
    assert response["Location"] == reverse("feeds:list")
    assert not Feed.objects.exists()


def test_an_opml_upload_subscribes_and_lists_the_refused_lines(alice_client):
    upload = SimpleUploadedFile("subs.opml", (FIXTURES / "subscriptions.opml").read_bytes())

    page = alice_client.post(reverse("feeds:opml_import"), {"file": upload}).content.decode()

    assert Feed.objects.count() == 2
    assert "2 feeds subscribed." in page
    assert "line 10:</strong> only http and https links are accepted" in page


def test_a_file_that_is_not_opml_is_refused_whole(alice_client):
    upload = SimpleUploadedFile("subs.opml", b"<html><body>hi</body></html>")
    page = alice_client.post(reverse("feeds:opml_import"), {"file": upload}).content.decode()
    assert "Nothing imported: not an OPML file" in page


def test_the_export_downloads_as_opml(alice_client, alice):
    feed_subscribe(url="https://a.example/f", user=alice)
    response = alice_client.get(reverse("feeds:opml_export"))
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert b'xmlUrl="https://a.example/f"' in response.content


@pytest.mark.parametrize(
    ("role", "shown"), [("analyst", True), ("editor", True), ("reader", False)]
)
def test_the_header_links_to_feeds_for_analysts_and_up(client, role, shown):
    client.force_login(UserFactory(username=f"nav-{role}", role=role))
    page = client.get(reverse("dashboard")).content.decode()
    assert (f'href="{reverse("feeds:list")}"' in page) is shown
