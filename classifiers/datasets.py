"""Labelled articles from the repository's own data, as (Document, gold pledge ids).

Two sources: the demo news site (`data/demo_site/`: articles/*.toml and
labels.jsonl) and the labelled set (`data/labelled/`: pledges.jsonl,
articles.jsonl, gold.jsonl).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

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
    return LabelledSet(f"{labelled.name}+roles", merged, labelled.documents, labelled.gold)
