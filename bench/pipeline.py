"""The whole nightly pipeline except the network, at 1,000, 10,000 and 100,000 articles (not a test).

A news server on loopback (its own process, one address per outlet so the
crawler's one-request-per-host rule does not serialise everything) serves the
livedoor corpus as HTML pages listed in sitemaps; past its 7,367 articles each
article is a new mix of sentences from two articles of the same category, so
duplicate detection sees new stories, not copies. The corpus files are read in
place and never copied. The nightly flow (`flows.nightly.nightly`, the code the
schedule runs, with Prefect, politeness off: no gap between requests) crawls,
extracts, deduplicates, stores, tokenizes, scores against 1,000 pledges (the
200 people the corpus names most, 5 pledges each worded from their articles)
and writes the analytics snapshot. Each size runs in a fresh process with a
fresh database; Prefect's temporary server is started before the clock starts.

Usage: .venv/bin/python bench/pipeline.py [--sizes 1000,10000,100000] [--dask-at 10000] [--no-readme]
       [--save results.json | --load results.json]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import multiprocessing as mp
import os
import platform
import random
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "fixtures" / "corpus" / "livedoor" / "text"
README = ROOT / "bench" / "README.md"
START, END = "<!-- pipeline:start -->", "<!-- pipeline:end -->"
CATEGORIES = {
    "topic-news": "トピックニュース", "sports-watch": "Sports Watch", "it-life-hack": "ITライフハック",
    "kaden-channel": "家電チャンネル", "movie-enter": "MOVIE ENTER", "dokujo-tsushin": "独女通信",
    "smax": "エスマックス", "livedoor-homme": "livedoor HOMME", "peachy": "Peachy",
}
_SENTENCE = re.compile(r"[^。！？\n]*[。！？]+[」』）)]*|[^。！？\n]+")


# --- the corpus, and as many distinct articles as asked for ---------------------------------

def read_corpus() -> list[dict]:
    articles = []
    for category in CATEGORIES:
        for path in sorted((CORPUS / category).glob(f"{category}-*.txt")):
            lines = path.read_text(encoding="utf-8").split("\n")
            published = datetime.strptime(lines[1].strip(), "%Y-%m-%dT%H:%M:%S%z")
            body = [p.strip() for p in "\n".join(lines[3:]).split("\n") if p.strip()]
            articles.append({"category": category, "title": lines[2].strip(), "published": published,
                             "paragraphs": body})
    return articles


class Articles:
    """Article k of an endless stream: the corpus first, then mixes."""

    def __init__(self, corpus: list[dict]) -> None:
        self.corpus = corpus
        self.by_category: dict[str, list[int]] = {}
        for index, article in enumerate(corpus):
            self.by_category.setdefault(article["category"], []).append(index)

    def __call__(self, k: int) -> dict:
        base = self.corpus[k % len(self.corpus)]
        rounds = k // len(self.corpus)
        if rounds == 0:
            return base
        rng = random.Random(k)
        donor = self.corpus[rng.choice(self.by_category[base["category"]])]
        ours = [s for p in base["paragraphs"] for s in _SENTENCE.findall(p)]
        theirs = [s for p in donor["paragraphs"] for s in _SENTENCE.findall(p)]
        mixed = [s for s in ours if rng.random() < 0.5] + [s for s in theirs if rng.random() < 0.5]
        rng.shuffle(mixed)
        mixed = mixed or ours
        paragraphs = ["".join(mixed[i : i + 3]) for i in range(0, len(mixed), 3)]
        return {"category": base["category"], "title": f"{base['title']}（{rounds}）",
                "published": base["published"] + timedelta(days=3 * rounds), "paragraphs": paragraphs}


# --- the loopback news server ---------------------------------------------------------------

def render_page(article: dict, url: str, outlet: str) -> bytes:
    when = article["published"]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article["paragraphs"])
    nav = "".join(f'<li><a href="/{c}/">{html.escape(n)}</a></li>' for c, n in CATEGORIES.items())
    return (
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{html.escape(article["title"])} - '
        f'{html.escape(outlet)}</title><link rel="canonical" href="{url}">'
        f'<meta property="article:published_time" content="{when.isoformat()}"></head><body>'
        f'<header><a href="/">livedoor ニュース</a><nav><ul>{nav}</ul></nav></header><main><article>'
        f'<h1>{html.escape(article["title"])}</h1><time datetime="{when.isoformat()}">'
        f'{when.year}年{when.month}月{when.day}日 {when:%H時%M分}</time><div class="article-body">{body}</div>'
        f'</article><aside class="related"><h2>関連記事</h2><ul><li><a href="/">トップへ</a></li></ul></aside>'
        f'</main><footer><p>Copyright © NHN Japan / livedoor ニュースコーパス (CC BY-ND 2.1 JP)</p></footer>'
        f"</body></html>"
    ).encode()


def render_sitemap(urls: list[tuple[str, datetime]]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>{d.isoformat()}</lastmod></url>" for u, d in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>').encode()


def serve(size: int, ready: mp.Queue) -> None:
    """One server per outlet on 127.0.0.(10+i); sends back the base URLs."""
    articles = Articles(read_corpus())
    ks: dict[str, list[int]] = {c: [] for c in CATEGORIES}
    for k in range(size):
        ks[articles.corpus[k % len(articles.corpus)]["category"]].append(k)
    servers = []
    for number, category in enumerate(CATEGORIES):
        server = ThreadingHTTPServer((f"127.0.0.{10 + number}", 0), _handler(articles, category, ks[category]))
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.put({c: f"http://{s.server_address[0]}:{s.server_address[1]}" for c, s in zip(CATEGORIES, servers,
                                                                                          strict=True)})
    threading.Event().wait()


def _handler(articles: Articles, category: str, ks: list[int]) -> type[BaseHTTPRequestHandler]:
    outlet = CATEGORIES[category]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}"
            if self.path == "/robots.txt":
                self._send(200, "text/plain", b"User-agent: *\nAllow: /\n")
            elif self.path == "/sitemap.xml":
                urls = [(f"{base}/{category}/article/{k}.html", articles(k)["published"]) for k in ks]
                self._send(200, "application/xml", render_sitemap(urls))
            elif (match := re.fullmatch(rf"/{category}/article/(\d+)\.html", self.path)):
                url = f"{base}{self.path}"
                self._send(200, "text/html; charset=utf-8", render_page(articles(int(match[1])), url, outlet))
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


# --- 1,000 pledges about people the articles mention ----------------------------------------

VERBS = ("を推進する", "を支援する", "を拡充する", "を見直す", "を実現する")


def write_catalog(path: Path, corpus: list[dict], count: int = 1000) -> None:
    """200 "politicians": the people the corpus names most (fugashi tags them
    as 人名), 5 pledges each, worded from the nouns of the articles that name
    them. So, as with real news and a real catalog, a share of the articles
    mention a politician and use a pledge's words, and scoring does real work."""
    import fugashi

    tagger = fugashi.Tagger()
    mentions: dict[str, list[int]] = {}
    nouns: list[set[str]] = []
    for index, article in enumerate(corpus):
        words = tagger(article["title"] + "\n" + "\n".join(article["paragraphs"]))
        found = {a.surface + b.surface for a, b in itertools.pairwise(words)
                 if a.feature.pos3 == "人名" and a.feature.pos4 == "姓" and b.feature.pos4 == "名"}
        for name in found:
            mentions.setdefault(name, []).append(index)
        nouns.append({(w.feature.lemma or w.surface).split("-")[0] for w in words
                      if w.feature.pos2 == "普通名詞" and len(w.surface) >= 2})
    frequency: dict[str, int] = {}
    for found in nouns:
        for noun in found:
            frequency[noun] = frequency.get(noun, 0) + 1
    people = sorted(mentions, key=lambda name: (-len(mentions[name]), name))[: count // len(VERBS)]
    lines = []
    for n, name in enumerate(people):
        surname = str(tagger(name)[0].surface)
        lines += ["[[politicians]]", f'id = "p{n:04d}"', f'name = "{name}"', f'aliases = ["{surname}"]', ""]
        topic: dict[str, float] = {}
        for index in mentions[name]:
            for noun in nouns[index]:
                topic[noun] = topic.get(noun, 0.0) + 1 / frequency[noun] ** 0.5
        ranked = sorted(topic, key=lambda noun: (-topic[noun], noun))[:25] or ["政策"]
        for k, verb in enumerate(VERBS):
            words = [ranked[(k * 3 + i) % len(ranked)] for i in range(5)]
            lines += ["[[pledges]]", f'id = "p{n:04d}-{k}"', f'politician = "p{n:04d}"',
                      f'title = "{words[0]}と{words[1]}{verb}"', f'description = "{words[2]}の{words[0]}{verb}。"',
                      f"keywords = {json.dumps(words, ensure_ascii=False)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_sources(path: Path, bases: dict[str, str]) -> None:
    lines = ["[defaults]", "local = true", "min_gap_s = 0.0", ""]
    for category, base in bases.items():
        lines += ["[[sources]]", f'id = "bench-{category}"', f'outlet = "{CATEGORIES[category]}"', 'kind = "sitemap"',
                  f'url = "{base}/sitemap.xml"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


# --- one size, in its own process -----------------------------------------------------------

class PeakMemory:
    """Peak RSS of the pipeline: this process (exact, from the kernel) and, with
    Dask, the worker processes it starts, sampled; not Prefect's server, which is
    the orchestrator's cost. Sampling runs in a thread of the measured process,
    so it is kept cheap (the child list is read once a second) and is off when
    there are no workers to sample."""

    def __init__(self, children: bool, interval: float = 0.25) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True) if children else None

    def __enter__(self) -> PeakMemory:
        if self._thread:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _sample(self, interval: float) -> None:
        import psutil

        me = psutil.Process()
        workers: list[psutil.Process] = []
        listed = 0.0
        while not self._stop.is_set():
            if time.monotonic() - listed > 1.0:
                workers = [c for c in me.children(recursive=True) if "uvicorn" not in " ".join(c.cmdline())]
                listed = time.monotonic()
            total = me.memory_info().rss
            for worker in workers:
                try:
                    total += worker.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(interval)

    @property
    def mb(self) -> float:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return max(self.peak, own) / 2**20


def run_one(size: int, sources: Path, catalog: Path, work: Path) -> dict:
    """Runs in a fresh interpreter: its peak RSS is the pipeline's alone."""
    os.environ["PREFECT_HOME"] = str(work / "prefect")
    for key, value in {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_SERVER_UI_ENABLED": "false",
                       "PREFECT_LOGGING_LEVEL": "ERROR", "PREFECT_TASK_INTROSPECTION_WARN_THRESHOLD": "0",
                       "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90", "PLEDGEWATCH_PROGRESS": "off"}.items():
        os.environ.setdefault(key, value)
    os.environ.pop("PREFECT_API_URL", None)
    from prefect import flow
    from prefect.client.orchestration import get_client

    from flows.nightly import nightly
    from pledgewatch import settings

    @flow
    def warm_up() -> None:
        """Starts Prefect's temporary server before the clock does."""

    warm_up()
    database = work / "pledgewatch.duckdb"
    load = os.getloadavg()[0]
    with PeakMemory(children=settings.task_runner() == "dask") as memory:
        started = time.perf_counter()
        state = nightly(sources_file=str(sources), catalog_file=str(catalog), db=str(database), allow_local=True,
                        min_gap_s=0.0, return_state=True)
        wall = time.perf_counter() - started
    summary = state.result()
    from storage.db import longest_holds

    holds = longest_holds()
    tasks = _task_seconds(get_client(sync_client=True), state.state_details.flow_run_id)
    exports = sum(f.stat().st_size for f in (work / "exports").rglob("*") if f.is_file())
    return {
        "size": size, "status": summary.status, "wall_s": wall, "counts": summary.counts, "errors": summary.errors,
        "runner": settings.task_runner(), "task_s": tasks, "peak_rss_mb": memory.mb,
        "db_mb": database.stat().st_size / 2**20, "snapshot_mb": (work / "analytics.duckdb").stat().st_size / 2**20,
        "parquet_mb": exports / 2**20, "load_before": load, "load_after": os.getloadavg()[0],
        "longest_write_s": holds.get("write", 0.0), "longest_read_s": holds.get("read", 0.0),
    }


def _task_seconds(client, flow_run_id) -> dict[str, float]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    totals: dict[str, float] = {}
    offset = 0
    while True:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                                     limit=200, offset=offset)
        for run in runs:
            name = run.name.rsplit("-", 1)[0]
            totals[name] = totals.get(name, 0.0) + run.total_run_time.total_seconds()
        if len(runs) < 200:
            return totals
        offset += 200


def measure(size: int, catalog: Path, root: Path, runner: str = "threads") -> dict:
    context = mp.get_context("spawn")
    ready = context.Queue()
    server = context.Process(target=serve, args=(size, ready), daemon=True)
    server.start()
    try:
        bases = ready.get(timeout=120)
        work = root / f"n{size}-{runner}"
        work.mkdir()
        sources = work / "sources.toml"
        write_sources(sources, bases)
        child = subprocess.run([sys.executable, __file__, "--one", str(size), "--sources", str(sources),
                                "--catalog", str(catalog), "--work", str(work)],
                               capture_output=True, text=True, check=False,
                               env={**os.environ, "PLEDGEWATCH_TASK_RUNNER": runner})
        if child.returncode != 0:
            raise RuntimeError(f"size {size} failed:\n{child.stderr[-4000:]}")
        return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        server.kill()
        server.join()


# --- report ---------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))) / 2**20
    import duckdb
    import prefect

    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Linux {platform.release()}, "
            f"Python {platform.python_version()}, prefect {prefect.__version__}, duckdb {duckdb.__version__}")


def table(results: list[dict]) -> list[str]:
    """Per stage: seconds · articles per second (of the articles that reach it)."""
    rows = ["| articles | task runner | end to end | articles/s | crawl: fetch + extract | dedupe + store "
            "| tokenize + score + store | tokenize : score | snapshot + Parquet "
            "| longest write / read hold | peak RSS | DuckDB file | snapshot | Parquet | load avg |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        n, c, t = r["size"], r["counts"], r["task_s"]
        scored = c.get("scored", 0)
        tokenize = t.get("tokenize-batch", 0.0)
        share = tokenize / t["score-batch"] if t.get("score-batch") else 0.0

        def stage(seconds: float, count: int = n) -> str:
            return f"{seconds:.1f} s · {count / seconds:,.0f}/s" if seconds > 0 else "–"

        rows.append(
            f"| {n:,} | {r['runner']} | {r['wall_s']:.1f} s | **{n / r['wall_s']:,.0f}** "
            f"| {stage(c.get('ms_crawl', 0) / 1000)} | {stage(c.get('ms_store', 0) / 1000)} "
            f"| {stage(c.get('ms_score', 0) / 1000, scored)} | {share:.0%} : {1 - share:.0%} "
            f"| {c.get('ms_publish', 0) / 1000:.1f} s "
            f"| {r.get('longest_write_s', 0.0):.2f} s / {r.get('longest_read_s', 0.0):.2f} s "
            f"| {r['peak_rss_mb']:,.0f} MB | {r['db_mb']:,.0f} MB "
            f"| {r['snapshot_mb']:,.0f} MB | {r['parquet_mb']:,.0f} MB "
            f"| {r['load_before']:.1f} → {r['load_after']:.1f} |")
    return rows


def write_readme(results: list[dict], verdict: dict) -> None:
    section = [
        START,
        "Produced by `.venv/bin/python bench/pipeline.py` (re-run to refresh; this section is rewritten between its",
        "markers, the rest of the file is left alone).",
        "",
        f"Machine: {machine()}.",
        "",
        "Method: the nightly flow as scheduled (Prefect, tokenize cache on, snapshot and Parquet at the end) against",
        "a loopback news server in its own process: 9 outlets (the livedoor categories) on 9 loopback addresses, one",
        "sitemap each, politeness off (no gap between requests; robots.txt still read). Articles past the corpus's",
        "7,367 are new mixes of sentences of two same-category articles, stored and scored like new stories,",
        "except where two mixes of one article come close enough to be near-duplicates (the corpus itself has",
        "~4 % near-duplicates; with the mixes 7 % at 100,000), which are deduplicated. 1,000 pledges: the 200",
        "people the corpus names most, 5 pledges each worded from their articles. A fresh database and process per",
        "size; Prefect's temporary server is started before the clock. Task runner: `threads` is the default;",
        "`dask` is `PLEDGEWATCH_TASK_RUNNER=dask` with no address, a local cluster of 2 worker processes started",
        "by the run (its start-up is inside the time). Stage times are wall clock; tokenize : score splits the",
        "summed run times of their Prefect task runs (tokenize runs as a task inside each score-batch task; batches",
        "overlap, so only the ratio is meaningful). Each stage's rate is over the articles that reach it",
        "(duplicates are not scored). Peak RSS: the pipeline's process (the kernel's record of its peak) plus,",
        "with Dask, its workers sampled every 0.25 s; not the news server, not Prefect's server. Load average:",
        "the whole machine, before → after the run (other work was running on it).",
        "",
        "What the stages cost, what limits one machine and the known limits (duplicate detection) are discussed",
        "in `docs/scaling.md`.",
        "",
        *table(results),
        "",
        f"Targets: ≥ 200 articles/s end to end at 10,000: **{verdict['articles_per_s_10k']}**; 100,000 takes at most",
        f"11 × as long as 10,000: **{verdict['growth_100k_over_10k']} ×**; peak memory under 2 GB at 100,000:",
        f"**{verdict['peak_rss_mb_100k']} MB**; longest write transaction at 10,000 (how long the writer holds",
        "the file, connect to close; the review app waits that long at most) ≤ 2 s:",
        f"**{verdict['longest_write_s_10k']} s**.",
        "",
        "Growth is linear for crawling and scoring (10.6 × and 11.0 × for 10 × the articles, 9.7 × as many of",
        "them scored); storing is not (33 ×): each part's duplicate lookup and commit cost more as the file",
        "grows, and the mixes make more near-duplicate pairs to confirm. See `docs/scaling.md`.",
        "",
        "```json",
        json.dumps(verdict),
        "```",
        END,
    ]
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + "\n".join(section) + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Pipeline\n\n" + "\n".join(section) + "\n"
    README.write_text(text, encoding="utf-8")


def measure_all(sizes_arg: str, dask_at: str) -> list[dict]:
    sizes = [int(s) for s in sizes_arg.split(",")]
    runs = [(size, "threads") for size in sizes] + [(int(s), "dask") for s in dask_at.split(",") if s]
    results = []
    with tempfile.TemporaryDirectory(prefix="pledgewatch-bench-") as folder:
        root = Path(folder)
        catalog = root / "pledges.toml"
        write_catalog(catalog, read_corpus())
        for size, runner in runs:
            result = measure(size, catalog, root, runner)
            results.append(result)
            c = result["counts"]
            print(f"{size:>7,} articles ({runner}): {result['wall_s']:7.1f} s, "
                  f"{size / result['wall_s']:6.0f}/s end to end; "
                  f"crawl {c.get('ms_crawl', 0) / 1000:.1f} s, store {c.get('ms_store', 0) / 1000:.1f} s, "
                  f"tokenize+score {c.get('ms_score', 0) / 1000:.1f} s, publish {c.get('ms_publish', 0) / 1000:.1f} s;"
                  f" inserted {c.get('inserted', 0):,}, duplicates {c.get('duplicates', 0):,}, "
                  f"scored {c.get('scored', 0):,}, candidates {c.get('candidates', 0):,}; "
                  f"peak {result['peak_rss_mb']:,.0f} MB, file {result['db_mb']:,.0f} MB", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-readme", action="store_true", help="print only, leave bench/README.md alone")
    parser.add_argument("--dask-at", default="10000",
                        help="sizes also run with PLEDGEWATCH_TASK_RUNNER=dask (a local 2-worker cluster); '' for none")
    parser.add_argument("--save", type=Path, help="also write the raw results as JSON to this file")
    parser.add_argument("--load", type=Path, help="take the results from a --save file instead of running")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sources", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--catalog", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.sources, args.catalog, args.work)))
        return

    results = json.loads(args.load.read_text()) if args.load else measure_all(args.sizes, args.dask_at)
    if args.save:
        args.save.write_text(json.dumps(results, indent=1))
    by_size = {r["size"]: r for r in results if r["runner"] == "threads"}
    verdict = {
        "articles_per_s_10k": round(10_000 / by_size[10_000]["wall_s"], 1) if 10_000 in by_size else None,
        "growth_100k_over_10k": (round(by_size[100_000]["wall_s"] / by_size[10_000]["wall_s"], 2)
                                 if {10_000, 100_000} <= by_size.keys() else None),
        "peak_rss_mb_100k": round(by_size[100_000]["peak_rss_mb"], 1) if 100_000 in by_size else None,
        "longest_write_s_10k": (round(by_size[10_000].get("longest_write_s", 0.0), 2)
                                if 10_000 in by_size else None),
    }
    if not args.no_readme:
        write_readme(results, verdict)
    print("\n".join(table(results)))
    print(json.dumps(verdict))


if __name__ == "__main__":
    main()
