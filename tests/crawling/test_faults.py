"""Every failure the crawler must survive, one scenario each, against a real
server on loopback and a real DuckDB file: the outcome is recorded per URL and
nothing stored earlier is lost or changed."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from conftest import article, gzip_bomb, rss

from crawling.crawl import crawl
from crawling.model import Source
from crawling.policy import CrawlPolicy
from storage.crawl import load_crawl_state, save_crawl, save_sources
from storage.db import migrate, reader, transaction

POLICY = CrawlPolicy(allow_local=True, min_gap_s=0.0, backoff_base_s=0.01, max_retries=1, total_timeout_s=1.5,
                     read_timeout_s=1.0, connect_timeout_s=1.0, max_bytes=200_000)


def crawl_feed(server, db, feed_path: str, policy: CrawlPolicy = POLICY, source_id: str = "test"):
    source = Source(id=source_id, outlet="テスト新聞", kind="rss", url=server.base + feed_path, is_local=True)
    migrate(db)
    with transaction(db) as con:
        save_sources(con, [source])
        state = load_crawl_state(con)
    run_id = uuid.uuid4().hex[:8]
    output = asyncio.run(crawl([source], policy, state, run_id))
    with transaction(db) as con:
        save_crawl(con, output)
    with reader(db) as con:
        rows = con.execute("SELECT url, outcome, error_kind, status, retried, error_message FROM fetches "
                           "WHERE run_id = ?", [run_id]).fetchall()
    return {url.removeprefix(server.base): (outcome, kind, status, retried, message)
            for url, outcome, kind, status, retried, message in rows}


@pytest.fixture
def seeded(fault_server, db_file):
    """A first good crawl whose article must survive every later fault."""
    fault_server.page("/p/seed.html", "既に保存された記事")
    fault_server.feed("/feed/seed.xml", ["/p/seed.html"])
    crawl_feed(fault_server, db_file, "/feed/seed.xml", source_id="seed")
    with reader(db_file) as con:
        before = con.execute("SELECT * FROM articles").fetchall()
    assert len(before) == 1
    yield fault_server
    with reader(db_file) as con:
        assert con.execute("SELECT * FROM articles WHERE id = ?", [before[0][0]]).fetchall() == before


def stored_titles(db) -> set[str]:
    with reader(db) as con:
        return {row[0] for row in con.execute("SELECT title FROM articles").fetchall()}


def drip(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(40):
            handler.wfile.write(b"<p>slow</p>")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        return


def test_slow_drip_hits_the_total_time_limit(seeded, db_file):
    seeded.route("/p/slow.html", lambda s, n: (200, {}, drip))
    seeded.feed("/feed/f.xml", ["/p/slow.html"])
    outcome = crawl_feed(seeded, db_file, "/feed/f.xml")["/p/slow.html"]
    assert outcome[:2] == ("error", "timeout")


def test_server_that_does_not_answer_in_time(seeded, db_file):
    def silent(handler) -> None:
        time.sleep(2.5)

    seeded.route("/p/hang.html", lambda s, n: (200, {}, silent))
    seeded.feed("/feed/f.xml", ["/p/hang.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/hang.html"][:2] == ("error", "timeout")


def test_500_then_200_is_retried_and_stored(seeded, db_file):
    seeded.route("/p/flaky.html", lambda s, n: (500, {}, b"oops") if n == 1 else
                 (200, {"Content-Type": "text/html; charset=utf-8"}, article("一度失敗した記事")))
    seeded.feed("/feed/f.xml", ["/p/flaky.html"])
    outcome = crawl_feed(seeded, db_file, "/feed/f.xml")["/p/flaky.html"]
    assert outcome[0] == "ok" and outcome[3] == "http_500"
    assert "一度失敗した記事" in stored_titles(db_file)


def test_429_waits_for_retry_after(seeded, db_file):
    seeded.route("/p/limited.html", lambda s, n: (429, {"Retry-After": "1"}, b"slow down") if n == 1 else
                 (200, {"Content-Type": "text/html; charset=utf-8"}, article("混雑後の記事")))
    seeded.feed("/feed/f.xml", ["/p/limited.html"])
    outcome = crawl_feed(seeded, db_file, "/feed/f.xml")["/p/limited.html"]
    assert outcome[0] == "ok" and outcome[3] == "http_429"
    first, second = seeded.times["/p/limited.html"]
    assert second - first >= 1.0


def test_retry_after_beyond_our_patience_is_recorded_not_waited(seeded, db_file):
    seeded.route("/p/limited.html", lambda s, n: (503, {"Retry-After": "86400"}, b"maintenance"))
    seeded.feed("/feed/f.xml", ["/p/limited.html"])
    started = time.monotonic()
    outcome = crawl_feed(seeded, db_file, "/feed/f.xml")["/p/limited.html"]
    assert outcome[:3] == ("error", "rate_limited", 503)
    assert time.monotonic() - started < 5


def test_redirect_loop(seeded, db_file):
    seeded.route("/p/a.html", lambda s, n: (302, {"Location": "/p/b.html"}, b""))
    seeded.route("/p/b.html", lambda s, n: (302, {"Location": "/p/a.html"}, b""))
    seeded.feed("/feed/f.xml", ["/p/a.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/a.html"][:2] == ("error", "redirect_loop")


def test_too_many_redirects(seeded, db_file):
    for i in range(10):
        seeded.route(f"/p/r{i}.html", lambda s, n, i=i: (301, {"Location": f"/p/r{i + 1}.html"}, b""))
    seeded.feed("/feed/f.xml", ["/p/r0.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/r0.html"][:2] == ("error", "too_many_redirects")


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/admin",
                                    "http://[::1]:9/", "file:///etc/passwd"])
def test_redirect_to_a_private_address_is_refused(seeded, db_file, target):
    seeded.route("/p/evil.html", lambda s, n: (302, {"Location": target}, b""))
    seeded.feed("/feed/f.xml", ["/p/evil.html"])
    outcome = crawl_feed(seeded, db_file, "/feed/f.xml")["/p/evil.html"]
    assert outcome[0] == "error" and outcome[1] in {"blocked_address", "bad_url"}


def test_oversized_body_is_cut_off_while_streaming(seeded, db_file):
    def huge(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for _ in range(100):
                handler.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
        except OSError:
            return

    seeded.route("/p/huge.html", lambda s, n: (200, {}, huge))
    seeded.route("/p/declared.html", lambda s, n: (200, {"Content-Type": "text/html", "Content-Length": "9999999"},
                                                   lambda h: None))
    seeded.feed("/feed/f.xml", ["/p/huge.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/huge.html"][:2] == ("error", "too_large")


def test_gzip_bomb_stops_at_the_decompressed_cap(seeded, db_file):
    bomb = gzip_bomb(50_000_000)
    assert len(bomb) < 100_000
    seeded.route("/p/bomb.html", lambda s, n: (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb))
    seeded.feed("/feed/f.xml", ["/p/bomb.html"])
    outcome = crawl_feed(seeded, db_file, "/feed/f.xml")["/p/bomb.html"]
    assert outcome[:2] == ("error", "too_large") and "after decompression" in outcome[4]


def test_gzip_page_within_the_cap_is_read(seeded, db_file):
    import gzip

    body = gzip.compress(article("圧縮された記事"))
    seeded.route("/p/gz.html", lambda s, n: (200, {"Content-Type": "text/html; charset=utf-8",
                                                   "Content-Encoding": "gzip"}, body))
    seeded.feed("/feed/f.xml", ["/p/gz.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/gz.html"][0] == "ok"
    assert "圧縮された記事" in stored_titles(db_file)


def test_wrong_charset_header_still_gives_correct_japanese(seeded, db_file):
    seeded.route("/p/sjis.html", lambda s, n: (200, {"Content-Type": "text/html; charset=utf-8"},
                                               article("首相、防衛費の増額を表明", "shift_jis")))
    seeded.route("/p/euc.html", lambda s, n: (200, {"Content-Type": "text/html; charset=iso-8859-1"},
                                              article("知事、保育料の無償化を発表", "euc-jp")))
    seeded.feed("/feed/f.xml", ["/p/sjis.html", "/p/euc.html"])
    crawl_feed(seeded, db_file, "/feed/f.xml")
    assert {"首相、防衛費の増額を表明", "知事、保育料の無償化を発表"} <= stored_titles(db_file)


def test_truncated_html_keeps_what_arrived(seeded, db_file):
    page = article("途中で切れた記事")
    seeded.route("/p/cut.html", lambda s, n: (200, {"Content-Type": "text/html; charset=utf-8"},
                                              page[: int(len(page) * 0.7)]))
    seeded.feed("/feed/f.xml", ["/p/cut.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/cut.html"][0] == "ok"
    with reader(db_file) as con:
        body = con.execute("SELECT body FROM articles WHERE title = '途中で切れた記事'").fetchone()[0]
    assert body.startswith("途中で切れた記事について")


def test_invalid_feed_xml_is_recorded_against_the_source(seeded, db_file):
    seeded.route("/feed/bad.xml", lambda s, n: (200, {"Content-Type": "application/rss+xml"},
                                                b"\x00\x01 this is not xml <<<"))
    outcome = crawl_feed(seeded, db_file, "/feed/bad.xml", source_id="bad")["/feed/bad.xml"]
    assert outcome[:2] == ("error", "feed")
    with reader(db_file) as con:
        failures, error = con.execute(
            "SELECT consecutive_failures, last_error FROM sources WHERE id = 'bad'").fetchone()
    assert failures == 1 and error.startswith("feed:")


def test_relative_urls_and_duplicate_items_in_a_feed(seeded, db_file):
    seeded.page("/p/rel.html", "相対リンクの記事")
    body = rss(seeded.base, ["rel.html", "/p/rel.html", "/p/rel.html#top", "/p/rel.html?utm_source=rss"])
    body = body.replace(f"<link>{seeded.base}/</link>".encode(), f"<link>{seeded.base}/p/</link>".encode())
    seeded.route("/feed/f.xml", lambda s, n: (200, {"Content-Type": "application/rss+xml"}, body))
    outcomes = crawl_feed(seeded, db_file, "/feed/f.xml")
    assert seeded.requests["/p/rel.html"] == 1
    assert outcomes["/p/rel.html"][0] == "ok"
    assert "相対リンクの記事" in stored_titles(db_file)


def test_robots_disallow_and_crawl_delay(seeded, db_file):
    seeded.route("/robots.txt", lambda s, n: (200, {"Content-Type": "text/plain"},
                                               b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.3\n"))
    seeded.page("/private/secret.html", "非公開")
    seeded.page("/p/one.html", "一本目")
    seeded.page("/p/two.html", "二本目")
    seeded.feed("/feed/f.xml", ["/private/secret.html", "/p/one.html", "/p/two.html"])
    outcomes = crawl_feed(seeded, db_file, "/feed/f.xml")
    assert outcomes["/private/secret.html"][:2] == ("skipped", "robots")
    assert seeded.requests["/private/secret.html"] == 0
    starts = sorted(seeded.times["/p/one.html"] + seeded.times["/p/two.html"])
    assert starts[1] - starts[0] >= 0.3 - 0.02  # server-side clock: allow for receive jitter


def test_not_found_is_recorded_and_not_fetched_again(seeded, db_file):
    seeded.feed("/feed/f.xml", ["/p/missing.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/missing.html"][:3] == ("error", "http_404", 404)
    seeded.feed("/feed/f.xml", ["/p/missing.html", "/p/seed.html"])
    second = crawl_feed(seeded, db_file, "/feed/f.xml")
    assert second["/p/missing.html"][0] == "known" and seeded.requests["/p/missing.html"] == 1


def test_non_html_content_type_is_refused(seeded, db_file):
    seeded.route("/p/image.html", lambda s, n: (200, {"Content-Type": "image/png"}, b"\x89PNG...."))
    seeded.feed("/feed/f.xml", ["/p/image.html"])
    assert crawl_feed(seeded, db_file, "/feed/f.xml")["/p/image.html"][:2] == ("error", "content_type")


def test_feed_with_unchanged_etag_but_new_content_is_read_again(seeded, db_file):
    paths = ["/p/e1.html"]
    seeded.page("/p/e1.html", "最初の記事")
    seeded.page("/p/e2.html", "追加された記事")
    seeded.route("/feed/etag.xml", lambda s, n: (200, {"Content-Type": "application/rss+xml", "ETag": '"same"'},
                                                 rss(s.base, list(paths))))
    crawl_feed(seeded, db_file, "/feed/etag.xml")
    paths.append("/p/e2.html")
    outcomes = crawl_feed(seeded, db_file, "/feed/etag.xml")
    assert outcomes["/feed/etag.xml"][0] == "ok" and outcomes["/p/e2.html"][0] == "ok"
    assert outcomes["/p/e1.html"][0] == "known"
    assert "追加された記事" in stored_titles(db_file)
