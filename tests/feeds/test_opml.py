"""OPML in and out: a round trip keeps every feed; a bad line is refused with its reason."""

import pytest

from apps.feeds.models import Feed
from apps.feeds.opml import OpmlError, opml_read, opml_write
from apps.feeds.services import feed_subscribe, feeds_import_opml
from tests.factories import ThemeFactory
from tests.feeds.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def _state() -> list[tuple]:
    feeds = Feed.objects.select_related("theme").order_by("canonical_url")
    return [(f.url, f.title, f.interval_minutes, f.theme.name if f.theme else None) for f in feeds]


def test_an_export_imports_back_as_it_was(alice):
    ThemeFactory(name="tidal power")
    feed_subscribe(
        url="https://tidal.example.org/feed.xml", interval_minutes=15, theme_name="Tidal Power"
    )
    feed_subscribe(url="https://coast.example.net/atom.xml")
    Feed.objects.filter(canonical_url__contains="tidal").update(title="Tidal & Co <weekly>")
    before = _state()

    exported = opml_write(Feed.objects.select_related("theme"))
    Feed.objects.all().delete()
    result = feeds_import_opml(exported, user=alice)

    assert result.refused == []
    assert _state() == before
    assert {feed.subscribed_by for feed in Feed.objects.all()} == {alice}
    assert (
        opml_write(Feed.objects.select_related("theme")).split(b"<body>")[1]
        == (exported.split(b"<body>")[1])
    )


def test_the_export_is_opml_2_that_readers_take():
    feed_subscribe(url="https://tidal.example.org/feed.xml")
    data = opml_write(Feed.objects.all())
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    assert b'type="rss"' in data and b'xmlUrl="https://tidal.example.org/feed.xml"' in data


def test_an_import_keeps_the_good_lines_and_says_why_the_others_were_refused():
    result = feeds_import_opml((FIXTURES / "subscriptions.opml").read_bytes())

    assert sorted(feed.canonical_url for feed in result.subscribed) == [
        "https://coast.example.net/atom.xml",
        "https://tidal.example.org/feed.xml",
    ]
    assert Feed.objects.get(canonical_url__contains="coast").interval_minutes == 30
    assert Feed.objects.get(canonical_url__contains="tidal").title == "Tidal Energy Weekly"
    assert [(r.line, r.reason) for r in result.refused] == [
        (9, "no xmlUrl"),
        (10, "only http and https links are accepted (scheme: ftp)"),
        (11, "the interval “often” is not a whole number of minutes"),
        (12, "the interval must be from 5 to 10080 minutes (not 1)"),
        (13, "this feed is already subscribed (by someone, on " + _today() + ")"),
    ]


def _today() -> str:
    from django.utils import timezone

    return f"{timezone.now():%Y-%m-%d}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline", "not readable as XML"),
        (b"<rss version='2.0'><channel/></rss>", "not an OPML file"),
        (b"\x00\x01binary", "not readable as XML"),
    ],
)
def test_a_file_that_is_not_opml_is_refused_whole(data, message):
    with pytest.raises(OpmlError, match=message):
        opml_read(data)


def test_entities_from_outside_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/f"/></body></opml>'
    ).encode()
    with pytest.raises(OpmlError):
        opml_read(data)
