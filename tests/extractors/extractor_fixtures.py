"""Where the shared fixtures live; tests that need them skip when ../shared/fixtures is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"


def fixture_pages() -> list[dict]:
    """Manifest entries for every HTML page that has an expectation file."""
    manifest = FIXTURES / "manifest.json"
    if not manifest.is_file():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))["html"]
    return [e for e in entries if e.get("expected") and (FIXTURES / e["expected"]).is_file()]


def fixture_feeds() -> list[dict]:
    manifest = FIXTURES / "manifest.json"
    if not manifest.is_file():
        return []
    return json.loads(manifest.read_text(encoding="utf-8")).get("feeds", [])


needs_fixtures = pytest.mark.skipif(
    not (FIXTURES / "manifest.json").is_file(), reason="../shared/fixtures is not present"
)
