"""Reading a feed's bytes with feedparser: entries, or a clear reason why not.

feedparser is only ever given a stream of bytes: given a string it fetches a URL itself
(past the SSRF guard, the host limiter and the size caps of apps/sources/pipeline/fetch.py),
and given bytes it first tries them as a local file name, so a feed whose whole body is
"/etc/passwd" would read that file.
"""

import calendar
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+xml",
    "application/x-rss+xml",
    "application/x-atom+xml",
    "application/xml",
    "text/xml",
    "text/rss+xml",
    "text/atom+xml",
}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Servers that know no better send feeds as text/plain or octet-stream: read what comes.
LOOSE_TYPES = {"text/plain", "application/octet-stream"}
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.5, */*;q=0.1"
)


class FeedError(Exception):
    """A feed that cannot be read; `code` for machines, the message for people."""

    def __init__(self, code: str, message: str, *, suggested_url: str = ""):
        super().__init__(message)
        self.code = code
        self.suggested_url = suggested_url


@dataclass
class Entry:
    link: str
    title: str = ""
    guid: str = ""
    published_at: datetime | None = None


@dataclass
class ParsedFeed:
    title: str
    site_url: str
    version: str  # feedparser's name of the format: rss20, atom10, rss10 ...
    entries: list[Entry] = field(default_factory=list)
    total_entries: int = 0  # before the cap
    warning: str = ""


def parse_feed(
    body: bytes, *, url: str = "", content_type: str = "", max_entries: int = 500
) -> ParsedFeed:
    """The feed in `body`, at most `max_entries` of its entries (in the feed's order)."""
    if not body.strip():
        raise FeedError("empty", "the server sent an empty answer instead of a feed")
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=headers, resolve_relative_uris=False
    )
    if not parsed.version and not parsed.entries:
        raise _not_a_feed(body, url, parsed)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and not parsed.entries and not _is_encoding_note(problem):
        raise FeedError(
            "broken_feed", f"the feed is broken and no entry could be read ({_short(str(problem))})"
        )
    entries = [_entry(raw, url) for raw in parsed.entries]
    feed = ParsedFeed(
        title=_clean(parsed.feed.get("title", ""))[:300],
        site_url=parsed.feed.get("link", "") or "",
        version=parsed.version or "unknown",
        entries=entries[:max_entries],
        total_entries=len(entries),
    )
    warnings = []
    if problem is not None and not _is_encoding_note(problem):
        warnings.append(f"the feed is not well-formed ({_short(str(problem))}); it was read anyway")
    if len(entries) > max_entries:
        warnings.append(
            f"the feed lists {len(entries)} entries; only the first {max_entries} are read "
            "(SPYGLASS_FEEDS max_entries)"
        )
    feed.warning = "; ".join(warnings)
    return feed


def _is_encoding_note(problem: Exception) -> bool:
    """A declared encoding that was wrong, and another that worked: nothing to warn about."""
    return isinstance(
        problem,
        (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType),
    )


def _not_a_feed(body: bytes, url: str, parsed) -> FeedError:
    head = body[:4096].lstrip().lower()
    if b"<html" in head or b"<!doctype html" in head or b"<head" in head:
        alternates = feed_links(body.decode("utf-8", "replace"), url)
        if alternates:
            return FeedError(
                "not_a_feed",
                f"this is a web page, not a feed; the page names a feed at {alternates[0]}",
                suggested_url=alternates[0],
            )
        return FeedError("not_a_feed", "this is a web page, not a feed, and it names no feed")
    problem = parsed.get("bozo_exception")
    reason = f" ({_short(str(problem))})" if problem else ""
    return FeedError("broken_feed", f"not a readable RSS or Atom feed{reason}")


def _entry(raw, base: str) -> Entry:
    link = (raw.get("link") or "").strip()
    if not link:  # an RSS item with a permalink guid and no <link>
        guid = raw.get("id") or ""
        if raw.get("guidislink") or guid.startswith(("http://", "https://")):
            link = guid.strip()
    return Entry(
        link=urljoin(base, link) if link and base else link,
        title=_title(raw)[:500],
        guid=(raw.get("id") or "")[:500],
        published_at=_when(_own(raw, "published_parsed") or _own(raw, "updated_parsed")),
    )


def _own(raw, key: str):
    """A key the entry has itself: feedparser's .get("updated_parsed") falls back to the
    published date with a DeprecationWarning."""
    return dict.get(raw, key)


def _when(parsed_time) -> datetime | None:
    """feedparser gives dates as UTC struct_time; an impossible one is dropped, not fatal."""
    if not parsed_time:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _title(raw) -> str:
    """The title as text: an HTML title (Atom type="html") loses its tags."""
    title = raw.get("title", "")
    if raw.get("title_detail", {}).get("type") in ("text/html", "application/xhtml+xml"):
        title = html_text(title)
    return _clean(title)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(markup: str) -> str:
    """The text of an HTML fragment (Django's strip_tags turns "A&B" into "A&B;")."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _clean(text: str) -> str:
    return " ".join(text.split())


_POSITION = re.compile(r"^<unknown>:(\d+):(\d+):\s*")


def _short(text: str) -> str:
    """expat's "<unknown>:2:46: unclosed token" as "line 2, column 46: unclosed token"."""
    text = _POSITION.sub(r"line \1, column \2: ", text)
    return text if len(text) <= 160 else text[:157] + "..."


class _AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        values = {name: (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().strip()
        if tag == "link" and "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            self.links.append(values["href"].strip())


_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def feed_links(html: str, base: str = "") -> list[str]:
    """The feeds an HTML page names in <link rel="alternate" type="application/rss+xml">."""
    parser = _AlternateLinks()
    match = _HEAD_END.search(html)
    parser.feed(html[: match.end()] if match else html[:200_000])
    parser.close()
    links = [urljoin(base, link) if base else link for link in parser.links]
    return list(dict.fromkeys(link for link in links if link.startswith(("http://", "https://"))))
