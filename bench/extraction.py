"""Extraction quality and speed on the annotated fixture pages, side by side with trafilatura.

    .venv/bin/python bench/extraction.py [--fixtures ../shared/fixtures] [--no-readme]

For every page in fixtures/html/ that has fixtures/expected/<outlet>/<name>.json:
  * title exact: equal after collapsing whitespace runs (ASCII or U+3000) to one space,
    because the annotations themselves disagree on U+3000 vs ASCII space;
  * published exact: same instant to the minute (annotations use JST, +09:00 or UTC);
  * body F1: F1 of the multisets of non-whitespace characters (no tokenizer, so the
    score does not depend on fugashi's segmentation). For `prefix` pages only the
    annotated prefix is known: it is compared with our body cut to the same length.
Each is reported for (a) extract_article with outlet rules, (b) the generic extractor
alone (use_rules=False) and (c) trafilatura on the same bytes, with pages per second
(bytes in → article out, decoding included). The table goes into the extraction section
of bench/README.md; the last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme import write_section  # noqa: E402

from extractors.article import extract_article  # noqa: E402
from extractors.dates import parse_datetime  # noqa: E402

NOTES = [
    "Notes on the remaining misses (the annotations are kept as they are):",
    "",
    "* buzzap date: the annotation copies a `<time datetime>` labelled +00:00 that carries JST wall time; "
    "the page's `article:published_time` (00:18Z = 09:18 JST) matches the visible 09:18, and that is what "
    "we return.",
    "* scan_netsecurity body: a paywalled page whose annotated prefix is a photo caption; we drop captions "
    "and return the page's own summary.",
    "* lifehacker_jp / publickey bodies: the annotated prefixes include image credits and the dateline, "
    "which we drop on purpose.",
    "* nikkei, generic alone: appointee profile boxes inside the article section are kept as body text; "
    "the nikkei rule excludes them.",
    "* trafilatura reports dates without a time of day, so it never matches to the minute.",
]


@dataclass
class Page:
    outlet: str
    name: str
    url: str
    html: bytes
    expected: dict


@dataclass
class Result:
    title: str | None
    published: datetime | None
    body: str
    rule: str = ""


def load_pages(fixtures: Path) -> list[Page]:
    manifest = json.loads((fixtures / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for entry in manifest["html"]:
        expected_path = fixtures / (entry.get("expected") or "")
        if not entry.get("expected") or not expected_path.is_file():
            continue
        pages.append(
            Page(
                outlet=entry["outlet"],
                name=Path(entry["html"]).stem,
                url=entry["url"],
                html=(fixtures / entry["html"]).read_bytes(),
                expected=json.loads(expected_path.read_text(encoding="utf-8")),
            )
        )
    return pages


def ours(page: Page, use_rules: bool) -> Result:
    article = extract_article(page.html, page.url, use_rules=use_rules)
    return Result(article.title, article.published, article.body, article.rule)


def trafilatura_result(page: Page) -> Result:
    import trafilatura

    raw = trafilatura.extract(page.html, url=page.url, output_format="json", with_metadata=True, deduplicate=False)
    data = json.loads(raw) if raw else {}
    published = parse_datetime(data["date"]) if data.get("date") else None
    return Result(data.get("title"), published, data.get("text") or "")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _chars(text: str) -> str:
    return re.sub(r"\s+", "", text)


def char_f1(got: str, want: str) -> float:
    a, b = Counter(got), Counter(want)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def score(page: Page, result: Result) -> dict:
    expected = page.expected
    title_ok = None
    if expected.get("title") is not None:
        title_ok = result.title is not None and _norm(result.title) == _norm(expected["title"])
    date_ok = None
    if expected.get("published"):
        want = parse_datetime(expected["published"])
        got = result.published
        date_ok = got is not None and got.replace(second=0, microsecond=0) == want.replace(second=0, microsecond=0)
    if expected.get("body") is not None:
        f1 = char_f1(_chars(result.body), _chars(expected["body"]))
    else:
        prefix = _chars(expected["body_prefix"])
        f1 = char_f1(_chars(result.body)[: len(prefix)], prefix)
    return {"title": title_ok, "date": date_ok, "f1": f1}


def pages_per_second(pages: list[Page], run, min_seconds: float) -> float:
    for page in pages:
        run(page)
    done, start = 0, time.perf_counter()
    while True:
        for page in pages:
            run(page)
        done += len(pages)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def share(values: list[bool | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def machine() -> str:
    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM"
    except ImportError:
        memory = "RAM unknown"
    cpu = platform.processor() or "cpu"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = re.findall(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = names[0].strip() if names else cpu
    import selectolax
    import trafilatura

    return (
        f"{os.cpu_count()} cores ({cpu}), {memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, selectolax {selectolax.__version__}, "
        f"trafilatura {trafilatura.__version__}; single process, one page at a time"
    )


def fmt(value: float | None, total: int | None = None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if total is None else f"{round(value * total)}/{total}"


def build_table(pages: list[Page], scores: dict[str, list[dict]], rules: list[str]) -> list[str]:
    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        by_outlet[page.outlet].append(i)
    header = (
        "| outlet | pages | rule | title exact | date exact | body F1 | generic body F1 "
        "| trafilatura body F1 | trafilatura title | trafilatura date |"
    )
    lines = [header, "|" + "---|" * 10]

    def row(label: str, idx: list[int], rule: str) -> str:
        cells = []
        for system in ("ours", "generic", "trafilatura"):
            picked = [scores[system][i] for i in idx]
            cells.append(
                (
                    share([s["title"] for s in picked]),
                    sum(s["title"] is not None for s in picked),
                    share([s["date"] for s in picked]),
                    sum(s["date"] is not None for s in picked),
                    mean([s["f1"] for s in picked]),
                )
            )
        (t, tn, d, dn, f1), (_, _, _, _, gf1), (tt, ttn, td, tdn, tf1) = cells
        return (
            f"| {label} | {len(idx)} | {rule} | {fmt(t, tn or None)} | {fmt(d, dn or None)} "
            f"| {f1:.3f} | {gf1:.3f} | {tf1:.3f} | {fmt(tt, ttn or None)} | {fmt(td, tdn or None)} |"
        )

    for outlet in sorted(by_outlet):
        idx = by_outlet[outlet]
        used = sorted({rules[i] for i in idx})
        lines.append(row(outlet, idx, ", ".join(used)))
    lines.append(row("**all**", list(range(len(pages))), ""))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum timing per system")
    args = parser.parse_args()

    pages = load_pages(args.fixtures)
    if not pages:
        sys.exit(f"no annotated pages under {args.fixtures}")
    systems = {
        "ours": lambda p: ours(p, use_rules=True),
        "generic": lambda p: ours(p, use_rules=False),
        "trafilatura": trafilatura_result,
    }
    results = {name: [run(p) for p in pages] for name, run in systems.items()}
    scores = {name: [score(p, r) for p, r in zip(pages, res, strict=True)]
              for name, res in results.items()}  # fmt: skip
    speed = {name: pages_per_second(pages, run, args.seconds) for name, run in systems.items()}
    rules = [r.rule for r in results["ours"]]

    for i, page in enumerate(pages):
        s, g, t = (scores[n][i] for n in ("ours", "generic", "trafilatura"))
        print(
            f"{page.outlet:24s} {page.name:32s} {rules[i]:16s} title={s['title']!s:5s} "
            f"date={s['date']!s:5s} f1={s['f1']:.3f} generic={g['f1']:.3f} "
            f"trafilatura={t['f1']:.3f}"
        )

    table = build_table(pages, scores, rules)
    speed_line = (
        f"Pages per second (bytes → article, {len(pages)} pages, mean size "
        f"{mean([len(p.html) for p in pages]) / 1024:.0f} KiB): ours {speed['ours']:.0f}, "
        f"generic alone {speed['generic']:.0f}, trafilatura {speed['trafilatura']:.1f} "
        f"→ **{speed['ours'] / speed['trafilatura']:.0f}×** trafilatura."
    )
    summary = {
        "title_exact": round(share([s["title"] for s in scores["ours"]]) or 0.0, 4),
        "date_exact": round(share([s["date"] for s in scores["ours"]]) or 0.0, 4),
        "body_f1": round(mean([s["f1"] for s in scores["ours"]]), 4),
        "generic_body_f1": round(mean([s["f1"] for s in scores["generic"]]), 4),
        "trafilatura_body_f1": round(mean([s["f1"] for s in scores["trafilatura"]]), 4),
        "speed_ratio_vs_trafilatura": round(speed["ours"] / speed["trafilatura"], 1),
    }
    below = [
        pages[i].name for i in range(len(pages)) if scores["ours"][i]["f1"] + 1e-9 < scores["trafilatura"][i]["f1"]
    ]
    section = "\n".join(
        [
            "Produced by `.venv/bin/python bench/extraction.py` (re-run to refresh; this section",
            "is rewritten between its markers, the rest of the file is left alone).",
            "",
            f"Machine: {machine()}.",
            "",
            "Method: title exact = equal after collapsing whitespace (ASCII or U+3000) to one "
            "space; date exact = same instant to the minute; body F1 = F1 of the multisets of "
            "non-whitespace characters, `prefix` pages compared on the annotated prefix only. "
            "rule = the rule string our extractor reported.",
            "",
            *table,
            "",
            speed_line,
            "",
            "Pages where our body F1 is below trafilatura's: " + (", ".join(below) if below else "none") + ".",
            "",
            *NOTES,
            "",
            "```json",
            json.dumps(summary, ensure_ascii=False),
            "```",
        ]
    )
    print()
    print("\n".join(table))
    print(speed_line)
    if not args.no_readme:
        write_section("extraction", "Extraction", section)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
