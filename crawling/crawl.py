"""The crawl stage: sources → feeds → new article pages → extracted articles.

Network-bound and async; it reads nothing from and writes nothing to the
database itself: what it must know (known URLs, validators) comes in as
`CrawlState`, and everything it saw goes out as records.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlsplit

from crawling.articles import to_record
from crawling.fetcher import Fetcher
from crawling.model import CrawlOutput, CrawlState, FetchRecord, FetchResult, Source
from crawling.policy import CrawlPolicy
from extractors.article import extract_article
from extractors.errors import ExtractionError, FeedError
from extractors.feeds import parse_feed
from extractors.model import ExtractedArticle, FeedItem
from extractors.urls import canonicalize_url, is_http_url

FEED_TYPES = ("xml", "rss", "atom", "rdf", "text/plain", "text/html")
PAGE_TYPES = ("html", "xml")
MAX_CHILD_SITEMAPS = 20
T = TypeVar("T")
TRANSIENT = {"timeout", "connect", "transport", "rate_limited", "http_429"}


async def crawl(sources: Sequence[Source], policy: CrawlPolicy, state: CrawlState, run_id: str,
                *, refetch: bool = False) -> CrawlOutput:
    output = CrawlOutput(suspended=sorted(s.id for s in sources if s.id in state.suspended))
    scheduled: set[str] = set()
    workers = ThreadPoolExecutor(max_workers=policy.parse_workers, thread_name_prefix="crawl-parse")
    try:
        async with Fetcher(policy) as fetcher:
            job = _Crawl(fetcher, state, run_id, refetch, output, scheduled, workers)
            await asyncio.gather(*(job.source(source) for source in active_sources(sources, state)))
    finally:
        workers.shutdown(wait=False, cancel_futures=True)
    return output


class ParseTimeout(Exception):
    """Parsing one document took longer than the policy allows."""


class _Crawl:
    def __init__(self, fetcher: Fetcher, state: CrawlState, run_id: str, refetch: bool,
                 output: CrawlOutput, scheduled: set[str], workers: ThreadPoolExecutor) -> None:
        self.fetcher, self.state, self.run_id, self.refetch = fetcher, state, run_id, refetch
        self.output, self.scheduled, self.workers = output, scheduled, workers
        self.turns: dict[str, asyncio.Lock] = {}
        self.parse_slots = asyncio.Semaphore(2 * fetcher.policy.parse_workers)

    async def _parse(self, fn: Callable[..., T], *args: object) -> T:
        """Parsing runs in a worker thread with a time limit, so one slow document
        neither stalls the event loop (every other source's fetches) nor the crawl;
        a worker past the limit is abandoned and finishes on its own."""
        work = asyncio.get_running_loop().run_in_executor(self.workers, fn, *args)
        try:
            return await asyncio.wait_for(work, self.fetcher.policy.parse_timeout_s)
        except TimeoutError:
            raise ParseTimeout(f"parsing took longer than {self.fetcher.policy.parse_timeout_s:g} s") from None

    async def source(self, source: Source) -> None:
        """A feed whose pages failed transiently is marked for re-reading, so the
        next run does not get a 304 for it and lose those pages for good. Whatever
        goes wrong inside one source is recorded against it and ends only it."""
        try:
            await self._source(source)
        except Exception as exc:
            self._record(_unexpected(source.url), source, "feed", outcome="error", error=_describe(exc))

    async def _source(self, source: Source) -> None:
        feeds: list[str] = []
        items = await self._feed_items(source, source.url, 0, feeds)
        if source.max_items is not None:
            items = items[: source.max_items]
        transient = await asyncio.gather(*(self._page(source, item) for item in items))
        if any(transient):
            self.output.reread_feeds.update(feeds)

    async def _feed_items(self, source: Source, url: str, depth: int, feeds: list[str]) -> list[FeedItem]:
        feeds.append(url)
        etag, last_modified, previous_sha = self.state.validators.get(url, (None, None, None))
        result = await self.fetcher.fetch(url, local_origin=_local_origin(source), min_gap_s=source.min_gap_s,
                                          etag=etag, last_modified=last_modified, accept=FEED_TYPES)
        if result.outcome != "ok":
            self._record(result, source, "feed")
            return []
        if result.sha256 == previous_sha and not self.refetch:
            self._record(result, source, "feed", outcome="unchanged")
            return []
        try:
            feed = await self._parse(parse_feed, result.body, result.final_url or url, result.content_type)
        except FeedError as exc:
            self._record(result, source, "feed", outcome="error", error=("feed", str(exc)))
            return []
        except ParseTimeout as exc:
            self._record(result, source, "feed", outcome="error", error=("parse_timeout", str(exc)))
            return []
        self._record(result, source, "feed")
        if feed.kind == "sitemapindex":
            if depth > 0:
                return []
            children = [item.url for item in feed.items[:MAX_CHILD_SITEMAPS] if is_http_url(item.url)]
            nested = await asyncio.gather(*(self._feed_items(source, child, depth + 1, feeds) for child in children))
            return [item for group in nested for item in group]
        return [item for item in feed.items if is_http_url(item.url)]

    async def _page(self, source: Source, item: FeedItem) -> bool:
        """Returns whether the page failed in a way worth retrying next run. An
        exception while handling one URL becomes that URL's recorded failure."""
        try:
            return await self._page_once(source, item)
        except Exception as exc:
            self._record(_unexpected(item.url), source, "page", outcome="error", error=_describe(exc))
            return False

    async def _page_once(self, source: Source, item: FeedItem) -> bool:
        url = canonicalize_url(item.url)
        if url in self.scheduled:
            return False
        self.scheduled.add(url)
        now = datetime.now(UTC)
        if not self.refetch and url in self.state.known_urls:
            self.output.fetches.append(_known(self.run_id, url, source, now))
            return False
        # A host's next page is fetched once this one has a parse slot: fetched
        # bodies waiting for the parse workers are at most one per host.
        async with self.turns.setdefault(urlsplit(url).netloc, asyncio.Lock()):
            result = await self.fetcher.fetch(url, local_origin=_local_origin(source), min_gap_s=source.min_gap_s,
                                              accept=PAGE_TYPES)
            if result.outcome == "ok":
                await self.parse_slots.acquire()
        if result.outcome != "ok":
            self._record(result, source, "page")
            return result.error_kind in TRANSIENT or (result.error_kind or "").startswith("http_5")
        try:
            extracted = await self._parse(_extract, result.body, result.final_url or url, result.content_type,
                                          source.aliases)
        except ExtractionError as exc:
            self._record(result, source, "page", outcome="error", error=("extract", str(exc)))
            return False
        except ParseTimeout as exc:
            self._record(result, source, "page", outcome="error", error=("parse_timeout", str(exc)))
            return False
        finally:
            self.parse_slots.release()
        if not extracted.body.strip():
            self._record(result, source, "page", outcome="error", error=("extract", "no article body found"))
            return False
        self._record(result, source, "page")
        self.output.articles.append(to_record(
            extracted, requested_url=url, item=item, source=source, run_id=self.run_id,
            fetched_at=result.fetched_at or now,
        ))
        return False

    def _record(self, result: FetchResult, source: Source, role: str, *, outcome: str | None = None,
                error: tuple[str, str] | None = None) -> None:
        kind, message = error if error else (result.error_kind, result.error_message)
        self.output.fetches.append(FetchRecord(
            run_id=self.run_id, url=result.url, source_id=source.id, role=role, final_url=result.final_url,
            status=result.status, outcome=outcome or result.outcome, error_kind=kind, error_message=message,
            etag=result.etag, last_modified=result.last_modified, content_type=result.content_type,
            bytes=len(result.body) if result.body else None, sha256=result.sha256,
            elapsed_ms=result.elapsed_ms, fetched_at=result.fetched_at or datetime.now(UTC),
            retried=",".join(result.retried) or None,
        ))


def active_sources(sources: Sequence[Source], state: CrawlState) -> list[Source]:
    """Disabled sources and sources suspended after repeated failures are left out."""
    return [s for s in sources if s.enabled and s.id not in state.suspended]


def _local_origin(source: Source) -> tuple[str, int] | None:
    if not source.is_local:
        return None
    parts = urlsplit(source.url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _extract(body: bytes, url: str, content_type: str | None, aliases: tuple[str, ...]) -> ExtractedArticle:
    """The bytes as fetched: the extractor decodes them once, and hands clean
    UTF-8 to Lexbor without a round trip through str."""
    return extract_article(body, url, content_type=content_type, aliases=aliases)


def _unexpected(url: str) -> FetchResult:
    return FetchResult(url=url, final_url=None, status=None, outcome="error")


def _describe(exc: Exception) -> tuple[str, str]:
    return "internal", f"{type(exc).__name__}: {exc}"[:500]


def _known(run_id: str, url: str, source: Source, now: datetime) -> FetchRecord:
    return FetchRecord(
        run_id=run_id, url=url, source_id=source.id, role="page", final_url=None, status=None,
        outcome="known", error_kind=None, error_message=None, etag=None, last_modified=None,
        content_type=None, bytes=None, sha256=None, elapsed_ms=0.0, fetched_at=now,
    )
