"""Labelled articles from the repository's own data, as (Document, gold pledge ids).

Two sources: the demo news site (`data/demo_site/articles/*.toml`, each article
with its `pledges` labels, the outlet named by the file) and the labelled set
(`data/labelled/`: pledges.jsonl, articles.jsonl, gold.jsonl).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from catalog.load import load_pledges_jsonl
from catalog.model import Catalog
from classifiers.documents import Document, InputError, parse_published, read_articles_jsonl
from classifiers.evaluation import read_gold_jsonl


@dataclass(frozen=True)
class LabelledSet:
    name: str
    catalog: Catalog
    documents: tuple[Document, ...]
    gold: dict[str, set[str]]


def read_demo_site(directory: Path | str, catalog: Catalog, name: str = "demo_site") -> LabelledSet:
    directory = Path(directory)
    documents: list[Document] = []
    gold: dict[str, set[str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        for number, entry in enumerate(raw.get("articles", [])):
            try:
                published = parse_published(entry.get("published"))
            except ValueError as exc:
                raise InputError(path, None, f"articles[{number}].published", str(exc)) from None
            document = Document(
                id=str(entry["id"]),
                title=entry.get("title", ""),
                body=entry.get("body", ""),
                published=published,
                url=entry.get("url"),
                outlet=path.stem,
            )
            documents.append(document)
            gold[document.id] = set(entry.get("pledges", []))
    return LabelledSet(name, catalog, tuple(documents), gold)


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
