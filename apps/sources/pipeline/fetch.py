"""Fetching one page over HTTP with hard limits: time, size, redirects, types, addresses."""

import functools
import ssl
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import certifi
import httpcore
import httpx
from django.conf import settings
from django.utils import timezone

from apps.sources.pipeline.extract import decode_html, page_title, refuse_interstitial
from apps.sources.pipeline.failures import NO_SUCH_NAME, REFUSED, Blocked, Failure
from apps.sources.pipeline.guard import (
    AddressPolicy,
    BlockedAddress,
    GuardedBackend,
    NameNotFound,
)

HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf"}
TEXT_TYPES = {"text/plain"}
ACCEPTED_TYPES = HTML_TYPES | PDF_TYPES | TEXT_TYPES
REDIRECT_CODES = {301, 302, 303, 307, 308}
E = TypeVar("E", bound=BaseException)
CHALLENGE_STATUSES = {403, 429, 503}
CHALLENGE_SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "Spyglass"
    allow_private: bool = False
    allowed_addresses: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls) -> "FetchLimits":
        return cls(**settings.SPYGLASS_FETCH)


@dataclass
class Page:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    charset: str
    body: bytes
    redirects: list[str] = field(default_factory=list)
    # Validators for the next conditional request (feeds send them back: apps/feeds).
    etag: str = ""
    last_modified: str = ""


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle took ~26 ms a fetch."""
    return ssl.create_default_context(cafile=certifi.where())


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the SSRF guard as its network backend."""

    def __init__(self, policy: AddressPolicy, deadline: float | None = None, **kwargs):
        super().__init__(verify=shared_ssl_context(), **kwargs)
        self._pool = httpcore.ConnectionPool(
            ssl_context=self._pool._ssl_context,
            network_backend=GuardedBackend(policy, deadline),
            max_connections=4,
        )


def fetch_page(
    url: str,
    limits: FetchLimits | None = None,
    *,
    headers: dict[str, str] | None = None,
    accepted: frozenset[str] | set[str] = ACCEPTED_TYPES,
) -> Page:
    """Fetch `url` following up to `max_redirects` checked redirects; raise Failure.

    `headers` add to (or replace) the defaults, e.g. a feed's Accept and its conditional
    If-None-Match / If-Modified-Since; a 304 answer comes back as a Page with no body.
    `accepted` lists the media types read; others fail as `unsupported_type`.
    """
    limits = limits or FetchLimits.from_settings()
    policy = AddressPolicy(allow_private=limits.allow_private, allowed=limits.allowed_addresses)
    deadline = time.monotonic() + limits.total_timeout
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    headers = {
        "User-Agent": limits.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8",
        **(headers or {}),
    }
    redirects: list[str] = []
    with httpx.Client(
        transport=GuardedTransport(policy, deadline), timeout=timeout, headers=headers
    ) as client:
        while True:
            check_url_shape(url)
            try:
                with client.stream("GET", url) as response:
                    location = _redirect_target(response, url)
                    if location is None:
                        return _read_page(response, url, redirects, limits, deadline, accepted)
            except BlockedAddress as error:
                raise Failure("private_address", str(error)) from None
            except httpx.InvalidURL as error:
                # e.g. http://0177.0.0.1/: courlan keeps it, httpx cannot parse the host.
                raise Failure("bad_url", f"refused: the link cannot be read ({error})") from None
            except httpx.TimeoutException:
                raise Failure(
                    "timeout", "timed out waiting for the server", transient=True
                ) from None
            except (httpx.TransportError, httpcore.ConnectError) as error:
                raise _connection_failure(error, url) from None
            redirects.append(url)
            if location in redirects:
                raise Failure(
                    "redirect_loop", "redirect loop: the redirects lead back to a page seen before"
                )
            if len(redirects) > limits.max_redirects:
                raise Failure("too_many_redirects", f"more than {limits.max_redirects} redirects")
            url = location


def _connection_failure(error: Exception, url: str) -> Failure:
    """A refused connection and an unknown name get codes of their own: a few quick retries
    settle them (the runner's short policy), unlike a timeout or a dropped connection."""
    missing = _caused_by(error, NameNotFound)
    if missing:
        return Failure(
            NO_SUCH_NAME, f"the name {missing.host} does not exist (DNS)", transient=True
        )
    if _caused_by(error, ConnectionRefusedError):
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return Failure(
            REFUSED,
            f"the server refused the connection (nothing listens on port {port})",
            transient=True,
        )
    return Failure(
        "connection", f"connection failed: {error or type(error).__name__}", transient=True
    )


def _caused_by(error: BaseException | None, kind: type[E]) -> E | None:
    """The exception of `kind` in the chain that led to `error`, if any."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def check_url_shape(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Failure("bad_url", f"refused: only http and https links are fetched ({url[:80]})")
    if parts.username or parts.password:
        raise Failure("bad_url", "refused: links with a user name or password are not fetched")
    if not parts.hostname:
        raise Failure("bad_url", "refused: the link has no host name")


def _redirect_target(response: httpx.Response, url: str) -> str | None:
    if response.status_code not in REDIRECT_CODES:
        return None
    location = response.headers.get("location")
    if not location:
        raise Failure("http_error", f"HTTP {response.status_code} without a Location header")
    return urljoin(url, location.strip())


def _read_page(
    response, url, redirects, limits: FetchLimits, deadline: float, accepted=ACCEPTED_TYPES
) -> Page:
    status = response.status_code
    if status == 304:  # only ever the answer to a conditional request
        return Page(
            url=url, status=status, content_type="", charset="", body=b"", redirects=redirects
        )
    if status in CHALLENGE_STATUSES:
        _refuse_challenge(response, limits)
    if status == 429 or status >= 500:
        raise Failure(
            f"http_{status}",
            f"HTTP {status}",
            transient=True,
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
        )
    if status >= 400:
        raise Failure(f"http_{status}", f"HTTP {status}")
    content_type = response.headers.get("content-type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime not in accepted:
        raise Failure("unsupported_type", f"unsupported type: {mime or 'none given'}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise Failure("too_large", f"too large: over {_megabytes(limits.max_bytes)}")
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # decoded, so a gzip bomb hits the cap too
        size += len(chunk)
        if size > limits.max_bytes:
            raise Failure("too_large", f"too large: over {_megabytes(limits.max_bytes)}")
        if time.monotonic() > deadline:
            raise Failure(
                "timeout", "timed out: the page took too long to download", transient=True
            )
        chunks.append(chunk)
    return Page(
        url=url,
        status=status,
        content_type=mime,
        charset=response.charset_encoding or "",
        body=b"".join(chunks),
        redirects=redirects,
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )


def _refuse_challenge(response: httpx.Response, limits: FetchLimits) -> None:
    """Bot walls answer 403, 429 or 503 with a challenge page: that is `blocked`, not a
    server error, so the analyst is offered to paste the text instead of a retry."""
    head = b""
    for chunk in response.iter_bytes():
        head += chunk
        if len(head) >= CHALLENGE_SNIFF_BYTES:
            break
    text = decode_html(head[:CHALLENGE_SNIFF_BYTES], response.charset_encoding or "")
    try:
        refuse_interstitial(page_title(text), text[:5000])
    except Blocked as wall:
        if wall.code == "challenge":
            raise


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def _megabytes(size: int) -> str:
    return f"{round(size / (1024 * 1024), 2):g} MB"
