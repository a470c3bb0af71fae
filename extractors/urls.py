"""URL canonicalisation: one article must get one key however it was linked."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|yclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid"
    r"|ref|ref_src|ref_url|cmpid|icid|wt\.mc_id)$",
    re.I,
)


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
