"""Labelled articles, as (Document, gold pledge ids).

Three forms: the demo news site (`data/demo_site/`: articles/*.toml and
labels.jsonl), our own labelled set (`data/labelled/`: pledges.jsonl,
articles.jsonl, gold.jsonl), and real-news sets (`../shared/realnews/`,
`data/realnews/`: the same files plus labels.jsonl with each article's kind
and the search query that found it, which stands for its event: reports of
one event from several outlets must stay in one cross-validation fold).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from catalog.files import read_jsonl
from catalog.load import load_pledges_jsonl
from catalog.model import Catalog
from classifiers.documents import Document, InputError, read_articles_jsonl
from classifiers.evaluation import read_gold_jsonl
from demosite.site import load_site


@dataclass(frozen=True)
class LabelledSet:
    name: str
    catalog: Catalog
    documents: tuple[Document, ...]
    gold: dict[str, set[str]]
    kinds: dict[str, str] = field(default_factory=dict)  # article id → positive / hard_negative / other_actor
    groups: dict[str, str] = field(default_factory=dict)  # article id → event; absent: the article is its own

    def group_of(self, article_id: str) -> str:
        return self.groups.get(article_id, f"article:{article_id}")


def read_demo_site(site: Path | str, catalog: Catalog, name: str = "demo_site") -> LabelledSet:
    """The demo site's articles as its server loads them, with labels.jsonl;
    an article without a label line is an error, not a silent negative."""
    site = Path(site)
    gold = read_gold_jsonl(site / "labels.jsonl")
    documents = tuple(
        Document(id=a.id, title=a.title, body=a.body, published=a.published, url=a.path, outlet=a.outlet)
        for a in load_site(site).articles
    )
    missing = [d.id for d in documents if d.id not in gold]
    if missing:
        raise InputError(site / "labels.jsonl", None, "article_id", f"no label line for {', '.join(missing)}")
    return LabelledSet(name, catalog, documents, {d.id: gold[d.id] for d in documents})


def read_labelled(directory: Path | str) -> LabelledSet:
    directory = Path(directory)
    catalog = load_pledges_jsonl(directory / "pledges.jsonl")
    documents = read_articles_jsonl(directory / "articles.jsonl")
    gold = read_gold_jsonl(directory / "gold.jsonl")
    labelled = {d.id: gold.get(d.id, set()) for d in documents}
    return LabelledSet(directory.name, catalog, tuple(documents), labelled)


def read_realnews(directory: Path | str, name: str | None = None) -> LabelledSet:
    """A real-news set: `read_labelled` plus labels.jsonl (kind, query_no)."""
    directory = Path(directory)
    labelled = read_labelled(directory)
    kinds: dict[str, str] = {}
    groups: dict[str, str] = {}
    path = directory / "labels.jsonl"
    for number, record in read_jsonl(path, InputError):
        article_id = str(record.get("article_id", ""))
        if article_id not in labelled.gold:
            raise InputError(path, number, "article_id", f"unknown article {article_id!r}")
        kinds[article_id] = str(record.get("kind", ""))
        query = record.get("query_no")
        if query is not None:
            groups[article_id] = f"{name or directory.name}:q{query}"
    return replace(labelled, name=name or labelled.name, kinds=kinds, groups=groups)


def with_catalog_roles(labelled: LabelledSet, catalog: Catalog) -> LabelledSet:
    """The labelled set as the nightly flow sees it: politicians the catalog
    knows (matched by name) get their catalog entry, roles included; the
    others stay name-only, as in a pledges file."""
    by_name = {p.name: p for p in catalog.politicians}
    politicians, renamed = [], {}
    for politician in labelled.catalog.politicians:
        known = by_name.get(politician.name, politician)
        politicians.append(known)
        renamed[politician.id] = known.id
    pledges = tuple(replace(p, politician_id=renamed[p.politician_id]) for p in labelled.catalog.pledges)
    merged = Catalog(politicians=tuple(politicians), pledges=pledges)
    return replace(labelled, name=f"{labelled.name}+roles", catalog=merged)


# Real news to learn from and validate on: the shared set read in place
# (its texts stay with their publishers) and ours.
_ROOT = Path(__file__).resolve().parents[1]
REALNEWS_DIRS = (("realnews", _ROOT.parent / "shared" / "realnews"), ("realnews-extra", _ROOT / "data" / "realnews"))


def real_news_sets() -> list[LabelledSet]:
    """Every real-news set present: the shared one is absent outside this workplace."""
    return [read_realnews(path, name) for name, path in REALNEWS_DIRS if (path / "labels.jsonl").is_file()]
