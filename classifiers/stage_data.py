"""Stage-labelled activities as (passage, stage, direction) examples.

The passage is what `classifiers.stages.passage` gives for the sentence that
shares most terms with the pledge (title and keywords), standing in for the
scorer's evidence sentence, so the benchmark and the tests see the text a
suggestion will be made from, not the labeller's cue.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from catalog.load import load_catalog
from classifiers.documents import Document
from classifiers.stages import DIRECTIONS, STAGES, passage
from classifiers.tokenize import AnalyzedDocument, Tokenizer
from demosite.site import load_site


@dataclass(frozen=True)
class StageExample:
    article_id: str
    pledge_id: str
    text: str
    stage: str
    direction: str
    cue: str
    group: str  # one event: examples of one group never straddle a train/test split


def read_stage_labels(path: Path) -> list[dict]:
    """Label lines, with the file and line named on a bad value."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("stage") not in STAGES or row.get("direction") not in DIRECTIONS:
                raise ValueError(f"{path}:{number}: stage {row.get('stage')!r} / direction {row.get('direction')!r}")
            rows.append(row)
    return rows


def matched_sentence(document: AnalyzedDocument, pledge_terms: Iterable[str]) -> int:
    """Index of the body sentence holding most of the pledge's terms (the
    first of equals; the first body sentence when none holds any)."""
    wanted = set(pledge_terms)
    best, best_count = None, -1
    for index, sentence in enumerate(document.sentences):
        if sentence.section == "title":
            continue
        count = len(wanted.intersection(sentence.terms))
        if count > best_count:
            best, best_count = index, count
    return 0 if best is None else best


def examples(
    labels: Sequence[dict],
    documents: dict[str, Document],
    pledge_texts: dict[str, str],
    groups: dict[str, str],
    tokenizer: Tokenizer,
) -> list[StageExample]:
    analyzed: dict[str, AnalyzedDocument] = {}
    out = []
    for row in labels:
        article = row["article_id"]
        if article not in analyzed:
            analyzed[article] = tokenizer.analyze(documents[article])
        doc = analyzed[article]
        index = matched_sentence(doc, tokenizer.terms(pledge_texts[row["pledge_id"]]))
        out.append(StageExample(article, row["pledge_id"], passage(doc, index), row["stage"], row["direction"],
                                row["cue"], groups[article]))
    return out


def realnews_examples(realnews: Path, labels_path: Path, tokenizer: Tokenizer) -> list[StageExample]:
    """Grouped by the search query that found the article: one query is one
    event or story, told by several outlets."""
    documents, pledges, groups = {}, {}, {}
    for line in (realnews / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        documents[a["id"]] = Document(a["id"], a["title"], a["body"], url=a["url"])
    for line in (realnews / "pledges.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        pledges[p["id"]] = p["title"]
    for line in (realnews / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        groups[row["article_id"]] = f"realnews:q{row['query_no']}"
    return examples(read_stage_labels(labels_path), documents, pledges, groups, tokenizer)


def demo_site_examples(site: Path, catalog_path: Path, labels_path: Path, tokenizer: Tokenizer) -> list[StageExample]:
    """Grouped by article: the demo site's stories are written one per event."""
    documents = {a.id: Document(a.id, a.title, a.body, url=a.path) for a in load_site(site).articles}
    pledges = {p.id: " ".join([p.title, *p.keywords]) for p in load_catalog(catalog_path).pledges}
    groups = {article: f"demo:{article}" for article in documents}
    return examples(read_stage_labels(labels_path), documents, pledges, groups, tokenizer)
