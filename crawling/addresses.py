"""Refusing to crawl into private networks (SSRF): a feed can name any host,
so every host is resolved and checked before we connect, after redirects too."""

from __future__ import annotations

import asyncio
import ipaddress
import socket


class BlockedAddressError(Exception):
    pass


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
    )


async def check_host(host: str, port: int) -> None:
    """Raises BlockedAddressError when any address the host resolves to is not public."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BlockedAddressError(f"cannot resolve {host}: {exc.strerror}") from None
    except UnicodeError as exc:
        raise BlockedAddressError(f"not a valid host name {host[:100]!r}: {exc}") from None
    for info in infos:
        address = info[4][0]
        if not is_public(address):
            raise BlockedAddressError(f"{host} resolves to non-public address {address}")
