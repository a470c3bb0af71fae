"""The source list (data/sources.toml): which feeds and sitemaps to crawl.

Like the pledge catalog it is edited by hand, so errors name file, line and field.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, NoReturn

from catalog.files import parse_toml
from catalog.load import CatalogError
from catalog.local_offices import NATIONAL, PREFECTURES
from catalog.schema import SOURCES, Lines, check_known
from crawling.model import Source
from extractors.urls import is_http_url

KINDS = ("rss", "atom", "rdf", "sitemap", "sitemapindex", "listing")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class SourcesError(CatalogError):
    """A sources file that cannot be used; the message says where and why."""


def load_sources(path: Path | str, base_url: str | None = None) -> list[Source]:
    """`{base}` in a URL is replaced by `base_url`, which is how the demo site,
    served on a port chosen at start-up, is described by a fixed file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(path, None, "file", "not found") from None
    raw = parse_toml(text, path, SourcesError)
    check_known(raw, SOURCES, path, text, SourcesError)
    locate = Lines(text)
    defaults = raw.get("defaults", {})
    entries = raw.get("sources", [])
    if not isinstance(entries, list):
        raise SourcesError(path, None, "sources", "must be an array of tables ([[sources]])")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        sources.append(_source(entry, defaults, index, path, locate, base_url))
        if sources[-1].id in seen:
            raise SourcesError(path, locate.line("sources", index, "id"), f"sources[{index}].id", "duplicate id")
        seen.add(sources[-1].id)
    if raw and not sources:
        raise SourcesError(path, None, "sources", "no sources in a non-empty file ([[sources]] tables)")
    return sources


def _source(entry: dict[str, Any], defaults: dict[str, Any], index: int, path: Path,
            locate: Lines, base_url: str | None) -> Source:
    def fail(key: str, message: str) -> NoReturn:
        raise SourcesError(path, locate.line("sources", index, key), f"sources[{index}].{key}", message)

    merged = {**defaults, **entry}
    for key in ("id", "outlet", "kind", "url"):
        if not isinstance(merged.get(key), str) or not merged[key].strip():
            fail(key, "must be a non-empty string")
    if not _ID.match(merged["id"]):
        fail("id", f"{merged['id']!r} must be lower-case letters, digits, '-', '_' or '.'")
    if merged["kind"] not in KINDS:
        fail("kind", f"{merged['kind']!r} is not one of {', '.join(KINDS)}")
    url = merged["url"]
    if "{base}" in url:
        if base_url is None:
            fail("url", "uses {base} but no base URL was given (only the demo site's sources do)")
        url = url.replace("{base}", base_url.rstrip("/"))
    if not is_http_url(url):
        fail("url", f"{url!r} is not an http(s) URL")
    gap = merged.get("min_gap_s")
    if gap is not None and (not isinstance(gap, int | float) or gap < 0):
        fail("min_gap_s", "must be a number of seconds >= 0")
    max_items = merged.get("max_items")
    if max_items is not None and (not isinstance(max_items, int) or max_items < 1):
        fail("max_items", "must be a whole number >= 1")
    aliases = merged.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() and "/" not in a for a in aliases):
        fail("aliases", "must be a list of host names, such as [\"example.co.jp\"]")
    return Source(
        regions=_regions(merged.get("region"), fail),
        id=merged["id"],
        outlet=merged["outlet"],
        kind=merged["kind"],
        url=url,
        is_local=bool(merged.get("local", False)),
        min_gap_s=float(gap) if gap is not None else None,
        max_items=max_items,
        enabled=bool(merged.get("enabled", True)),
        aliases=tuple(a.strip().lower() for a in aliases),
    )


def _regions(value: Any, fail) -> tuple[str, ...]:
    """国 or prefectures as the catalog's offices name them, so a source's
    region can be matched with the offices of the politicians it reports on."""
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        fail("region", 'must be 国, a prefecture such as "千葉県", or a list of them')
    for region in values:
        if region != NATIONAL and region not in PREFECTURES:
            close = difflib.get_close_matches(region, PREFECTURES, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            fail("region", f"{region!r} is not 国 or a prefecture{hint}")
    return tuple(values)
