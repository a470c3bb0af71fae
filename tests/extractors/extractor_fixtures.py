"""Where the shared fixtures live. Without ../shared/fixtures the tests that need
them fail at collection, so CI cannot pass without them; only
PLEDGEWATCH_FIXTURES_OPTIONAL=1 turns that into a skip (no pages, no tests)."""

from __future__ import annotations

import json

import pytest

from pledgewatch import settings

FIXTURES = settings.fixtures_dir()


def _manifest() -> dict:
    manifest = FIXTURES / "manifest.json"
    if manifest.is_file():
        return json.loads(manifest.read_text(encoding="utf-8"))
    if settings.fixtures_optional():
        return {}
    pytest.fail(f"{manifest} is not present (set PLEDGEWATCH_FIXTURES, or PLEDGEWATCH_FIXTURES_OPTIONAL=1 to skip "
                "the fixture-page tests)", pytrace=False)


def fixture_pages() -> list[dict]:
    """Manifest entries for every HTML page that has an expectation file."""
    entries = _manifest().get("html", [])
    return [e for e in entries if e.get("expected") and (FIXTURES / e["expected"]).is_file()]


def fixture_feeds() -> list[dict]:
    return _manifest().get("feeds", [])
