"""One canonical form per URL, so the same page is never stored twice."""

from urllib.parse import SplitResult, urlsplit, urlunsplit

from courlan import normalize_url


class InvalidURL(ValueError):
    """A URL Spyglass cannot use; the message says why in plain words."""


MAX_URL_LENGTH = 2048
MIN_PORT, MAX_PORT = 1, 65535


def canonical_url(raw: str) -> str:
    """Normalise scheme and host case, default ports, tracking parameters and fragments.

    courlan removes the tracking parameters (utm_*, fbclid, gclid, ...) and sorts the
    meaningful query; the fragment never changes which page is fetched, so it goes too.
    """
    url = raw.strip()
    if not url:
        raise InvalidURL("the URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(ch.isspace() for ch in url):
        raise InvalidURL("a URL cannot contain spaces")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as error:  # e.g. an unclosed [ of an IPv6 address
        raise InvalidURL(f"the URL cannot be read ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "none"
        raise InvalidURL(f"only http and https links are accepted (scheme: {shown})")
    if not hostname:
        raise InvalidURL("the URL has no host name")
    if parts.username or parts.password:
        raise InvalidURL("URLs with a user name or password are not accepted")
    check_port(parts)
    try:
        normalised = normalize_url(url)
    except ValueError as error:
        raise InvalidURL(f"the URL cannot be read ({error})") from None
    parts = urlsplit(normalised)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def check_port(parts: SplitResult) -> None:
    """A port, when given, is a number from 1 to 65535: no server can listen on another."""
    written = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
    try:
        port = parts.port
    except ValueError:
        port = None
    if written and (port is None or not MIN_PORT <= port <= MAX_PORT):
        raise InvalidURL(
            f"the port must be a number from {MIN_PORT} to {MAX_PORT} (this one is {written})"
        )
