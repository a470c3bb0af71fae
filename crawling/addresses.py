"""Refusing to crawl into private networks (SSRF): a feed can name any host,
so every host is resolved and checked before we connect, after redirects too.

The address that was checked is the address connected to: `CheckedTransport`
resolves the host of each new connection once, checks every address it got
and connects to the first one, so a name answering a public address for the
check and 127.0.0.1 for the connection (DNS rebinding) reaches nothing.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable

import httpcore
import httpx

Resolver = Callable[[str, int], Awaitable[list[str]]]
# IANA special-purpose ranges that `ipaddress` does not already count as
# non-global, and the IPv6 prefixes that embed an IPv4 address.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_SPECIAL_V4 = (ipaddress.ip_network("192.0.0.0/24"), ipaddress.ip_network("192.88.99.0/24"))


class BlockedAddressError(Exception):
    pass


def is_public(address: str) -> bool:
    """Only globally routable unicast addresses: private, loopback, link-local,
    carrier-grade NAT (100.64.0.0/10, where some clouds put metadata services),
    documentation, benchmarking, reserved and multicast ranges are refused, also
    when embedded in IPv6 (mapped, 6to4, NAT64)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return is_public(str(ip.ipv4_mapped))
        if ip.sixtofour:
            return is_public(str(ip.sixtofour))
        if any(ip in network for network in _NAT64):
            return is_public(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    if isinstance(ip, ipaddress.IPv4Address) and any(ip in network for network in _SPECIAL_V4):
        return False
    return ip.is_global and not ip.is_multicast


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BlockedAddressError(f"cannot resolve {host}: {exc.strerror}") from None
    except UnicodeError as exc:
        raise BlockedAddressError(f"not a valid host name {host[:100]!r}: {exc}") from None
    return [str(info[4][0]) for info in infos]


class AddressGuard:
    """Which addresses a crawl may connect to. `local_origins` holds the (host,
    port) of sources marked local: each reaches its own host and port only."""

    def __init__(self, resolver: Resolver = system_resolver) -> None:
        self.resolve = resolver
        self.local_origins: set[tuple[str, int]] = set()

    async def checked_address(self, host: str, port: int) -> str:
        """Resolves once; raises BlockedAddressError unless every address is public
        (or the origin is a local source's own); returns the address to connect to."""
        addresses = await self.resolve(host, port)
        if not addresses:
            raise BlockedAddressError(f"cannot resolve {host}: no addresses")
        if (host, port) not in self.local_origins:
            for address in addresses:
                if not is_public(address):
                    raise BlockedAddressError(f"{host} resolves to non-public address {address}")
        return addresses[0]


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = await self.guard.checked_address(host, port)
        return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("unix sockets are never used by the crawler")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over a connection pool whose network backend checks
    the address of every connection it opens. TLS still verifies the host name
    (httpcore sends the URL's host as SNI), only the TCP connection goes to the
    checked address."""

    def __init__(self, guard: AddressGuard, *, verify: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(verify=verify, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=verify, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            network_backend=_CheckedBackend(guard),
        )
