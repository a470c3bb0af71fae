"""What people read: after a run, the operator's summary (stage counts, errors by
kind, source health, top suggestions) and the run list; for everyone, a static
HTML report with charts that opens from a file, with no server and no network."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

from classifiers.stage_names import STAGES as POLICY_STAGES

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


# --- after a run, and in `pledgewatch runs` ----------------------------------------------

_HEALTH_MARK = {"ok": "ok", "degraded": "DEGRADED", "failing": "FAILING", "suspended": "SUSPENDED"}


def format_source_health(health: Sequence[Mapping[str, Any]]) -> str:
    """One line per source, problems first, so the operator's eye lands on them."""
    if not health:
        return "  (no source was crawled)"
    order = {"suspended": 0, "failing": 1, "degraded": 2, "ok": 3}
    rows = sorted(health, key=lambda h: (order.get(h["status"], 9), h["source_id"]))
    width = max(len(h["source_id"]) for h in rows)
    lines = []
    for h in rows:
        errors = ", ".join(f"{kind} {n}" for kind, n in sorted((h.get("errors") or {}).items()))
        streak = h.get("consecutive_failures") or 0
        line = (f"  {h['source_id']:<{width}}  {_HEALTH_MARK.get(h['status'], h['status']):<9}  "
                f"feed {h.get('feed') or '—':<12} pages {h.get('pages_ok', 0):>5} ok {h.get('pages_failed', 0):>4} "
                f"failed  articles {h.get('articles', 0):>5}")
        if errors:
            line += f"  errors: {errors}"
        if streak:
            line += f"  ({streak} failed runs in a row)"
        lines.append(line)
        if h["status"] != "ok" and h.get("last_error"):
            lines.append(f"  {'':<{width}}  last error: {h['last_error']}")
    return "\n".join(lines)


def format_stage_times(counts: Mapping[str, int]) -> str:
    parts = [f"{key.removeprefix('ms_')} {value / 1000:.1f} s" for key, value in counts.items()
             if key.startswith("ms_")]
    return "  stage times: " + ", ".join(parts) if parts else ""


RUN_COLUMNS = ("started", "run", "status", "took", "fetched", "inserted", "scored", "candidates", "errors")


def run_rows(runs: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """`pledgewatch runs` as plain cells (v_runs rows in, newest first)."""
    rows: list[tuple[str, ...]] = []
    for r in runs:
        took = f"{r['seconds']:.1f} s" if r.get("seconds") is not None else "—"
        rows.append((f"{r['started_at']:%Y-%m-%d %H:%M}", r["run_id"], r["status"], took,
                     str(r["pages_fetched"]), str(r["articles_inserted"]), str(r["articles_scored"]),
                     str(r["candidates"]), str(r["errors"])))
    return rows


# --- `pledgewatch report`: one static HTML file, charts as inline SVG ----------------------

_PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")
_HEALTH_COLORS = {"ok": "#16a34a", "unchanged": "#93c5fd", "errors": "#dc2626", "skipped": "#d97706"}
# One colour per stage, light to dark along the way; pledges without a stage in grey.
_STAGE_COLORS = {**dict(zip(POLICY_STAGES, ("#bfdbfe", "#93c5fd", "#60a5fa", "#3b82f6", "#1d4ed8", "#1e3a8a"),
                            strict=True)), "": "#d1d5db"}
_WIDTH, _HEIGHT = 760, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 16, 16, 40


def html_report(data: Any, generated_at: datetime) -> str:
    """`data` is a storage.analytics.ReportData. The page needs no server, no
    script and no network: styles and charts are inline."""
    totals = data.totals
    cards = "".join(
        f'<div class="card"><div class="value">{value:,}</div><div class="label">{escape(label)}</div></div>'
        for label, value in (
            ("articles", totals["articles"]), ("suggestions", totals["suggestions"]),
            ("waiting for review", totals["waiting"]), ("approved activities", totals["activities"]),
            ("pledges with activity", totals["pledges_with_activity"]), ("pledges", totals["pledges"]),
        ))
    series: dict[str, list[tuple[date, int]]] = {}
    for pledge, week, count in data.activities:
        series.setdefault(pledge, []).append((week, int(count)))
    weekly = {w: (s, a) for w, s, a in data.weekly}
    weeks = every_week(weekly)
    by_source: dict[str, dict[str, int]] = {}
    for source, _day, ok, unchanged, errors, skipped in data.source_days:
        entry = by_source.setdefault(source, dict.fromkeys(_HEALTH_COLORS, 0))
        for key, value in zip(_HEALTH_COLORS, (ok, unchanged, errors, skipped), strict=True):
            entry[key] += int(value)
    sections = [
        _figure("activities", "Approved activities per pledge, by week of publication",
                line_chart(series), "The pledges with the most approved activities (up to 8)."),
        _figure("weekly", "Suggestions vs approvals, by week",
                grouped_bars(weeks, {"suggestions": [weekly.get(w, (0, 0))[0] for w in weeks],
                                     "approvals": [weekly.get(w, (0, 0))[1] for w in weeks]}),
                "Suggestions: candidate links the model stored that week. Approvals: links moderators approved "
                "(or re-linked) that week and still stand."),
        _figure("sources", "Source health, fetches of the last 14 days",
                stacked_bars(sorted(by_source.items()), _HEALTH_COLORS),
                "Per outlet: pages and feeds fetched, unchanged (304 or already known), failed, skipped by "
                "robots.txt.", _table(
                    ("source", "outlet", "kind", "suspended", "failed runs in a row", "last success", "last error"),
                    [(s["source_id"], s["outlet"], s["kind"], "yes" if s["suspended"] else "",
                      str(s["consecutive_failures"]), _when(s["last_success_at"]), s["last_error"] or "")
                     for s in data.sources])),
        _figure("stages", "Pledges by furthest stage reached, per politician",
                stacked_bars(furthest_rows(data.furthest), {_stage_label(k): c for k, c in _STAGE_COLORS.items()},
                             "pledges by furthest stage", "No pledges in the catalog yet."),
                "Per politician: pledges by the furthest stage their approved activities reached (v_pledge_progress; "
                "a later 後退 does not move a pledge out of its stage here). Grey: no stage yet."),
        '<section><h2>Recent runs</h2>' + _table(
            ("started", "run", "status", "took", "fetched", "inserted", "scored", "candidates", "errors"),
            [row[:9] for row in run_rows(data.runs)]) + "</section>",
    ]
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>pledgewatch report {generated_at:%Y-%m-%d %H:%M}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>pledgewatch report</h1><p>Generated {generated_at:%Y-%m-%d %H:%M %Z} from "
        f"<code>{escape(data.source)}</code></p></header><main><div class=\"cards\">{cards}</div>"
        + "".join(sections) + "</main></body></html>"
    )


def _stage_label(stage: str) -> str:
    return stage or "段階なし"


def furthest_rows(furthest: Sequence[tuple[str, str, int]]) -> list[tuple[str, dict[str, int]]]:
    """(politician, {stage label: pledges}) in the order of the stages, for stacked_bars."""
    rows: dict[str, dict[str, int]] = {}
    for politician, stage, count in furthest:
        rows.setdefault(politician, {})[_stage_label(stage)] = int(count)
    return sorted(rows.items())


def _figure(name: str, title: str, svg: str, caption: str, after: str = "") -> str:
    return (f'<section id="{name}"><h2>{escape(title)}</h2><figure>{svg}'
            f"<figcaption>{escape(caption)}</figcaption></figure>{after}</section>")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body or _EMPTY_ROW}</tbody></table>"


_EMPTY_ROW = '<tr><td colspan="9">none yet</td></tr>'


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


def _empty(message: str) -> str:
    return (f'<svg class="chart empty" viewBox="0 0 {_WIDTH} 80" role="img" aria-label="{escape(message)}">'
            f'<text x="{_WIDTH / 2}" y="45" text-anchor="middle" class="note">{escape(message)}</text></svg>')


def every_week(weeks: Iterable[date]) -> list[date]:
    """The Mondays from the first week to the last, quiet weeks included, so
    the x axis is time and not just the weeks that had data."""
    known = sorted(weeks)
    if not known:
        return []
    count = (known[-1] - known[0]).days // 7 + 1
    return [known[0] + timedelta(weeks=i) for i in range(count)]


def _nice_max(value: float) -> float:
    """Counts: at least 4, so the five grid lines fall on whole numbers."""
    if value <= 4:
        return 4.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 2.5, 5, 10) if step * magnitude >= value)


def _axes(y_max: float, labels: Sequence[str]) -> tuple[list[str], float, float]:
    """Grid lines with values on the left, x labels thinned to ~10; returns
    the SVG parts, the plot's width and height."""
    width, height = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    parts = []
    for i in range(5):
        value = y_max * i / 4
        y = _TOP + height - height * i / 4
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{_LEFT + width}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:,.0f}</text>')
    step = max(1, math.ceil(len(labels) / 8))
    for i, label in enumerate(labels):
        if i % step == 0:
            x = _LEFT + width * (i + 0.5) / len(labels)
            parts.append(f'<text class="tick" x="{x:.1f}" y="{_TOP + height + 18}" text-anchor="middle">'
                         f"{escape(label)}</text>")
    return parts, width, height


def line_chart(series: Mapping[str, Sequence[tuple[date, int]]]) -> str:
    """One line per series over the union of their weeks (missing weeks are 0)."""
    if not series:
        return _empty("No approved activities yet: they appear as moderators approve suggestions.")
    weeks = every_week({w for points in series.values() for w, _ in points})
    y_max = _nice_max(max(v for points in series.values() for _, v in points))
    parts, width, height = _axes(y_max, [f"{w:%Y-%m-%d}" for w in weeks])
    legend = []
    for number, (name, points) in enumerate(series.items()):
        color = _PALETTE[number % len(_PALETTE)]
        values = dict(points)
        coords = [(_LEFT + width * (i + 0.5) / len(weeks), _TOP + height - height * values.get(w, 0) / y_max)
                  for i, w in enumerate(weeks)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
        parts.append(f'<path class="series" d="{path}" stroke="{color}"><title>{escape(name)}</title></path>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>{escape(name)} '
                  f"{w:%Y-%m-%d}: {values.get(w, 0)}</title></circle>" for (x, y), w in zip(coords, weeks, strict=True)]
        legend.append((name, color))
    return _svg("activities per pledge", parts, legend)


def grouped_bars(labels: Sequence[date], groups: Mapping[str, Sequence[int]]) -> str:
    if not labels:
        return _empty("No suggestions yet: they appear after the first nightly run.")
    y_max = _nice_max(max(max(values) for values in groups.values()))
    parts, width, height = _axes(y_max, [f"{w:%Y-%m-%d}" for w in labels])
    slot = width / len(labels)
    bar = min(slot * 0.8 / len(groups), 36.0)
    legend = []
    for number, (name, values) in enumerate(groups.items()):
        color = _PALETTE[number % len(_PALETTE)]
        legend.append((name, color))
        for i, (week, value) in enumerate(zip(labels, values, strict=True)):
            h = height * value / y_max
            x = _LEFT + slot * i + (slot - bar * len(groups)) / 2 + bar * number
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{_TOP + height - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{color}"><title>{escape(name)} week of {week:%Y-%m-%d}: '
                         f"{value:,}</title></rect>")
    return _svg("suggestions vs approvals", parts, legend)


def stacked_bars(rows: Sequence[tuple[str, Mapping[str, int]]], colors: Mapping[str, str],
                 label: str = "source health", empty: str = "No fetches recorded yet.") -> str:
    """Horizontal bars, one per row (a source, a politician), split by `colors`' keys."""
    if not rows:
        return _empty(empty)
    bar_height, gap, label_width = 22, 8, 150
    height = _TOP + len(rows) * (bar_height + gap) + 30
    width = _WIDTH - label_width - _RIGHT - 60
    total_max = max(sum(values.values()) for _, values in rows) or 1
    parts = []
    for i, (name, values) in enumerate(rows):
        y = _TOP + i * (bar_height + gap)
        parts.append(f'<text class="tick" x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        x = float(label_width)
        for key, color in colors.items():
            w = width * values.get(key, 0) / total_max
            if w > 0:
                parts.append(f'<rect class="bar" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                             f'fill="{color}"><title>{escape(name)} {key}: {values[key]:,}</title></rect>')
            x += w
        parts.append(f'<text class="tick" x="{x + 6:.1f}" y="{y + 15}">{sum(values.values()):,}</text>')
    legend = list(colors.items())
    return _svg(label, parts, legend, height=height)


def _svg(label: str, parts: list[str], legend: Sequence[tuple[str, str]], height: int = _HEIGHT) -> str:
    keys = "".join(f'<span class="key"><span class="swatch" style="background:{color}"></span>{escape(name)}</span>'
                   for name, color in legend)
    return (f'<svg class="chart" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" role="img" '
            f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
            f'<div class="legend">{keys}</div>')


_CSS = """
body{font-family:system-ui,"Hiragino Sans","Noto Sans CJK JP",sans-serif;margin:0;color:#111827;background:#f9fafb}
header{background:#111827;color:#f9fafb;padding:16px 24px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#d1d5db}main{padding:16px 24px;max-width:1000px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;
padding:10px 16px;min-width:120px}.card .value{font-size:24px;font-weight:600}.card .label{color:#6b7280}
section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:16px 0;padding:8px 16px 16px}
h2{font-size:17px}figure{margin:0}figcaption{color:#6b7280;font-size:13px;margin-top:6px}
svg.chart{max-width:100%;height:auto;display:block}.grid{stroke:#e5e7eb}.tick{font-size:11px;fill:#4b5563}
.series{fill:none;stroke-width:2}.note{font-size:14px;fill:#6b7280}.legend{display:flex;flex-wrap:wrap;gap:12px;
font-size:13px;margin-top:4px}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;
vertical-align:-1px;border-radius:2px}table{border-collapse:collapse;width:100%;font-size:13px;margin-top:12px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e5e7eb}th{background:#f3f4f6}
"""
