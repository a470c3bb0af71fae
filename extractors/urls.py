"""URL canonicalisation: one article must get one key however it was linked."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|yclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid"
    r"|ref|ref_src|ref_url|cmpid|icid|wt\.mc_id)$",
    re.I,
)
_SUFFIXES = PublicSuffixList()


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host; other schemes are never fetched or stored."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)


def canonicalize_url(url: str) -> str:
    """Lower-case scheme/host; drop default port, fragment and tracking params; sort the rest."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = host
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += ":" + parts.password
        netloc = userinfo + "@" + host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = parts.path or ("/" if host else "")
    params = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(key)]
    query = urlencode(sorted(params), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def resolve_url(candidate: str | None, base: str | None) -> str | None:
    """Resolve a declared URL (canonical, og:url, feed link) against its base; http(s) only."""
    if not candidate or not candidate.strip():
        return None
    candidate = candidate.strip()
    absolute = urljoin(base, candidate) if base else candidate
    return canonicalize_url(absolute) if is_http_url(absolute) else None


def registrable_domain(host: str) -> str | None:
    """The part of a host name one owner registers ("www.asahi.com" → "asahi.com",
    by the Public Suffix List); None for an IP address or a name under no public suffix."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return None
    except ValueError:
        return _SUFFIXES.privatesuffix(host)


def same_site(url: str, page_url: str, aliases: Iterable[str] = ()) -> bool:
    """Whether `url` may stand for a page fetched from `page_url`: the same
    registrable domain or a declared alias's; an IP address or a bare name
    (127.0.0.1, localhost) only stands for itself, port included."""
    try:
        claimed, fetched = urlsplit(url), urlsplit(page_url)
        claimed_port, fetched_port = claimed.port, fetched.port
    except ValueError:
        return False
    claimed_host, fetched_host = (claimed.hostname or "").rstrip("."), (fetched.hostname or "").rstrip(".")
    domain = registrable_domain(claimed_host)
    if domain is None:
        return claimed_host == fetched_host and claimed_port == fetched_port
    return domain == registrable_domain(fetched_host) or domain in {registrable_domain(a) for a in aliases}
