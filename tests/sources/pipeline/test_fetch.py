"""Fetching with the SSRF guard on: hostile links are refused before any connection.

Every hostile link that has a port points at the test site, which records each request it
gets: "no connection made" is then a fact the test checks, not a hope.
"""

import socket
import time
from email.utils import format_datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.sources.models import Source
from apps.sources.pipeline.failures import Blocked, Failure
from apps.sources.pipeline.fetch import FetchLimits, fetch_page, retry_after_seconds
from apps.sources.pipeline.inline import run_until_final
from apps.sources.services import source_submit
from tests.support import pages
from tests.support.http import closed_port, serving

GUARDED = FetchLimits(connect_timeout=1.0, read_timeout=1.0)
LOOPBACK = "loopback address"
MAPPED = "loopback address (inside an IPv6 address)"


@pytest.mark.parametrize(
    ("link", "code", "message"),
    [
        ("http://127.0.0.1:{port}/ok", "private_address", f"127.0.0.1 is a {LOOPBACK}"),
        ("http://localhost:{port}/ok", "private_address", f"localhost (127.0.0.1) is a {LOOPBACK}"),
        ("http://[::1]:{port}/ok", "private_address", f"::1 is a {LOOPBACK}"),
        ("http://0.0.0.0:{port}/ok", "private_address", "0.0.0.0 is an unspecified address"),
        ("http://2130706433:{port}/ok", "private_address", f"(127.0.0.1) is a {LOOPBACK}"),
        ("http://0x7f.1:{port}/ok", "private_address", f"0x7f.1 (127.0.0.1) is a {LOOPBACK}"),
        ("http://127.1:{port}/ok", "private_address", f"127.1 (127.0.0.1) is a {LOOPBACK}"),
        ("http://[::ffff:127.0.0.1]:{port}/ok", "private_address", MAPPED),
        ("http://[::ffff:7f00:1]:{port}/ok", "private_address", MAPPED),
        (
            "http://169.254.169.254/latest/meta-data/",
            "private_address",
            "169.254.169.254 is a link-local address",
        ),
        ("http://[fd00:ec2::254]/latest/", "private_address", "reserved or internal address"),
        ("http://100.100.100.200/", "private_address", "reserved or internal address"),
        ("http://0177.0.0.1:{port}/ok", "bad_url", "the link cannot be read"),
        ("http://user:pass@127.0.0.1:{port}/ok", "bad_url", "with a user name or password"),
        ("http://user:pass@example.com/", "bad_url", "with a user name or password"),
        ("file:///etc/passwd", "bad_url", "only http and https links are fetched"),
        ("gopher://127.0.0.1:{port}/_ok", "bad_url", "only http and https links are fetched"),
        ("ftp://127.0.0.1:{port}/ok", "bad_url", "only http and https links are fetched"),
    ],
)
def test_hostile_links_are_refused_without_a_connection(site, link, code, message):
    before = len(site.requests)

    with pytest.raises(Failure) as refused:
        fetch_page(link.format(port=site.port), GUARDED)

    assert refused.value.code == code
    assert refused.value.message.startswith("refused: ")
    assert message in refused.value.message
    assert not refused.value.transient
    assert len(site.requests) == before


@pytest.fixture
def resolver(monkeypatch):
    """The system's DNS answers as an attacker's name server would (DNS is outside the
    product; the guard is not). Returns the list of names looked up."""
    answers = {
        "intranet.example": ["10.0.0.5"],
        "mixed.example": ["93.184.215.14", "10.1.2.3"],
        "rebind.example": ["127.0.0.1"],
    }
    real_getaddrinfo = socket.getaddrinfo
    looked_up: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        looked_up.append(host)
        found = [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in answers[host]
        ]
        if host == "rebind.example":
            # After its first answer the name points at the cloud metadata address.
            answers[host] = ["169.254.169.254"]
        return found

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return looked_up


def test_a_name_resolving_to_a_private_address_is_refused(site, resolver):
    with pytest.raises(Failure, match=r"refused: intranet.example \(10.0.0.5\) is a private"):
        fetch_page(f"http://intranet.example:{site.port}/ok", GUARDED)


def test_every_address_a_name_resolves_to_is_checked(site, resolver):
    with pytest.raises(Failure, match=r"refused: mixed.example \(10.1.2.3\) is a private"):
        fetch_page(f"http://mixed.example:{site.port}/ok", GUARDED)


def test_the_name_is_resolved_once_and_the_checked_address_is_used(site, resolver):
    # A rebinding name: checked as an allowed address, then answering with another. The
    # connection must go to the address that was checked, with no second lookup.
    limits = FetchLimits(allowed_addresses=(f"127.0.0.1:{site.port}",))

    page = fetch_page(f"http://rebind.example:{site.port}/ok", limits)

    assert page.status == 200
    assert resolver == ["rebind.example"]
    assert site.requests[-1].headers["Host"] == f"rebind.example:{site.port}"


def test_one_allowed_address_and_port_is_fetched(site):
    limits = FetchLimits(allowed_addresses=(f"127.0.0.1:{site.port}",))

    page = fetch_page(site.url("/ok"), limits)

    assert page.body == pages.article_html().encode("utf-8")


@pytest.mark.parametrize("status", ["403", "503"])
def test_a_challenge_page_with_an_error_status_is_blocked_not_retried(site, status):
    limits = FetchLimits(allowed_addresses=(f"127.0.0.1:{site.port}",))

    with pytest.raises(Blocked, match="blocked: challenge page"):
        fetch_page(site.url(f"/challenge?status={status}"), limits)


def test_a_plain_403_is_a_failure(site):
    limits = FetchLimits(allowed_addresses=(f"127.0.0.1:{site.port}",))
    site.routes["/forbidden"] = lambda handler, query: handler.send(403, "<p>No.</p>")

    with pytest.raises(Failure, match="HTTP 403"):
        fetch_page(site.url("/forbidden"), limits)


def test_a_redirect_to_an_address_not_allowed_is_refused(site):
    limits = FetchLimits(allowed_addresses=(f"127.0.0.1:{site.port}",))
    with serving() as other:
        with pytest.raises(Failure) as refused:
            fetch_page(site.url(f"/to-private?port={other.port}"), limits)

        assert refused.value.code == "private_address"
        assert refused.value.message == "refused: 127.0.0.1 is a loopback address"
        assert other.requests == []
    assert len(site.hits("/to-private", port=str(other.port))) == 1


def test_redirects_are_followed_up_to_the_limit(site):
    limits = FetchLimits(allowed_addresses=(f"127.0.0.1:{site.port}",), max_redirects=2)

    page = fetch_page(site.url("/chain?n=2"), limits)

    assert page.url == site.url("/ok")
    assert page.redirects == [site.url("/chain?n=2"), site.url("/chain?n=1")]
    with pytest.raises(Failure, match="more than 2 redirects") as refused:
        fetch_page(site.url("/chain?n=3"), limits)
    assert refused.value.code == "too_many_redirects"


def test_a_connection_refused_says_nothing_listens_on_the_port():
    with closed_port() as port, pytest.raises(Failure) as refused:
        fetch_page(f"http://127.0.0.1:{port}/", FetchLimits(allow_private=True))

    assert refused.value.code == "connection_refused"
    assert refused.value.transient
    assert refused.value.message == (
        f"the server refused the connection (nothing listens on port {port})"
    )


@pytest.mark.django_db
def test_a_refused_link_fails_its_source_with_the_reason(site, settings):
    # Submitted while the address was allowed (a name resolving to it would pass the submit
    # check in the same way), refused by the guard when it is fetched.
    allowed = {**settings.SPYGLASS_FETCH, "allowed_addresses": (f"127.0.0.1:{site.port}",)}
    with override_settings(SPYGLASS_FETCH=allowed):
        source, _ = source_submit(site.url("/ok"))
    settings.SPYGLASS_FETCH = {
        **settings.SPYGLASS_FETCH,
        "allow_private": False,
        "allowed_addresses": (),
    }

    source = run_until_final(source.pk)

    assert source.status == Source.Status.FAILED
    assert source.failure_code == "private_address"
    assert source.failure_message == "refused: 127.0.0.1 is a loopback address"
    assert source.raw_content is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), (" 3 ", 3.0), ("", None), (None, None), ("soon", None)],
)
def test_retry_after_in_seconds(header, seconds):
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_an_http_date():
    later = timezone.now() + timezone.timedelta(seconds=90)

    assert 85 <= retry_after_seconds(format_datetime(later, usegmt=True)) <= 90
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "name_not_found"),
        (socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"), "connection"),
    ],
)
def test_a_name_dns_says_does_not_exist_has_its_own_code(monkeypatch, error, code):
    def getaddrinfo(host, *args, **kwargs):
        raise error

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    with pytest.raises(Failure) as failed:
        fetch_page("https://exmaple.org/story", GUARDED)

    assert failed.value.code == code
    assert failed.value.transient
    if code == "name_not_found":
        assert failed.value.message == "the name exmaple.org does not exist (DNS)"
    else:
        assert "Temporary failure in name resolution" in failed.value.message


def test_headers_dripped_slowly_end_at_the_total_deadline(site):
    """Each byte comes within the read timeout; the whole wait may not exceed the total."""
    limits = FetchLimits(
        allowed_addresses=(f"127.0.0.1:{site.port}",), read_timeout=1.0, total_timeout=2.0
    )
    started = time.monotonic()

    with pytest.raises(Failure) as refused:
        fetch_page(f"http://127.0.0.1:{site.port}/drip?every=0.3&seconds=30", limits)

    assert refused.value.code == "timeout" and refused.value.transient
    # Without the total deadline this waits for the whole 30 s drip.
    assert time.monotonic() - started < 10
