"""What the operator reads after a run: stage counts, errors by kind, top suggestions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

STAGES = [
    ("sources suspended", ("sources_suspended",)),
    ("feeds read", ("feeds_ok",)),
    ("feeds not modified", ("feeds_not_modified", "feeds_unchanged")),
    ("pages fetched", ("pages_ok",)),
    ("pages already known", ("pages_known",)),
    ("pages skipped (robots)", ("pages_skipped",)),
    ("fetch errors", ("feeds_error", "pages_error")),
    ("articles extracted", ("extracted",)),
    ("articles inserted", ("inserted",)),
    ("duplicates", ("duplicates",)),
    ("articles tokenized", ("tokenized",)),
    ("articles scored", ("scored",)),
    ("candidates stored", ("candidates",)),
]


def format_counts(counts: Mapping[str, int], errors: Mapping[str, int]) -> str:
    lines = []
    width = max(len(label) for label, _ in STAGES)
    for label, keys in STAGES:
        lines.append(f"  {label:<{width}}  {sum(counts.get(k, 0) for k in keys):>6}")
    if errors:
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(errors.items()))
        lines.append(f"  {'errors by kind':<{width}}  {detail}")
    return "\n".join(lines)


def format_suggestions(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "  (no suggestions waiting for review)"
    lines = []
    for number, row in enumerate(rows, start=1):
        evidence = row["evidence"]
        if isinstance(evidence, str):
            evidence = json.loads(evidence)
        published = row["published"].strftime("%Y-%m-%d") if row.get("published") else "日付不明"
        lines.append(f"{number:>3}. {row['score']:.2f}  {row['politician']}「{row['pledge_title']}」")
        lines.append(f"       ← {row['article_title']}（{row['outlet']} {published}）")
        sentence = (evidence or {}).get("sentence")
        if sentence:
            lines.append(f"       根拠: {sentence[:90]}")
        terms = (evidence or {}).get("terms")
        if terms:
            lines.append(f"       一致語: {'、'.join(terms[:8])}")
    return "\n".join(lines)
