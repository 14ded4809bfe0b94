"""SSRF guard: which addresses Spyglass may fetch from, enforced where the socket opens.

The check runs inside the HTTP client's network backend: the host name is resolved once,
every address it resolves to is checked, and the socket connects to a checked address. A
DNS answer that changes between check and connect (rebinding) therefore cannot reach an
internal address, and every redirect hop passes through the same backend.
"""

import ipaddress
import re
import socket
import time
from collections.abc import Iterable

import httpcore

# Addresses no fetch may reach, beyond what `ipaddress` flags as private/reserved.
_EXTRA_BLOCKED = [
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT
    ipaddress.ip_network("192.0.0.0/24"),  # IETF protocol assignments
    ipaddress.ip_network("198.18.0.0/15"),  # benchmarking
    ipaddress.ip_network("169.254.169.254/32"),  # cloud metadata (also link-local)
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS metadata over IPv6
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64: may embed an internal IPv4 address
]


class BlockedAddress(Exception):
    """The host is, or resolves to, an address Spyglass must not fetch from."""


class NameNotFound(httpcore.ConnectError):
    """DNS says the name does not exist (not a resolver that failed to answer)."""

    def __init__(self, host: str):
        super().__init__(f"cannot resolve {host}: no such name")
        self.host = host


def address_problem(address: str) -> str | None:
    """Why this IP address may not be fetched from, or None if it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            problem = address_problem(str(embedded))
            return f"{problem} (inside an IPv6 address)" if problem else None
    if ip.is_loopback:
        return "loopback address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_unspecified:
        return "unspecified address"
    if any(ip in network for network in _EXTRA_BLOCKED):
        return "reserved or internal address"
    if ip.is_private:
        return "private address"
    if ip.is_reserved or not ip.is_global:
        return "reserved address"
    return None


# What the system's resolver reads as an IPv4 address without asking DNS: besides the dotted
# quad, inet_aton's shorthand (127.1), one number (2130706433), hex and octal (0x7f.1, 0177.0.0.1).
_IPV4_SHORTHAND = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)
LOOPBACK_ADDRESSES = ("127.0.0.1", "::1")


def literal_address(host: str) -> str | None:
    """The IP address `host` names by itself (no DNS), None for a name. An IP literal comes
    back as written; a shorthand IPv4 form (2130706433) as its dotted quad."""
    bare = host.strip("[]").split("%", 1)[0]
    try:
        ipaddress.ip_address(bare)
        return bare
    except ValueError:
        pass
    if not _IPV4_SHORTHAND.match(bare) or bare.endswith("."):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(bare))
    except (OSError, ValueError):
        return None


def is_localhost_name(host: str) -> bool:
    """`localhost` and `*.localhost` always mean this machine (RFC 6761), whatever DNS says."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


class AddressPolicy:
    """Decides per (address, port); `allowed` lists exceptions for development and tests."""

    def __init__(self, *, allow_private: bool = False, allowed: Iterable[str] = ()):
        self.allow_private = allow_private
        self.allowed = set(allowed)

    def is_allowed(self, address: str, port: int) -> bool:
        return address in self.allowed or f"{address}:{port}" in self.allowed

    def check(self, host: str, address: str, port: int) -> None:
        if self.allow_private:
            return
        if self.is_allowed(address, port):
            return
        problem = address_problem(address)
        if problem:
            shown = host if host == address else f"{host} ({address})"
            article = "an" if problem[0] in "aeiou" else "a"
            raise BlockedAddress(f"refused: {shown} is {article} {problem}")

    def check_without_dns(self, host: str, port: int) -> None:
        """Refuse what the host name alone shows the fetch would refuse: a literal address
        (in any form the resolver reads) or a localhost name. Other names are checked when
        they are fetched, after DNS, by `GuardedBackend`."""
        if self.allow_private:
            return
        if is_localhost_name(host):
            if not any(self.is_allowed(address, port) for address in LOOPBACK_ADDRESSES):
                raise BlockedAddress(f"refused: {host} is this machine (a loopback name)")
            return
        address = literal_address(host)
        if address is None:
            return
        # The exceptions are compared as the resolver writes addresses (::1, not 0:0::1).
        if self.is_allowed(str(ipaddress.ip_address(address)), port):
            return
        self.check(host, address, port)


# The answers that mean "no such name"; EAI_AGAIN (the resolver did not answer) is not one.
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        if error.errno in _NO_SUCH_NAME:
            raise NameNotFound(host) from None
        raise httpcore.ConnectError(f"cannot resolve {host}: {error.strerror}") from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by one deadline for the whole fetch.

    httpx's timeouts are per operation: a server that drips its headers a byte at a time,
    each just inside the read timeout, held a worker until the task's time limit, on every
    attempt. Here each wait is cut to the time left, so the total covers the headers too.
    """

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self._stream, self._deadline = stream, deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("the server took longer than the total time allowed for a page")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        left = self._left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, left), self._deadline
        )

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """An httpcore backend that refuses blocked addresses and connects to checked ones,
    every connection ending by `deadline` (time.monotonic()) when one is given."""

    def __init__(self, policy: AddressPolicy, deadline: float | None = None):
        self.policy = policy
        self.deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options=None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        # Every address must pass: an attacker's name may resolve to one public and one
        # internal address and hope the connection picks the internal one.
        for address in addresses:
            self.policy.check(host, address, port)
        last_error: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
            else:
                return stream if self.deadline is None else DeadlineStream(stream, self.deadline)
        raise last_error or httpcore.ConnectError(f"cannot connect to {host}")
