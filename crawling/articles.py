"""Turning an extracted page (plus what its feed said) into a storable article."""

from __future__ import annotations

import hashlib
from datetime import datetime

from crawling.dedupe import content_hash, fingerprint, normalise_body
from crawling.model import ArticleRecord, Source
from extractors.model import ExtractedArticle, FeedItem

LEAD_CHARS = 200


def article_id(canonical_url: str) -> str:
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def lead_of(body: str) -> str:
    first = body.strip().split("\n\n", 1)[0].strip()
    return first if len(first) <= LEAD_CHARS else first[: LEAD_CHARS - 1] + "…"


def to_record(extracted: ExtractedArticle, *, requested_url: str, item: FeedItem | None,
              source: Source, run_id: str, fetched_at: datetime) -> ArticleRecord:
    """The page wins where it has a value; the feed fills title and date it lacks
    (here only). Both URLs come canonical: the page's from the extractor, the
    requested one from the crawl, which canonicalised it to check it was known."""
    url = extracted.url or requested_url
    title = extracted.title or (item.title if item else None) or ""
    published = extracted.published or (item.published if item else None)
    normalised = normalise_body(extracted.body)
    prints = fingerprint(extracted.body, normalised)
    return ArticleRecord(
        id=article_id(url),
        url=url,
        fetched_url=requested_url,
        source_id=source.id,
        outlet=source.outlet or extracted.outlet,
        title=title,
        body=extracted.body,
        lead=lead_of(extracted.body),
        published=published,
        lang=extracted.lang,
        content_hash=content_hash(extracted.body, normalised),
        simhash=prints.simhash,
        sketch=prints.sketch,
        extractor_rule=extracted.rule,
        run_id=run_id,
        fetched_at=fetched_at,
    )
