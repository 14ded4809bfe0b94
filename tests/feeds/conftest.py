"""A real HTTP server on 127.0.0.1 serving feeds, and settings that let the fetch reach it."""

from email.utils import formatdate
from pathlib import Path

import pytest

from apps.feeds.models import Feed
from apps.sources.canonical import canonical_url
from tests.accounts.factories import UserFactory
from tests.support.http import Handler, serving

FIXTURES = Path(__file__).parent / "fixtures"
ETAG = '"tidal-v1"'
LAST_MODIFIED = formatdate(1_790_000_000, usegmt=True)


def fixture_route(name: str, content_type: str = "application/rss+xml"):
    def route(handler: Handler, query: dict[str, str]) -> None:
        handler.send(200, (FIXTURES / name).read_bytes(), content_type=content_type)

    return route


def conditional(handler: Handler, query: dict[str, str]) -> None:
    """rss20.xml with validators; 304 when the request sends either of them back."""
    if handler.headers.get("If-None-Match") == ETAG or (
        handler.headers.get("If-Modified-Since") == LAST_MODIFIED
    ):
        handler.send(304, headers={"ETag": ETAG})
        return
    body = (FIXTURES / "rss20.xml").read_bytes()
    headers = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    handler.send(200, body, content_type="application/rss+xml", headers=headers)


def growing(handler: Handler, query: dict[str, str]) -> None:
    """rss20.xml, plus one more item from the second request on (per `key`)."""
    seen = handler.server.site.count(f"growing:{query.get('key', '')}")
    body = (FIXTURES / "rss20.xml").read_text()
    if seen:
        extra = (
            "<item><title>Wave farm opens</title>"
            "<link>https://tidal.example.org/2026/wave-farm</link></item>"
        )
        body = body.replace("<item>", extra + "<item>", 1)
    handler.send(200, body.encode(), content_type="application/xml")


FEED_ROUTES = {
    "/rss.xml": fixture_route("rss20.xml"),
    "/atom.xml": fixture_route("atom.xml", "application/atom+xml"),
    "/rdf.xml": fixture_route("rdf.xml", "application/rdf+xml"),
    "/latin1.xml": fixture_route("latin1.xml", "text/xml"),
    "/truncated.xml": fixture_route("truncated.xml", "application/rss+xml"),
    "/page.html": fixture_route("page-with-feed.html", "text/html; charset=utf-8"),
    "/feed.xml": fixture_route("rss20.xml"),  # the feed page.html names
    "/plain.html": fixture_route("page-without-feed.html", "text/html"),
    "/conditional.xml": conditional,
    "/growing.xml": growing,
    "/report.pdf": lambda handler, query: handler.send(
        200, b"%PDF-1.4\n", content_type="application/pdf"
    ),
}


@pytest.fixture
def site(settings):
    with serving() as site:
        site.routes.update(FEED_ROUTES)
        # The SSRF guard refuses loopback; this server's address and port are the exception
        # (as in tests/sources/pipeline/test_fetch.py), and no wait between polls of one host.
        settings.SPYGLASS_FETCH = {
            **settings.SPYGLASS_FETCH,
            "allowed_addresses": (f"127.0.0.1:{site.port}",),
        }
        settings.SPYGLASS_PIPELINE = {**settings.SPYGLASS_PIPELINE, "host_delay": 0}
        yield site


@pytest.fixture
def alice(db):
    """Alice, an analyst who subscribes to feeds."""
    return UserFactory(username="alice", role="analyst")


@pytest.fixture
def bob(db):
    """Bob, another analyst."""
    return UserFactory(username="bob", role="analyst")


def make_feed(site, path: str, **values) -> Feed:
    url = site.url(path)
    return Feed.objects.create(url=url, canonical_url=canonical_url(url), **values)
