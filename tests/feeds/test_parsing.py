"""parse_feed on real captured feeds (../shared/corpus/feeds) and on our own fixtures."""

import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import pytest

from apps.feeds.parsing import FeedError, feed_links, html_text, parse_feed
from benchmarks.corpus import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = corpus_dir("feeds")  # ../shared/corpus/feeds, beside the project
needs_corpus = pytest.mark.skipif(
    CORPUS is None or not CORPUS.is_dir(),
    reason="the feeds corpus (../shared/corpus/feeds) is absent",
)


BASE = "https://feeds.example.org/feed"


def _inputs() -> list[Path]:
    if CORPUS is None or not CORPUS.is_dir():
        return []
    return sorted((CORPUS / "input").iterdir())


def _expected(path: Path) -> dict | None:
    """rss-parser's output for the file: JSON written as UTF-8, one file as Latin-1."""
    expected = CORPUS / "expected-output" / f"{path.stem}.json"
    if not expected.exists():
        return None
    raw = expected.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return json.loads(text)["feed"]


def _same_text(expected: str, got: str) -> bool:
    """Equal as a person reads them: entities decoded, tags and spacing ignored. Where the
    reference parser read a Latin-1 feed as UTF-8 it wrote U+FFFD; feedparser decodes the
    feed right, so a replacement character matches any one or two characters."""

    def plain(text: str) -> str:
        return " ".join(html_text(html.unescape(text)).split())

    pattern = re.escape(plain(expected)).replace("\ufffd", ".{1,2}")
    return re.fullmatch(pattern, plain(got)) is not None


def _iso(value: str) -> datetime:
    """To the second: feeds' dates carry no fractions, rss-parser writes .000Z (or .001Z)."""
    when = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return when.replace(microsecond=0)


@needs_corpus
@pytest.mark.parametrize("path", _inputs(), ids=lambda path: path.name)
def test_every_corpus_file_is_read_or_refused_clearly(path):
    expected = _expected(path)
    try:
        feed = parse_feed(path.read_bytes(), url=BASE, max_entries=10_000)
    except FeedError as error:
        # Only a file the reference parser had no output for may be refused.
        assert expected is None, f"{path.name}: {error}"
        assert error.code == "not_a_feed" and "web page" in str(error)
        return
    if expected is None:
        assert feed.entries, path.name
        return
    items = expected.get("items", [])
    assert len(feed.entries) == len(items)
    assert _same_text(expected.get("title") or "", feed.title)
    for item, entry in zip(items, feed.entries, strict=True):
        if "title" in item:
            assert _same_text(item["title"] or "", entry.title), item["title"]
        if item.get("link"):
            # Relative links are resolved against the feed's address.
            assert entry.link == urljoin(BASE, item["link"].strip())
        if item.get("isoDate"):
            assert entry.published_at == _iso(item["isoDate"])


@needs_corpus
def test_the_corpus_page_that_moved_is_not_a_feed():
    with pytest.raises(FeedError) as refused:
        parse_feed((CORPUS / "input" / "unrecognized.rss").read_bytes())
    assert str(refused.value) == "this is a web page, not a feed, and it names no feed"


@needs_corpus
def test_a_latin_1_corpus_feed_reads_as_latin_1():
    feed = parse_feed((CORPUS / "input" / "encoding.rss").read_bytes())
    assert feed.title == "Jornal de Notícias - Últimas Notícias"
    assert feed.entries[0].title == "Mãe de utente é a nova presidente da Raríssimas"


def _fixture(name: str, **kwargs):
    return parse_feed((FIXTURES / name).read_bytes(), url="https://feeds.example.org/f", **kwargs)


def test_it_reads_rss_2():
    feed = _fixture("rss20.xml")
    assert (feed.version, feed.title, feed.site_url) == (
        "rss20",
        "Tidal Energy Weekly",
        "https://tidal.example.org/",
    )
    assert [(e.title, e.link, e.guid) for e in feed.entries] == [
        (
            "Cooperatives buy grid batteries",
            "https://tidal.example.org/2026/cooperatives-batteries",
            "tidal-1",
        ),
        (
            "Tidal lagoon approved & funded",
            "https://tidal.example.org/2026/lagoon?utm_source=rss&utm_medium=feed",
            "tidal-2",
        ),
        # No <link>: the permalink guid is the link.
        (
            "Permalink only",
            "https://tidal.example.org/2026/permalink-only",
            "https://tidal.example.org/2026/permalink-only",
        ),
    ]
    assert feed.entries[0].published_at == datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    assert feed.entries[2].published_at is None


def test_it_reads_atom_with_a_relative_link_and_an_html_title():
    feed = _fixture("atom.xml")
    assert feed.version == "atom10"
    first, second = feed.entries
    assert first.title == "Sea walls rethought"
    assert first.link == "https://coast.example.net/notes/sea-walls"
    assert first.published_at == datetime(2026, 11, 2, 6, 15, tzinfo=UTC)
    assert second.published_at == datetime(2026, 10, 30, 7, 0, tzinfo=UTC)  # <updated> only


def test_it_reads_rss_1_rdf():
    feed = _fixture("rdf.xml")
    assert feed.version == "rss10"
    assert [e.link for e in feed.entries] == [
        "https://rdf.example.com/a",
        "https://rdf.example.com/b",
    ]
    assert feed.entries[1].published_at == datetime(2026, 10, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "title", "entry"),
    [
        ("latin1.xml", "Notícias do Mar", "Energia das marés em Portugal"),
        ("cp1252-labelled-utf8.xml", "Café Quarterly", "Le café “durable”"),
        ("utf16.xml", "Ocean Notes 海洋", "潮力発電 trial"),
    ],
)
def test_it_reads_odd_and_wrong_encodings(name, title, entry):
    feed = _fixture(name)
    assert (feed.title, feed.entries[0].title, feed.warning) == (title, entry, "")


def test_the_http_charset_is_used_when_the_file_declares_none():
    body = "<rss version='2.0'><channel><title>Ça va</title></channel></rss>".encode("cp1252")
    feed = parse_feed(body, content_type="application/rss+xml; charset=windows-1252")
    assert feed.title == "Ça va"


def test_a_sloppy_feed_is_read_with_a_warning():
    feed = _fixture("unescaped-ampersand.xml")
    assert [e.title for e in feed.entries] == ["Fish & chips & tides", "Second"]
    assert feed.warning.startswith("the feed is not well-formed (line 3, column 22")


def test_a_truncated_feed_is_a_clear_error():
    with pytest.raises(FeedError) as broken:
        _fixture("truncated.xml")
    assert broken.value.code == "broken_feed"
    assert str(broken.value) == (
        "the feed is broken and no entry could be read (line 2, column 46: unclosed token)"
    )


@pytest.mark.parametrize("body", [b"", b"   \n"])
def test_an_empty_answer_is_a_clear_error(body):
    with pytest.raises(FeedError, match="empty answer"):
        parse_feed(body)


def test_a_web_page_offers_the_feed_it_names():
    with pytest.raises(FeedError) as refused:
        parse_feed(
            (FIXTURES / "page-with-feed.html").read_bytes(), url="https://tidal.example.org/"
        )
    assert refused.value.code == "not_a_feed"
    assert refused.value.suggested_url == "https://tidal.example.org/feed.xml"
    assert "the page names a feed at https://tidal.example.org/feed.xml" in str(refused.value)


def test_a_web_page_naming_no_feed_says_so():
    with pytest.raises(FeedError, match="names no feed"):
        parse_feed((FIXTURES / "page-without-feed.html").read_bytes())


def test_a_body_that_is_a_file_name_is_never_opened():
    # feedparser opens bytes that name a file; parse_feed hands it a stream instead.
    with pytest.raises(FeedError):
        parse_feed(str(FIXTURES / "rss20.xml").encode())


def test_entries_past_the_limit_are_left_with_a_warning():
    feed = _fixture("rss20.xml", max_entries=2)
    assert (len(feed.entries), feed.total_entries) == (2, 3)
    assert "lists 3 entries; only the first 2 are read" in feed.warning


def test_feed_links_finds_rss_and_atom_alternates_only():
    page = """<html><head>
      <link rel="alternate" type="application/atom+xml" href="/atom">
      <link rel="alternate" hreflang="de" href="/de/">
      <link rel="Alternate" type="application/rss+xml" href="https://other.example/rss">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body><link rel="alternate" type="application/rss+xml" href="/late"></body></html>"""
    assert feed_links(page, "https://site.example/blog/") == [
        "https://site.example/atom",
        "https://other.example/rss",
    ]
