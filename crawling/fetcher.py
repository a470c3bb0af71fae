"""One polite, defensive HTTP client for the whole crawl.

Politeness (one request at a time per host, a minimum gap between request
starts, robots.txt with Crawl-delay, Retry-After) and defence (address checks,
size caps on the decompressed body, redirect caps, time limits) live here so
that every caller gets them; failures come back as data, never as exceptions.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import random
import ssl
import time
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from crawling.addresses import AddressGuard, BlockedAddressError, CheckedTransport, Resolver, system_resolver
from crawling.model import FetchResult
from crawling.policy import CrawlPolicy
from crawling.robots import RobotsRules
from extractors.urls import is_http_url

RETRYABLE = {429, 500, 502, 503, 504}


class _Failure(Exception):
    def __init__(self, kind: str, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.kind, self.status, self.retry_after = kind, status, retry_after


@dataclass
class _HostGate:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    starts: list[float] = field(default_factory=list)


class Fetcher:
    """Use as `async with Fetcher(policy) as fetcher:`; one instance per crawl so
    host gates and robots rules are shared by every source on the same host."""

    def __init__(self, policy: CrawlPolicy, *, record_starts: bool = False,
                 resolver: Resolver = system_resolver) -> None:
        """`resolver` answers host → addresses (the system's by default); every
        connection is made to an address it answered and that passed the check."""
        self.policy = policy
        self._guard = AddressGuard(resolver)
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, asyncio.Future[RobotsRules]] = {}
        self._record_starts = record_starts
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._slots: asyncio.Semaphore | None = None
        self._tls = ssl.create_default_context()

    async def __aenter__(self) -> Fetcher:
        self._slots = asyncio.Semaphore(self.policy.max_connections)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    def _client_for(self, host: str) -> httpx.AsyncClient:
        """One small client per host: requests to a host are serialised anyway,
        and one shared pool spent a quarter of the crawl's CPU scanning its
        connections when many hosts were crawled at once."""
        client = self._clients.get(host)
        if client is None:
            limits = httpx.Limits(max_connections=2, max_keepalive_connections=1)
            client = httpx.AsyncClient(
                follow_redirects=False, transport=CheckedTransport(self._guard, verify=self._tls, limits=limits),
                timeout=httpx.Timeout(self.policy.read_timeout_s, connect=self.policy.connect_timeout_s),
                headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            )
            self._clients[host] = client
        return client

    def request_starts(self) -> dict[str, list[float]]:
        """Monotonic start times of every request per host (benchmarks check the gap)."""
        return {host: list(gate.starts) for host, gate in self._gates.items()}

    async def fetch(self, url: str, *, local_origin: tuple[str, int] | None = None, min_gap_s: float | None = None,
                    etag: str | None = None, last_modified: str | None = None,
                    accept: tuple[str, ...] = ()) -> FetchResult:
        """Time spent queueing for the host's turn does not count against the time
        limits: each attempt has its own limit, and attempts and hops are capped."""
        started = time.monotonic()
        fetched_at = datetime.now(UTC)
        retried: list[str] = []
        try:
            result = await self._fetch_following(url, local_origin, min_gap_s, etag, last_modified, accept, retried)
        except _Failure as failure:
            result = FetchResult(url=url, final_url=None, status=failure.status, outcome="error",
                                 error_kind=failure.kind, error_message=str(failure))
        return replace(result, elapsed_ms=(time.monotonic() - started) * 1000, fetched_at=fetched_at,
                       retried=tuple(retried))

    async def _fetch_following(self, url: str, local_origin: tuple[str, int] | None, min_gap_s: float | None,
                               etag: str | None, last_modified: str | None, accept: tuple[str, ...],
                               retried: list[str]) -> FetchResult:
        seen: set[str] = set()
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            if not is_http_url(current):
                raise _Failure("bad_url", f"not an http(s) URL: {current[:200]}")
            if current in seen:
                raise _Failure("redirect_loop", f"redirect loop back to {current}")
            seen.add(current)
            await self._check_address(current, local_origin)
            if self.policy.respect_robots and not (await self._robots_for(current, min_gap_s)).allowed(current):
                return FetchResult(url=url, final_url=current, status=None, outcome="skipped",
                                   error_kind="robots", error_message="disallowed by robots.txt")
            status, headers, body = await self._get_with_retries(current, min_gap_s, etag, last_modified, accept,
                                                                 retried=retried)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise _Failure("bad_redirect", f"{status} without a Location header", status)
                current = urljoin(current, location.strip())
                etag = last_modified = None
                continue
            return _result(url, current, status, headers, body)
        raise _Failure("too_many_redirects", f"more than {self.policy.max_redirects} redirects")

    async def _check_address(self, url: str, local_origin: tuple[str, int] | None) -> None:
        """A source marked local may reach its own host and port on a private
        address, and nothing else: not another port of that host, and not another
        private host it redirects to. This early check gives refusals a clear
        kind; the transport checks again, on the address it connects to."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if local_origin is not None and self.policy.allow_local and (host, port) == local_origin:
            self._guard.local_origins.add(local_origin)
            return
        try:
            await self._guard.checked_address(host, port)
        except BlockedAddressError as exc:
            raise _Failure("blocked_address", str(exc)) from None

    async def _robots_for(self, url: str, min_gap_s: float | None) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        future = self._robots.get(origin)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._robots[origin] = future
            try:
                status, _headers, body = await self._get_with_retries(
                    origin + "/robots.txt", min_gap_s, None, None, (), retries=0)
                text = body.decode("utf-8", errors="replace") if status == 200 else None
                future.set_result(RobotsRules.from_response(status, text, self.policy.user_agent))
            except _Failure as failure:
                future.set_result(RobotsRules.from_response(None if failure.status is None else failure.status,
                                                            None, self.policy.user_agent))
            except BaseException as exc:
                future.set_exception(exc)
                raise
        return await asyncio.shield(future)

    def _gap_for(self, host: str, min_gap_s: float | None) -> float:
        gap = self.policy.min_gap_s if min_gap_s is None else min_gap_s
        for origin, future in self._robots.items():
            if urlsplit(origin).netloc == host and future.done() and not future.exception():
                delay = future.result().crawl_delay
                if delay is not None:
                    gap = max(gap, delay)
        return gap

    async def _get_with_retries(self, url: str, min_gap_s: float | None, etag: str | None,
                                last_modified: str | None, accept: tuple[str, ...],
                                retries: int | None = None, retried: list[str] | None = None):
        attempts = (self.policy.max_retries if retries is None else retries) + 1
        for attempt in range(attempts):
            try:
                return await self._get_once(url, min_gap_s, etag, last_modified, accept)
            except _Failure as failure:
                retryable = failure.kind in ("timeout", "connect", "transport") or failure.status in RETRYABLE
                if not retryable or attempt == attempts - 1:
                    raise
                if retried is not None:
                    retried.append(failure.kind)
                wait = failure.retry_after
                if wait is None:
                    wait = self.policy.backoff_base_s * (2 ** attempt) * (0.5 + random.random())
                elif wait > self.policy.max_retry_after_s:
                    raise _Failure("rate_limited", f"Retry-After of {wait:.0f} s exceeds the "
                                   f"{self.policy.max_retry_after_s:.0f} s we wait", failure.status) from None
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _get_once(self, url: str, min_gap_s: float | None, etag: str | None,
                        last_modified: str | None, accept: tuple[str, ...]):
        assert self._slots is not None, "use Fetcher as an async context manager"
        host = urlsplit(url).netloc
        gate = self._gates.setdefault(host, _HostGate())
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with gate.lock:
            delay = gate.next_start - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            start = time.monotonic()
            gate.next_start = start + self._gap_for(host, min_gap_s)
            if self._record_starts:
                gate.starts.append(start)
            try:
                async with self._slots, asyncio.timeout(self.policy.total_timeout_s):
                    return await self._stream(host, url, headers, accept)
            except TimeoutError:
                raise _Failure("timeout", f"no complete response within {self.policy.total_timeout_s:.0f} s") from None
            except httpx.TimeoutException as exc:
                raise _Failure("timeout", f"{type(exc).__name__}: {exc}") from None
            except httpx.ConnectError as exc:
                raise _Failure("connect", f"cannot connect: {exc}") from None
            except httpx.HTTPError as exc:
                raise _Failure("transport", f"{type(exc).__name__}: {exc}") from None
            except httpx.InvalidURL as exc:
                raise _Failure("bad_url", f"unusable URL {url[:200]!r}: {exc}") from None
            except BlockedAddressError as exc:
                raise _Failure("blocked_address", str(exc)) from None

    async def _stream(self, host: str, url: str, headers: dict[str, str], accept: tuple[str, ...]):
        async with self._client_for(host).stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in RETRYABLE:
                raise _Failure(f"http_{status}", f"HTTP {status} {response.reason_phrase}", status,
                               _retry_after(response.headers.get("retry-after")))
            if status == 304 or 300 <= status < 400:
                return status, response.headers, b""
            if status != 200:
                raise _Failure(f"http_{status}", f"HTTP {status} {response.reason_phrase}", status)
            content_type = response.headers.get("content-type", "")
            if accept and content_type and not any(kind in content_type.lower() for kind in accept):
                raise _Failure("content_type", f"unexpected Content-Type {content_type!r}", status)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
                raise _Failure("too_large", f"Content-Length {declared} exceeds the "
                               f"{self.policy.max_bytes} byte cap", status)
            body = await _read_capped(response, self.policy.max_bytes)
            return status, response.headers, body


async def _read_capped(response: httpx.Response, cap: int) -> bytes:
    """Decompresses ourselves with a bounded output per step, so a gzip bomb is
    stopped after `cap` bytes of output instead of after it filled memory."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    decompressor = None
    if encoding in ("gzip", "x-gzip"):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decompressor = zlib.decompressobj()
    chunks: list[bytes] = []
    size = 0
    try:
        async for raw in response.aiter_raw():
            pieces = [raw]
            if decompressor is not None:
                pieces = []
                data = raw
                while data:
                    piece = decompressor.decompress(data, cap - size + 1)
                    pieces.append(piece)
                    size_after = size + sum(len(p) for p in pieces)
                    if size_after > cap:
                        break
                    data = decompressor.unconsumed_tail
            for piece in pieces:
                size += len(piece)
                chunks.append(piece)
            if size > cap:
                raise _Failure("too_large", f"body exceeds the {cap} byte cap"
                               + (" after decompression" if decompressor else ""), response.status_code)
    except zlib.error as exc:
        raise _Failure("bad_encoding", f"corrupt {encoding} body: {exc}", response.status_code) from None
    if decompressor is not None:
        chunks.append(decompressor.flush())
    return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _result(url: str, final_url: str, status: int, headers: httpx.Headers, body: bytes) -> FetchResult:
    if status == 304:
        return FetchResult(url=url, final_url=final_url, status=304, outcome="not_modified",
                           etag=headers.get("etag"), last_modified=headers.get("last-modified"))
    return FetchResult(
        url=url, final_url=final_url, status=status, outcome="ok", body=body,
        content_type=headers.get("content-type"), etag=headers.get("etag"),
        last_modified=headers.get("last-modified"), sha256=hashlib.sha256(body).hexdigest(),
    )


