"""`pledgewatch report` writes one HTML file that headless Chromium opens from
disk, with no server and no network, and draws its four charts (the fourth:
pledges by furthest stage per politician)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storage import analytics

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHARTS = ("activities", "weekly", "sources", "stages")


@pytest.fixture
def report_file(db_copy: Path, tmp_path: Path) -> Path:
    analytics.publish(db_copy)
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "pledgewatch.cli", "--db", str(db_copy), "report", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "analytics.duckdb" in done.stdout  # read from the snapshot, not the live file
    return out


def test_report_is_self_contained(report_file):
    html = report_file.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and " src=" not in html
    assert html.count('<svg class="chart"') == len(CHARTS)


def test_report_renders_its_charts_in_chromium(report_file, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report_file.as_uri())
            drawn = {}
            for name in CHARTS:
                chart = page.locator(f"#{name} svg.chart")
                box = chart.bounding_box()
                assert box and box["width"] > 300 and box["height"] > 100, name
                drawn[name] = chart.evaluate(
                    "svg => svg.querySelectorAll('path.series, rect.bar, circle').length")
                png = chart.screenshot(path=str(tmp_path / f"{name}.png"))
                # A blank chart of this size compresses to well under 1 KB; Chromium
                # builds differ by a few hundred bytes on the same drawing.
                assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000, name
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert all(count > 0 for count in drawn.values()), drawn
    assert all(url.startswith("file://") for url in requests), requests
