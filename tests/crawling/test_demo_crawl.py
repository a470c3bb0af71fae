"""The crawl stage against the real demo site on loopback, stored in a real DuckDB file."""

import asyncio

from crawling.crawl import crawl
from crawling.model import CrawlState
from crawling.policy import CrawlPolicy
from crawling.sources import load_sources
from pledgewatch.settings import DEMO_SITE
from storage.crawl import load_crawl_state, save_crawl, save_sources
from storage.db import migrate, reader, transaction

POLICY = CrawlPolicy(allow_local=True, min_gap_s=0.0, backoff_base_s=0.01)


def run_crawl(server, db_file):
    sources = load_sources(DEMO_SITE / "sources.toml", server.base_url)
    migrate(db_file)
    with transaction(db_file) as con:
        save_sources(con, sources)
        state = load_crawl_state(con)
    output = asyncio.run(crawl(sources, POLICY, state, f"run-{len(server.requests)}"))
    with transaction(db_file) as con:
        stored = save_crawl(con, output)
    return output, stored


def test_first_crawl_stores_every_reachable_article_with_correct_text(demo_server, db_file):
    output, stored = run_crawl(demo_server, db_file)
    site = demo_server.site
    outcomes = {(f.role, f.outcome, f.error_kind) for f in output.fetches}
    assert ("page", "skipped", "robots") in outcomes
    assert ("page", "error", "http_404") in outcomes
    assert len(output.articles) == len(site.articles)
    assert stored["inserted"] == len(site.articles)
    robots_fault = next(f for f in site.faults if f.kind == "robots")
    assert demo_server.requests[robots_fault.path] == 0
    flaky = next(f for f in site.faults if f.kind == "server_error")
    flaky_fetch = next(f for f in output.fetches if f.url.endswith(f"/{flaky.article}.html"))
    assert flaky_fetch.outcome == "ok" and flaky_fetch.retried == "http_500"

    with reader(db_file) as con:
        rows = con.execute("SELECT url, fetched_url, title, published, outlet FROM articles").fetchall()
    by_id = {url.rsplit("/", 1)[1].removesuffix(".html"): row for url, *row in [(r[0], *r) for r in rows]}
    for slug in ("mainichi", "tokyo"):  # Shift_JIS and EUC-JP outlets
        for article in site.articles_of(slug):
            _, _, title, published, _ = by_id[article.id]
            assert title == article.title
            assert published == article.published
    redirect = next(f for f in site.faults if f.kind == "redirect")
    _, fetched_url, *_ = by_id[redirect.article]
    assert fetched_url.endswith(redirect.path)


def test_second_crawl_fetches_and_inserts_nothing(demo_server, db_file):
    run_crawl(demo_server, db_file)
    pages_before = sum(n for path, n in demo_server.requests.items() if "/articles/" in path)
    output, stored = run_crawl(demo_server, db_file)
    assert {f.outcome for f in output.fetches} <= {"not_modified", "known"}
    assert stored["inserted"] == 0 and not output.articles
    assert sum(n for path, n in demo_server.requests.items() if "/articles/" in path) == pages_before
    with reader(db_file) as con:
        assert con.execute("SELECT count(*) - count(DISTINCT url) FROM articles").fetchone()[0] == 0


def test_refused_without_local_permission(demo_server, db_file):
    sources = load_sources(DEMO_SITE / "sources.toml", demo_server.base_url)
    output = asyncio.run(crawl(sources, CrawlPolicy(min_gap_s=0.0), CrawlState(), "r"))
    assert {f.error_kind for f in output.fetches} == {"blocked_address"}
    assert sum(demo_server.requests.values()) == 0
