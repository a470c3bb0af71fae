"""Test data for the review app, written through the storage functions the
nightly flow uses: the real pledge catalog, demo-site articles (our own texts)
and candidates shaped like the classifier's, with evidence and matched terms.

Scores are fixed by the demo's labels, not by a model, so every run shows the
same queue (and the same screenshot)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from catalog.load import load_catalog
from catalog.model import Catalog
from classifiers.evaluation import read_gold_jsonl
from classifiers.stage_suggest import LEXICON
from classifiers.stages import suggest_by_lexicon
from demosite.site import load_site
from storage.batches import insert
from storage.candidates import save_candidates
from storage.catalog import save_catalog
from storage.crawl import ARTICLES
from storage.db import migrate, transaction

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "data" / "pledges.toml"
DEMO_SITE = ROOT / "data" / "demo_site"
OUTLETS = {"nikkei": "日本経済新聞", "tokyo": "東京新聞", "hokkaido": "北海道新聞"}
MODEL = "cold-start-test"


@dataclass(frozen=True)
class Suggestion:
    article_id: str
    pledge_id: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


def article_id(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def article_row(url: str, title: str, body: str, outlet: str, published: datetime | None,
                lead: str | None = None) -> dict[str, Any]:
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    text = "\n\n".join(paragraphs)
    return {
        "id": article_id(url), "url": url, "fetched_url": url, "source_id": None, "outlet": outlet,
        "title": title, "body": text, "lead": lead if lead is not None else (paragraphs[0] if paragraphs else None),
        "published": published, "lang": "ja",
        "content_hash": hashlib.sha256(unicodedata.normalize("NFKC", text).encode()).hexdigest(),
        "simhash": None, "dup_of": None, "extractor_rule": "test", "run_id": "test", "fetched_at": datetime.now(UTC),
    }


def _sentences(body: str) -> list[str]:
    return [s for s in re.split(r"(?<=。)", body.replace("\n", "")) if s.strip()]


def _evidence(body: str, keywords: tuple[str, ...]) -> dict[str, Any]:
    norm = unicodedata.normalize("NFKC", body)
    terms = [k for k in keywords if unicodedata.normalize("NFKC", k) in norm]
    best = max(_sentences(body), key=lambda s: sum(t in s for t in terms), default="")
    return {"sentence": best.strip(), "terms": terms, "stage": suggest_by_lexicon(best).as_evidence(LEXICON)}


def demo_suggestions(catalog: Catalog, per_outlet: int) -> tuple[list[dict[str, Any]], list[Suggestion]]:
    """Demo articles with their labelled pledges (high scores) and one other pledge
    of the same politician each (a low score: something to reject)."""
    pledges = {p.id: p for p in catalog.pledges}
    site = load_site(DEMO_SITE)
    labels = read_gold_jsonl(DEMO_SITE / "labels.jsonl")
    rows: list[dict[str, Any]] = []
    suggestions: list[Suggestion] = []
    for slug, outlet in OUTLETS.items():
        labelled = [a for a in sorted(site.articles_of(slug), key=lambda a: a.id) if labels.get(a.id)][:per_outlet]
        for rank, article in enumerate(labelled):
            linked = sorted(labels[article.id])
            url = f"https://news.example.jp/{slug}/articles/{article.id}.html"
            row = article_row(url, article.title, article.body, outlet, article.published)
            rows.append(row)
            first = pledges[linked[0]]
            for offset, pledge_id in enumerate(linked):
                pledge = pledges[pledge_id]
                score = round(0.95 - 0.04 * rank - 0.07 * offset - 0.01 * len(rows) % 5, 3)
                suggestions.append(Suggestion(row["id"], pledge_id, score, _evidence(row["body"], pledge.keywords)))
            other = next((p for p in catalog.pledges
                          if p.politician_id == first.politician_id and p.id not in linked), None)
            if other is not None:
                score = round(0.18 + 0.05 * rank + 0.01 * (len(rows) % 3), 3)
                suggestions.append(Suggestion(row["id"], other.id, score, _evidence(row["body"], other.keywords)))
    return rows, suggestions


def store(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], suggestions: list[Suggestion],
          model: str = MODEL) -> None:
    insert(con, "articles", rows, ARTICLES, "ON CONFLICT (id) DO NOTHING")
    save_candidates(con, suggestions, [r["id"] for r in rows], model, "test")


def seed(db: Path, per_outlet: int = 4) -> list[Suggestion]:
    """A migrated database with the catalog and a demo queue; returns the suggestions."""
    migrate(db)
    catalog = load_catalog(CATALOG)
    rows, suggestions = demo_suggestions(catalog, per_outlet)
    with transaction(db) as con:
        save_catalog(con, catalog)
        store(con, rows, suggestions)
    return suggestions


HOSTILE_URL = "javascript:alert(document.cookie)"
HOSTILE_TITLE = "<script>window.__pwned=1;alert('title')</script>高市首相<img src=x onerror=\"window.__pwned=2\">"
HOSTILE_BODY = ("<img src=x onerror=alert(1)>首相は防衛費について<script>window.__pwned=3</script>述べた。"
                "<a href=\"javascript:alert(2)\">詳細</a>")


def add_hostile_article(db: Path, pledge_id: str = "takaichi-defense") -> str:
    """An article whose title, body, lead, evidence and URL carry script payloads."""
    row = article_row(HOSTILE_URL, HOSTILE_TITLE, HOSTILE_BODY, "<b onmouseover=alert(3)>悪意新聞</b>",
                      datetime(2026, 1, 5, 9, 0, tzinfo=UTC), lead=HOSTILE_BODY)
    evidence = {"sentence": HOSTILE_BODY, "terms": ["防衛費", "<script>", "onerror=alert(1)"]}
    with transaction(db) as con:
        store(con, [row], [Suggestion(row["id"], pledge_id, 0.99, evidence)])
    return row["id"]
