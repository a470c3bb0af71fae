"""The screenshots in docs/ (and the README's), from a database a demo run made.

    .venv/bin/pledgewatch --db var/demo.duckdb demo
    .venv/bin/python docs/screenshots.py var/demo.duckdb

Adds a moderator `demo` to that database if it has none of that name, serves
the review app on a free loopback port, and in headless Chromium (Debian's,
`make chromium`, which also installs a Japanese font): the queue as the demo
leaves it → docs/review-queue.png; then approves the best suggestions by
keyboard, keeping each suggested stage, and shows the pledge whose activities
span most stages → docs/pledge-timeline.png. Run it on a copy: it writes decisions.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from review.app import create_app, server_config  # noqa: E402
from review.config import ReviewConfig  # noqa: E402
from review.passwords import hash_password  # noqa: E402
from storage import accounts  # noqa: E402
from storage.db import transaction  # noqa: E402

NAME, PASSWORD = "demo", "demo-password-for-screenshots"
APPROVALS = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    args = parser.parse_args()
    with transaction(args.db) as con:
        if accounts.get_moderator(con, NAME) is None:
            accounts.add_moderator(con, NAME, hash_password(PASSWORD))
    port = _free_port()
    app = create_app(ReviewConfig(db=args.db, secret=b"screenshots-only-secret-0123456789abcdef"))
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(base + "/login")
            page.fill("#name", NAME)
            page.fill("#password", PASSWORD)
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(r"/queue$"))
            page.screenshot(path=str(DOCS / "review-queue.png"))
            for _ in range(APPROVALS):
                item = page.locator("#queue-list > .item.current")
                if item.count() == 0 or item.get_attribute("data-state") != "pending":
                    break
                item_id = item.get_attribute("id")
                page.keyboard.press("a")
                expect(page.locator(f"#{item_id}")).to_have_attribute("data-state", "approve")
            with app.state.db.reading() as con:  # the app's own way in: its requests may still be open
                row = con.execute("SELECT pledge_id FROM v_activity_stages GROUP BY ALL ORDER BY count(DISTINCT stage) "
                                  "DESC, count(*) FILTER (WHERE direction = '後退') DESC, count(*) DESC, pledge_id "
                                  "LIMIT 1").fetchone()
            if row:
                page.goto(f"{base}/pledges/{row[0]}")
                page.screenshot(path=str(DOCS / "pledge-timeline.png"), full_page=True)
            browser.close()
    finally:
        server.should_exit = True
    print(f"wrote {DOCS / 'review-queue.png'}" + (f" and {DOCS / 'pledge-timeline.png'}" if row else ""))


if __name__ == "__main__":
    main()
