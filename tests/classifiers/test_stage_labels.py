"""The stage labels stay in step with the gold links they describe.

Plain json and tomllib on purpose: this checks the data files, so it must not
depend on the code that later learns from them. realnews lives outside the
repository (its texts are the publishers'), beside the worktree.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "data" / "stage_labels"
DEMO = ROOT / "data" / "demo_site"
REALNEWS = ROOT.parent / "shared" / "realnews"

STAGES = {"表明", "検討", "決定", "予算・法案", "成立", "実施"}
DIRECTIONS = {"前進", "後退", "停滞"}
KEYS = {"article_id", "pledge_id", "stage", "direction", "cue"}


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _gold_links(rows: list[dict]) -> Counter:
    return Counter((row["article_id"], pledge) for row in rows for pledge in row["pledge_ids"])


def _check(labels: list[dict], gold: Counter, texts: dict[str, str]) -> None:
    for number, row in enumerate(labels, 1):
        assert set(row) == KEYS, f"line {number}: keys {sorted(row)}"
        assert row["stage"] in STAGES, f"line {number}: stage {row['stage']!r}"
        assert row["direction"] in DIRECTIONS, f"line {number}: direction {row['direction']!r}"
        assert row["cue"].strip(), f"line {number}: empty cue"
        assert row["cue"] in texts[row["article_id"]], f"line {number}: cue {row['cue']!r} not in the article"
    links = Counter((row["article_id"], row["pledge_id"]) for row in labels)
    assert [link for link, n in links.items() if n > 1] == []
    assert sorted(gold - links) == [], "gold links without a label line"
    assert sorted(links - gold) == [], "label lines for links that are not gold"


def test_every_demo_site_link_has_one_valid_label():
    texts = {}
    for path in sorted((DEMO / "articles").glob("*.toml")):
        for article in tomllib.loads(path.read_text(encoding="utf-8"))["articles"]:
            texts[article["id"]] = article["title"] + "\n" + article["body"]
    gold = _gold_links(_jsonl(DEMO / "labels.jsonl"))
    assert len(gold) == 54
    _check(_jsonl(LABELS / "demo_site.jsonl"), gold, texts)


def test_every_realnews_link_has_one_valid_label():
    if not REALNEWS.is_dir():
        pytest.skip(f"{REALNEWS} is not beside this checkout")
    texts = {a["id"]: a["title"] + "\n" + a["body"] for a in _jsonl(REALNEWS / "articles.jsonl")}
    gold = _gold_links(_jsonl(REALNEWS / "gold.jsonl"))
    assert len(gold) == 248
    _check(_jsonl(LABELS / "realnews.jsonl"), gold, texts)


def test_regress_notes_are_labelled_backwards():
    """Every realnews link whose note starts with a clear REGRESS: is 後退 here
    (the notes are one annotator's hint, so only the clear ones are held to it)."""
    if not REALNEWS.is_dir():
        pytest.skip(f"{REALNEWS} is not beside this checkout")
    regress = {row["article_id"] for row in _jsonl(REALNEWS / "labels.jsonl") if row["note"].startswith("REGRESS:")}
    labels = _jsonl(LABELS / "realnews.jsonl")
    forward = sorted(
        (row["article_id"], row["pledge_id"])
        for row in labels
        if row["article_id"] in regress and row["direction"] != "後退"
    )
    assert forward == []
