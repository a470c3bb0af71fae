"""Fixtures for the review app: a seeded DuckDB file, the app served over real
HTTP on loopback (see review_live), and a headless Debian Chromium driven by
Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from review_live import LiveServer, add_account
from review_seed import CATALOG, seed

from catalog.load import load_catalog
from catalog.synthetic import synthetic_catalog
from storage.catalog import save_catalog
from storage.db import transaction

CHROMIUM = Path("/usr/bin/chromium")
BIG_POLITICIANS, BIG_PLEDGES = 2_000, 6_000


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "pledgewatch.duckdb"
    seed(db)
    return db


@pytest.fixture
def review_db(tmp_path: Path, seeded_template: Path) -> Path:
    """A fresh copy of the seeded database for each test (seeding once saves ~0.5 s a test)."""
    db = tmp_path / "pledgewatch.duckdb"
    shutil.copyfile(seeded_template, db)
    wal = seeded_template.with_name(seeded_template.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, db.with_name(db.name + ".wal"))
    return db


@pytest.fixture
def accounts(review_db: Path) -> dict[str, bool]:
    """An admin and two moderators, all with PASSWORD."""
    names = {"admin": True, "hanako": False, "taro": False}
    for name, admin in names.items():
        add_account(review_db, name, admin=admin)
    return names


@pytest.fixture
def server(review_db: Path, accounts: dict[str, bool]) -> Iterator[LiveServer]:
    with LiveServer(review_db) as live:
        yield live


@pytest.fixture
def big_server(review_db: Path, accounts: dict[str, bool]) -> Iterator[LiveServer]:
    """The seeded app with a catalog of thousands added (catalog/synthetic.py:
    names from real distributions, 10 parties): where a list of every pledge
    or politician would no longer do."""
    templates = load_catalog(CATALOG).pledges
    with transaction(review_db) as con:
        save_catalog(con, synthetic_catalog(BIG_POLITICIANS, BIG_PLEDGES, templates, parties=10))
    with LiveServer(review_db) as live:
        assert live.query("SELECT count(*) FROM pledges")[0][0] > BIG_PLEDGES
        yield live


def _chromium_or_reason() -> str | None:
    """Installs Debian's chromium when missing (as `make test` does); None when it is there."""
    if CHROMIUM.exists():
        return None
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run("apt-get update && apt-get install -y --no-install-recommends chromium", shell=True,
                       check=False, capture_output=True, timeout=600)
        if CHROMIUM.exists():
            return None
    return f"{CHROMIUM} is absent and could not be installed with apt-get (needs root and Debian's archive)"


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_or_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP",
                                  timezone_id="Asia/Tokyo")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
