"""Crawl benchmark: 50 simulated hosts on loopback, 200 pages of ~60 KB each.

1. Raw capacity (politeness off): pages/s from feed to stored article (fetch,
   decode, extract, dedupe, store in DuckDB).
2. Polite run (1 s minimum gap per host): the smallest gap measured between
   two request starts on one host, and total time against the ideal 200 s.

The hosts live in a separate process (asyncio, one port per host) so the
crawler's own CPU use is what is measured. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawling.crawl import crawl  # noqa: E402
from crawling.fetcher import Fetcher  # noqa: E402
from crawling.model import CrawlState, Source  # noqa: E402
from crawling.policy import CrawlPolicy  # noqa: E402
from pipeline.steps import crawl_chunks, store_chunk  # noqa: E402
from storage.db import migrate  # noqa: E402

CORPUS = ROOT.parent / "shared" / "fixtures" / "corpus" / "livedoor" / "text"
HOSTS, PAGES, PAGE_BYTES = 50, 200, 60_000
STORE_PART = 1_000  # articles per transaction, each part dropped once stored (as the nightly flow stores)


def corpus_texts(limit: int) -> list[tuple[str, str]]:
    texts = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        if path.name.startswith(("LICENSE", "README", "CHANGES")):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        texts.append((lines[2], "\n".join(line for line in lines[3:] if line.strip())))
        if len(texts) >= limit:
            break
    return texts


def page(title: str, body: str, host: int, number: int) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines())
    nav = "".join(f'<li><a href="/section/{i}">セクション{i}</a></li>' for i in range(40))
    related = "".join(f'<li><a href="/p/{i}.html">関連する別の記事の見出し{i}</a></li>' for i in range(30))
    html = (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}｜ホスト{host}新聞</title>'
            f'<meta property="article:published_time" content="2026-03-05T09:{number % 60:02d}:00+09:00"></head>'
            f"<body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>{title}</h1>"
            f'<div class="article-body">{paragraphs}</div></article>'
            f'<aside class="related"><h2>関連記事</h2><ul>{related}</ul></aside></main>')
    padding = max(0, PAGE_BYTES - len(html.encode()) - 200)
    script = "<script>var tracking = '" + "x" * padding + "';</script>"
    return (html + f"<footer>© host{host}</footer>{script}</body></html>").encode("utf-8")


def serve(ports: multiprocessing.Queue, ready: multiprocessing.Event, stop: multiprocessing.Event) -> None:
    texts = corpus_texts(PAGES * 4)

    async def main() -> None:
        servers, bound = [], []
        for host in range(HOSTS):
            pages = {f"/p/{n}.html": page(*texts[(host * 37 + n) % len(texts)], host, n) for n in range(PAGES)}

            async def handle(reader, writer, host=host, pages=pages):
                port = writer.get_extra_info("sockname")[1]
                try:
                    while True:
                        request = await reader.readuntil(b"\r\n\r\n")
                        path = request.split(b" ", 2)[1].decode()
                        if path == "/robots.txt":
                            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
                        elif path == "/feed.xml":
                            items = "".join(f"<item><title>記事{n}</title><link>http://127.0.0.1:{port}/p/{n}.html"
                                            f"</link></item>" for n in range(PAGES))
                            body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                    f"<title>host{host}</title>{items}</channel></rss>").encode()
                            kind = "application/rss+xml"
                        else:
                            body, kind = pages.get(path, b"not found"), "text/html; charset=utf-8"
                        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n"
                                     .encode() + body)
                        await writer.drain()
                except (asyncio.IncompleteReadError, ConnectionError):
                    writer.close()

            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            servers.append(server)
            bound.append(server.sockets[0].getsockname()[1])
        ports.put(bound)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.2)

    asyncio.run(main())


def sources(ports: list[int]) -> list[Source]:
    return [Source(id=f"host{i}", outlet=f"ホスト{i}新聞", kind="rss", url=f"http://127.0.0.1:{port}/feed.xml",
                   is_local=True) for i, port in enumerate(ports)]


def raw_capacity(ports: list[int]) -> tuple[float, int, float, float]:
    policy = CrawlPolicy(allow_local=True, min_gap_s=0.0, respect_robots=False, max_connections=64)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        migrate(db)
        started = time.perf_counter()
        output = asyncio.run(crawl(sources(ports), policy, CrawlState(), "bench"))
        crawled = time.perf_counter()
        articles = len(output.articles)
        parts = crawl_chunks(output, STORE_PART)
        del output
        while parts:
            store_chunk(db, parts.pop(0))
        stored = time.perf_counter()
    return articles / (stored - started), articles, crawled - started, stored - crawled


async def polite(ports: list[int], gap: float, pages: int) -> tuple[float, float]:
    """Fetches `pages` pages per host with the real Fetcher and its host gates."""
    policy = CrawlPolicy(allow_local=True, min_gap_s=gap, max_connections=64)
    async with Fetcher(policy, record_starts=True) as fetcher:
        started = time.perf_counter()
        async def outcome(url: str) -> str:
            """Only the outcome is kept: the crawl itself extracts and drops each body."""
            return (await fetcher.fetch(url, local_origin=("127.0.0.1", urlsplit(url).port))).outcome

        results = await asyncio.gather(*(
            outcome(f"http://127.0.0.1:{port}/p/{n}.html") for port in ports for n in range(pages)
        ))
        elapsed = time.perf_counter() - started
        starts = fetcher.request_starts()
    failed = sum(1 for r in results if r != "ok")
    if failed:
        raise SystemExit(f"polite run: {failed} of {len(results)} fetches failed")
    gaps = [b - a for times in starts.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    return min(gaps), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gap", type=float, default=1.0)
    parser.add_argument("--polite-pages", type=int, default=PAGES, help="pages per host in the polite run")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    ports_queue, ready, stop = multiprocessing.Queue(), multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports_queue, ready, stop), daemon=True)
    server.start()
    ready.wait(120)
    ports = ports_queue.get()
    try:
        rate, articles, crawl_s, store_s = raw_capacity(ports)
        print(f"raw: {articles} articles from {HOSTS} hosts in {crawl_s:.1f} s crawl + {store_s:.1f} s store "
              f"= {rate:.0f} pages/s")
        min_gap, elapsed = asyncio.run(polite(ports, args.gap, args.polite_pages))
        ideal = args.gap * args.polite_pages
        print(f"polite: {HOSTS * args.polite_pages} pages, gap {args.gap} s: min measured gap {min_gap:.3f} s, "
              f"{elapsed:.1f} s against ideal {ideal:.0f} s (ratio {elapsed / ideal:.3f})")
    finally:
        stop.set()
        server.join(5)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"raw_pages_per_s": round(rate, 1), "polite_min_gap_s": round(min_gap, 4),
                      "polite_time_ratio": round(elapsed / ideal, 4), "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
