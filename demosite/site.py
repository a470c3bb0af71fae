"""Loading the demo news site's description and articles from data/demo_site."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    encoding: str
    feed: str  # rss2 | atom | rdf | sitemap
    layout: str  # classic | modern | jsonld
    date_style: str


@dataclass(frozen=True)
class DemoArticle:
    id: str
    outlet: str
    published: datetime
    section: str
    title: str
    body: str

    @property
    def path(self) -> str:
        return f"/{self.outlet}/articles/{self.id}.html"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.strip().split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Fault:
    outlet: str
    kind: str  # robots | not_found | server_error | redirect | truncated
    path: str | None = None
    article: str | None = None
    title: str | None = None
    published: datetime | None = None
    fail_times: int = 0


@dataclass
class DemoSite:
    outlets: list[Outlet]
    articles: list[DemoArticle]
    faults: list[Fault]
    robots_disallow: list[str] = field(default_factory=list)

    def outlet(self, slug: str) -> Outlet:
        return next(o for o in self.outlets if o.slug == slug)

    def articles_of(self, slug: str) -> list[DemoArticle]:
        return sorted((a for a in self.articles if a.outlet == slug), key=lambda a: a.published, reverse=True)


def load_site(root: Path | str) -> DemoSite:
    root = Path(root)
    config = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    outlets = [Outlet(**o) for o in config["outlets"]]
    articles: list[DemoArticle] = []
    for outlet in outlets:
        path = root / "articles" / f"{outlet.slug}.toml"
        if not path.exists():
            continue
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("articles", []):
            articles.append(DemoArticle(
                id=entry["id"], outlet=outlet.slug, published=entry["published"],
                section=entry.get("section", "politics"), title=entry["title"], body=entry["body"],
            ))
    faults = [Fault(**f) for f in config.get("faults", [])]
    return DemoSite(outlets, articles, faults, config.get("robots", {}).get("disallow", []))
