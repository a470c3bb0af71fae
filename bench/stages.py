"""Stage and direction suggestions, cross-validated by event (not a test).

Every stage-labelled activity of realnews (`../shared/realnews`, grouped by the
search query that found it: one query, one story) and of the demo site (grouped
by article) becomes a passage: the title, the lead and the sentence sharing
most terms with the pledge, with its neighbours. `StageModel` is trained and
tested on 5 group folds (no story in both train and test); beside it, the
lexicon alone (the last stage cue of the passage; 後退/停滞 when such a cue
occurs) shows what the learning adds.

Usage: .venv/bin/python bench/stages.py [--folds 5] [--no-readme]
Rewrites the stages section of bench/README.md (between its markers); the
last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# One BLAS thread unless told otherwise: the fits are small, and on a shared
# 2-core machine BLAS threads fighting other work made each one 14 × slower
# (a cross-validation of 5 min instead of 15 s). Set before numpy loads.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402
from readme import write_section  # noqa: E402
from sklearn.metrics import confusion_matrix  # noqa: E402

from classifiers.stage_training import cross_validate, data_examples, figures  # noqa: E402
from classifiers.stages import STAGES, suggest_by_lexicon  # noqa: E402

REGRESS = "後退"


def confusion_table(gold: list[str], predicted: list[str]) -> str:
    matrix = confusion_matrix(gold, predicted, labels=list(STAGES))
    lines = ["| labelled ↓ / suggested → | " + " | ".join(STAGES) + " | recall |",
             "|---|" + "---|" * (len(STAGES) + 1)]
    for label, row in zip(STAGES, matrix, strict=True):
        recall = row[STAGES.index(label)] / row.sum() if row.sum() else 0.0
        lines.append(f"| **{label}** | " + " | ".join(str(v) for v in row) + f" | {recall:.2f} |")
    return "\n".join(lines)


def readme_section(result: dict, baseline: dict, table: str, counts: dict, per_set: dict) -> str:
    def row(name: str, f: dict) -> str:
        return (f"| {name} | {f['stage_accuracy']:.3f} | {f['stage_macro_f1']:.3f} | {f['direction_accuracy']:.3f} "
                f"| {f['regress_precision']:.3f} | {f['regress_recall']:.3f} |")

    return "\n".join([
        "Produced by `.venv/bin/python bench/stages.py` (re-run to refresh; this section is rewritten between its",
        "markers, the rest of the file is left alone).",
        "",
        f"Data: {counts['examples']} stage-labelled activities ({counts['realnews']} realnews links, "
        f"{counts['demo_site']} demo-site links; `data/stage_labels/`, codebook `docs/stage-codebook.md`), "
        f"{result['folds']} folds grouped by event ({counts['groups']} groups: realnews by search query, demo site by "
        "article). Passage = title + lead + the sentence sharing most terms with the pledge ± 1 sentence.",
        "",
        "Targets (issue 15): stage accuracy ≥ 0.80; 後退 recall ≥ 0.80 at precision ≥ 0.70.",
        "",
        "| suggester | stage accuracy | stage macro-F1 | direction accuracy | 後退 precision | 後退 recall |",
        "|---|---|---|---|---|---|",
        row("StageModel (cue lexicon + char 2–3-grams, calibrated LR)", result),
        row("lexicon only (last stage cue; 後退/停滞 if such a cue occurs)", baseline),
        *(row(f"StageModel, {name} only", f) for name, f in per_set.items()),
        "",
        "Confusion of stages (StageModel, all folds):",
        "",
        table,
        "",
        f"Confidence: {result['confident_share']:.0%} of suggestions have stage confidence ≥ 0.7, and "
        f"{result['confident_accuracy']:.0%} of those are right. Labels by one annotator (an AI) who also wrote the "
        "lexicon after reading the data: expect lower figures on unseen text.",
        "",
        "```json",
        json.dumps(result, ensure_ascii=False, sort_keys=True),
        "```",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    args = parser.parse_args()
    started = time.perf_counter()
    examples = data_examples()
    gold_s, gold_d = [e.stage for e in examples], [e.direction for e in examples]
    pred_s, pred_d, confidence = cross_validate(examples, args.folds)
    result = figures(gold_s, gold_d, pred_s, pred_d)
    confident = [i for i, c in enumerate(confidence) if c >= 0.7]
    result.update({
        "folds": args.folds,
        "examples": len(examples),
        "regress_labelled": gold_d.count(REGRESS),
        "regress_suggested": pred_d.count(REGRESS),
        "confident_share": round(len(confident) / len(examples), 4),
        "confident_accuracy": round(float(np.mean([pred_s[i] == gold_s[i] for i in confident])) if confident else 0.0,
                                    4),
        "seconds": round(time.perf_counter() - started, 1),
    })
    rule = [suggest_by_lexicon(e.text) for e in examples]
    baseline = figures(gold_s, gold_d, [r.stage for r in rule], [r.direction for r in rule])
    per_set = {}
    for name in ("realnews", "demo"):
        rows = [i for i, e in enumerate(examples) if e.group.startswith(name)]
        per_set[name] = figures([gold_s[i] for i in rows], [gold_d[i] for i in rows],
                                [pred_s[i] for i in rows], [pred_d[i] for i in rows])
    counts = {"examples": len(examples), "groups": len({e.group for e in examples}),
              "realnews": sum(e.group.startswith("realnews") for e in examples),
              "demo_site": sum(e.group.startswith("demo") for e in examples)}
    table = confusion_table(gold_s, pred_s)
    print(table)
    print("lexicon only:", json.dumps(baseline, ensure_ascii=False))
    for name, f in per_set.items():
        print(f"{name}:", json.dumps(f, ensure_ascii=False))
    print("stages labelled:", dict(Counter(gold_s)), "directions:", dict(Counter(gold_d)))
    if not args.no_readme:
        write_section("stages", "Stages", readme_section(result, baseline, table, counts, per_set))
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
