"""Plain records the crawl stage produces; storage writes them as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    kind: str  # rss | atom | rdf | sitemap | sitemapindex | listing
    url: str
    is_local: bool = False
    min_gap_s: float | None = None
    max_items: int | None = None
    enabled: bool = True
    aliases: tuple[str, ...] = ()  # other domains the outlet's canonical URLs may use
    regions: tuple[str, ...] = ()  # 国 or the prefectures the source covers: where its politicians act


@dataclass(frozen=True)
class FetchResult:
    """What one GET produced, success or not; `body` is empty unless status is 200."""

    url: str
    final_url: str | None
    status: int | None
    outcome: str  # ok | not_modified | error | skipped
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    elapsed_ms: float = 0.0
    fetched_at: datetime | None = None
    retried: tuple[str, ...] = ()  # error kinds of failed attempts that a retry recovered from


@dataclass(frozen=True)
class FetchRecord:
    run_id: str
    url: str
    source_id: str | None
    role: str  # feed | page
    final_url: str | None
    status: int | None
    outcome: str  # ok | not_modified | unchanged | known | error | skipped
    error_kind: str | None
    error_message: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    bytes: int | None
    sha256: str | None
    elapsed_ms: float | None
    fetched_at: datetime
    retried: str | None = None

    def as_row(self) -> dict:
        """A shallow copy: `dataclasses.asdict` deep-copies every field, a third
        of the time of storing a crawl."""
        return dict(vars(self))


@dataclass(frozen=True)
class ArticleRecord:
    id: str
    url: str
    fetched_url: str | None
    source_id: str | None
    outlet: str | None
    title: str
    body: str
    lead: str | None
    published: datetime | None
    lang: str | None
    content_hash: str
    simhash: int
    sketch: bytes  # bottom-k MinHash of the body's 3-grams (crawling.dedupe)
    extractor_rule: str | None
    run_id: str | None
    fetched_at: datetime
    dup_of: str | None = None

    def as_row(self) -> dict:
        """A shallow copy: `dataclasses.asdict` deep-copies every field, a third
        of the time of storing a crawl."""
        return dict(vars(self))


@dataclass
class CrawlState:
    """What the database already knows, loaded once before the network stage so
    no connection is held while we wait on hosts."""

    known_urls: set[str] = field(default_factory=set)
    validators: dict[str, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    suspended: set[str] = field(default_factory=set)


@dataclass
class CrawlOutput:
    fetches: list[FetchRecord] = field(default_factory=list)
    articles: list[ArticleRecord] = field(default_factory=list)
    reread_feeds: set[str] = field(default_factory=set)
    suspended: list[str] = field(default_factory=list)
