"""The SSRF guard's address policy, address by address."""

import pytest

from apps.sources.pipeline.guard import (
    AddressPolicy,
    BlockedAddress,
    address_problem,
    literal_address,
)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "reserved or internal"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "address"),
        ("255.255.255.255", "address"),
        ("198.18.0.1", "reserved or internal"),
        ("192.0.0.170", "reserved or internal"),
        ("::ffff:127.0.0.1", "loopback address (inside an IPv6 address)"),
        ("::ffff:10.0.0.1", "private address (inside an IPv6 address)"),
        ("::ffff:169.254.169.254", "link-local address (inside an IPv6 address)"),
        ("2002:7f00:1::", "loopback address (inside an IPv6 address)"),
        ("64:ff9b::a00:1", "reserved or internal"),
        ("fd00:ec2::254", "reserved or internal"),
    ],
)
def test_internal_addresses_are_refused(address, problem):
    assert problem in address_problem(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert address_problem(address) is None


def test_the_policy_names_the_host_and_the_address():
    expected = r"refused: intranet \(10.0.0.5\) is a private address"
    with pytest.raises(BlockedAddress, match=expected):
        AddressPolicy().check("intranet", "10.0.0.5", 80)


def test_allow_private_is_for_development_only_and_allows_everything():
    AddressPolicy(allow_private=True).check("localhost", "127.0.0.1", 8000)


def test_one_allowed_address_and_port_allows_only_that_one():
    policy = AddressPolicy(allowed=["127.0.0.1:8001"])

    policy.check("localhost", "127.0.0.1", 8001)
    with pytest.raises(BlockedAddress):
        policy.check("localhost", "127.0.0.1", 8002)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7F000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("012.1", "10.0.0.1"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        ("[::1]", "::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("example.org", None),
        ("cafe.be", None),
        ("1.2.3.4.5", None),
        ("127.0.0.1.", None),
    ],
)
def test_literal_addresses_are_read_as_the_resolver_reads_them(host, address):
    assert literal_address(host) == address


def test_the_check_without_dns_refuses_localhost_names_and_literal_addresses():
    policy = AddressPolicy()
    for host in ("localhost", "api.localhost", "2130706433", "10.0.0.1"):
        with pytest.raises(BlockedAddress):
            policy.check_without_dns(host, 80)
    policy.check_without_dns("example.org", 80)  # a name: resolved and checked when fetched
    AddressPolicy(allow_private=True).check_without_dns("localhost", 80)
