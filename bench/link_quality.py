"""Link quality by grouped cross-validation: real news first.

    .venv/bin/python bench/link_quality.py [--folds 5] [--owner]

Trains on every labelled set (the demo site, data/labelled as the nightly flow
and as `pledgewatch score` see it, ../shared/realnews and data/realnews when
present), five folds grouped by event (reports of one event stay together),
and reports each set's held-out figures; `--owner` groups by the pledges'
owners instead (whole politicians and parties left out). The last line is one
JSON object of the real-news figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.load import load_catalog  # noqa: E402
from classifiers.crossval import by_event, by_owner, cross_validate  # noqa: E402
from classifiers.datasets import read_demo_site, read_labelled, real_news_sets, with_catalog_roles  # noqa: E402

FIGURES = ("hit_at_1", "average_precision", "f1", "precision", "recall", "no_pledge_flagged",
           "expected_calibration_error")


def labelled_sets():
    catalog = load_catalog(ROOT / "data" / "pledges.toml")
    labelled = read_labelled(ROOT / "data" / "labelled")
    demo = read_demo_site(ROOT / "data" / "demo_site", catalog)
    return [demo, with_catalog_roles(labelled, catalog), labelled, *real_news_sets()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--owner", action="store_true", help="group folds by pledge owner")
    args = parser.parse_args()
    sets = labelled_sets()
    started = time.perf_counter()
    result = cross_validate(sets, folds=args.folds, grouping=by_owner if args.owner else by_event)
    figures = {}
    for name, report in result.pairwise.items():
        cold = result.cold_start[name]
        print(f"\n== {name} ({'owner' if args.owner else 'event'}-grouped, {args.folds} folds)")
        print(report.format_text().split("worst misses")[0].rstrip())
        print(f"cold start: hit@1 {cold.hit_at_1:.3f}  AP {cold.average_precision:.3f}  F1 {cold.f1:.3f}  "
              f"flagged {cold.no_pledge_flagged:.3f}")
        warm = result.with_activities[name]
        print(f"with the training folds' activities approved: hit@1 {warm.hit_at_1:.3f}  "
              f"AP {warm.average_precision:.3f}  F1 {warm.f1:.3f}  flagged {warm.no_pledge_flagged:.3f}")
        figures[name] = {k: round(getattr(report, k), 4) for k in FIGURES}
        figures[name]["with_activities"] = {k: round(getattr(warm, k), 4) for k in FIGURES}
        if report.by_kind:
            figures[name]["by_kind"] = {k: {m: (None if v is None else round(v, 4)) for m, v in row.items()}
                                        for k, row in report.by_kind.items()}
    print(f"\n{time.perf_counter() - started:.0f} s")
    print(json.dumps({"grouping": "owner" if args.owner else "event", **figures}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
