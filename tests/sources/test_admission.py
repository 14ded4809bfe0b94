"""Links refused at submit because they could never be fetched: the shape, the port, and a
literal internal address or localhost name while private addresses are refused (no DNS)."""

import socket

import pytest

from apps.sources.admission import submittable_url
from apps.sources.canonical import InvalidURL
from apps.sources.models import Source
from apps.sources.services import urls_submit

INTERNAL = "this Spyglass does not fetch from private or internal addresses"


@pytest.fixture(autouse=True)
def private_refused(settings):
    """The production default, whatever the environment of the test run says."""
    settings.SPYGLASS_FETCH = {
        **settings.SPYGLASS_FETCH,
        "allow_private": False,
        "allowed_addresses": (),
    }


@pytest.fixture
def no_dns(monkeypatch):
    """Any name lookup fails the test: the submit check must never resolve a name."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"DNS lookup at submit: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        (
            "http://localhost:99999/",
            "the port must be a number from 1 to 65535 (this one is 99999)",
        ),
        ("http://example.org:0/", "the port must be a number from 1 to 65535 (this one is 0)"),
        ("http://example.org:-1/", "the port must be a number from 1 to 65535 (this one is -1)"),
        ("http://example.org:80a/", "the port must be a number from 1 to 65535 (this one is 80a)"),
        ("http://[::1/", "the URL cannot be read (Invalid IPv6 URL)"),
        ("http://[1.2.3.4]/", "the URL cannot be read (An IPv4 address cannot be in brackets)"),
        ("http://0177.0.0.1/", "the URL cannot be read (Invalid IPv4 address: '0177.0.0.1')"),
    ],
)
def test_a_link_no_fetch_could_read_is_refused_with_the_reason(link, reason):
    with pytest.raises(InvalidURL) as refused:
        submittable_url(link)

    assert str(refused.value) == reason


@pytest.mark.usefixtures("no_dns")
@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("http://127.0.0.1:8000/", "127.0.0.1 is a loopback address"),
        ("http://localhost/", "localhost is this machine (a loopback name)"),
        ("http://LocalHost.:8000/x", "localhost. is this machine (a loopback name)"),
        ("http://app.localhost/", "app.localhost is this machine (a loopback name)"),
        ("http://2130706433/", "2130706433 (127.0.0.1) is a loopback address"),
        ("http://0x7f.1/", "0x7f.1 (127.0.0.1) is a loopback address"),
        ("http://127.1/", "127.1 (127.0.0.1) is a loopback address"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        (
            "http://[::ffff:127.0.0.1]/",
            "::ffff:127.0.0.1 is a loopback address (inside an IPv6 address)",
        ),
        ("http://10.1.2.3/wiki", "10.1.2.3 is a private address"),
        ("https://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://[fd12:3456::1]/", "fd12:3456::1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://0.0.0.0:8000/", "0.0.0.0 is an unspecified address"),
        ("http://0/", "0 (0.0.0.0) is an unspecified address"),
        ("http://100.64.0.1/", "100.64.0.1 is a reserved or internal address"),
        ("http://240.0.0.1/", "240.0.0.1 is a private address"),  # as ipaddress classes it
    ],
)
def test_an_internal_address_is_refused_without_dns(link, reason):
    with pytest.raises(InvalidURL) as refused:
        submittable_url(link)

    assert str(refused.value) == f"{reason}, and {INTERNAL}"


@pytest.mark.usefixtures("no_dns")
@pytest.mark.parametrize(
    "link",
    [
        "http://8.8.8.8/",
        "http://[2001:4860:4860::8888]/",
        "https://example.org:8443/a",
        "https://localhost.example.org/",  # a name like any other: the fetch resolves it
        "http://0xcafe.example/",
    ],
)
def test_public_addresses_and_names_pass_without_dns(link):
    assert submittable_url(link)


def test_allowing_private_addresses_lets_loopback_through(settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": True}

    assert submittable_url("http://localhost:8000/") == "http://localhost:8000/"
    assert submittable_url("http://10.1.2.3/") == "http://10.1.2.3/"
    with pytest.raises(InvalidURL, match="port must be a number"):
        submittable_url("http://localhost:99999/")


def test_an_allowed_address_and_port_passes_and_no_other(settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allowed_addresses": ("10.0.0.5:8080",)}

    assert submittable_url("http://10.0.0.5:8080/wiki")
    with pytest.raises(InvalidURL, match="private address"):
        submittable_url("http://10.0.0.5:8081/wiki")


def test_localhost_passes_when_a_loopback_address_is_allowed(settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allowed_addresses": ("127.0.0.1",)}

    assert submittable_url("http://localhost:8000/")


@pytest.mark.django_db
def test_a_batch_keeps_its_valid_lines_and_gives_each_refused_line_its_reason():
    text = "\n".join(
        [
            "https://news.example.com/a",
            "http://localhost:99999/",
            "http://127.0.0.1:8000/admin/",
            "https://news.example.com/b",
        ]
    )

    result = urls_submit(text)

    assert [item.line for item in result.accepted] == [1, 4]
    assert [(error.line, error.kind) for error in result.errors] == [
        (2, "invalid"),
        (3, "invalid"),
    ]
    assert result.errors[0].reason.startswith("the port must be a number")
    assert result.errors[1].reason.startswith("127.0.0.1 is a loopback address")
    assert Source.objects.count() == 2


def test_an_allowed_ipv6_address_matches_however_it_is_written(settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allowed_addresses": ("::1",)}

    assert submittable_url("http://[0:0:0:0:0:0:0:1]:8000/")
