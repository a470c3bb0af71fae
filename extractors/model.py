"""Plain data produced by the extractors; other stages depend on these exact fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ExtractedArticle:
    url: str | None
    title: str
    body: str
    published: datetime | None
    lang: str | None
    outlet: str | None
    rule: str

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "body": self.body,
            "published": self.published.isoformat() if self.published else None,
            "lang": self.lang,
            "outlet": self.outlet,
            "url": self.url,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None
    published: datetime | None
    summary: str | None


@dataclass(frozen=True)
class ParsedFeed:
    kind: str
    title: str | None
    items: list[FeedItem]
