"""What analysts read: a snapshot of the database and Parquet files, never the live file.

DuckDB locks the live file per process, readers included (DESIGN §2), so after
each run the flow copies it into `analytics.duckdb` (built under a temporary
name, then renamed over the old copy: a reader sees the old or the new file,
never half of one) and writes Parquet partitioned by month into a new folder of
`exports/`, then points `exports/current` at it. Older folders stay for a while
so that a long query started on them keeps working.

Only listed tables reach analysts: password hashes, sessions and login attempts
of the review app stay in the live file, and so does any table added later
until someone decides it belongs here.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pledgewatch import settings
from pledgewatch.jst import JST
from storage.db import db_path, first_row, reader

# table -> columns analysts get ("*" = all of them)
SNAPSHOT_TABLES: dict[str, str] = {
    "schema_migrations": "*",
    "sources": "*",
    "fetches": "*",
    "url_state": "*",
    "articles": "*",
    "politicians": "*",
    "pledges": "*",
    "model_versions": "*",
    "candidates": "*",
    "scored_articles": "*",
    "decisions": "*",
    "runs": "*",
    "moderators": "name, is_admin, created_at, disabled_at",
}
# columns that are working data of one step, not facts (the sketch duplicate detection compares)
INTERNAL_COLUMNS: dict[str, frozenset[str]] = {"articles": frozenset({"sketch"})}

_JST = f"timezone('{JST.key}', {{}})"


@dataclass(frozen=True)
class Export:
    """One Parquet dataset: a query on the snapshot, split by month of `month_of`
    (Asia/Tokyo) when it grows with time, or one file when it does not."""

    name: str
    query: str
    month_of: str | None = None


EXPORTS: tuple[Export, ...] = (
    Export("articles", "SELECT * FROM articles", "coalesce(published, fetched_at)"),
    Export("fetches", "SELECT * FROM fetches", "fetched_at"),
    Export("candidates", "SELECT * FROM candidates", "created_at"),
    Export("decisions", "SELECT * FROM decisions", "decided_at"),
    Export("runs", "SELECT * FROM runs", "started_at"),
    Export("activities", "SELECT * FROM v_activities", "coalesce(published, decided_at)"),
    Export("pledge_coverage", "SELECT * FROM v_pledge_coverage WHERE week IS NOT NULL", "week"),
    Export("pledge_progress", "SELECT * FROM v_pledge_progress"),
    Export("activity_stages", "SELECT * FROM v_activity_stages", "activity_at"),
    Export("politician_coverage", "SELECT * FROM v_politician_coverage", "week"),
    Export("source_health_daily", "SELECT * FROM v_source_health_daily", "day"),
    Export("model_performance", "SELECT * FROM v_model_performance", "week"),
    Export("review_queue", "SELECT * FROM v_review_queue"),
    Export("source_health", "SELECT * FROM v_source_health"),
    Export("politicians", "SELECT * FROM politicians"),
    Export("pledges", "SELECT * FROM pledges"),
    Export("sources", "SELECT * FROM sources"),
    Export("model_versions", "SELECT * FROM model_versions"),
)
KEEP_EXPORTS = 3
COPY_MEMORY = "300MB"
CURRENT = "current"
MANIFEST = "_manifest.json"


def snapshot_path(db: Path | str | None = None) -> Path:
    """Next to the live file unless PLEDGEWATCH_SNAPSHOT says otherwise."""
    return settings.snapshot_file() or db_path(db).parent / "analytics.duckdb"


def exports_dir(db: Path | str | None = None) -> Path:
    return settings.exports_dir() or db_path(db).parent / "exports"


@dataclass
class Published:
    snapshot: Path | None
    export: Path
    rows: dict[str, int] = field(default_factory=dict)
    skipped_views: list[str] = field(default_factory=list)
    seconds: float = 0.0


Progress = Callable[[str], None]


def publish(db: Path | str | None = None, snapshot: Path | str | None = None, exports: Path | str | None = None,
            *, keep_snapshot: bool = True, on_step: Progress | None = None) -> Published:
    """The after-run snapshot: analytics.duckdb and a new Parquet folder. The live
    file is read once, in one read-only connection (so the copy is consistent);
    Parquet is then written from the copy, after the live file is released.
    `keep_snapshot=False` exports Parquet only (the copy is a temporary file)."""
    started = time.monotonic()
    target = Path(snapshot) if snapshot else snapshot_path(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.{os.getpid()}.building")
    _remove(building)
    try:
        skipped = copy_database(db, building, on_step)
        with duckdb.connect(str(building), read_only=True) as con:
            result = export_parquet(con, Path(exports) if exports else exports_dir(db), on_step)
        if keep_snapshot:
            os.replace(building, target)
    finally:
        _remove(building)
    result.snapshot = target if keep_snapshot else None
    result.skipped_views = skipped
    result.seconds = time.monotonic() - started
    return result


def copy_database(db: Path | str | None, target: Path, on_step: Progress | None = None) -> list[str]:
    """Copies the listed tables (types kept) and every view that still resolves
    on them into a new file; returns the views left out. DuckDB copies the rows
    itself, within `COPY_MEMORY`, while the read-only connection keeps writers
    out, so the copy is one consistent state of the live file."""
    source = db_path(db)
    with reader(source) as live, duckdb.connect(str(target)) as copy:
        _limit_memory(copy)
        copy.execute(f"ATTACH {_literal(source.resolve())} AS live (READ_ONLY)")
        present = {row[0] for row in live.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main'").fetchall()}
        for table, columns in SNAPSHOT_TABLES.items():
            if table not in present:
                continue
            if on_step:
                on_step(table)
            _copy_table(live, copy, table, columns)
        views = live.execute(
            "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND database_name = current_database() "
            "AND schema_name = 'main' ORDER BY view_name").fetchall()
        skipped = _create_views(copy, dict(views))
        copy.execute("DETACH live")
        return skipped


def _copy_table(live: duckdb.DuckDBPyConnection, copy: duckdb.DuckDBPyConnection, table: str, columns: str) -> None:
    wanted = None if columns == "*" else [c.strip() for c in columns.split(",")]
    described = live.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()
    internal = INTERNAL_COLUMNS.get(table, frozenset())
    kept = [(name, kind) for name, kind in described if (wanted is None or name in wanted) and name not in internal]
    names = ", ".join(_quote(name) for name, _ in kept)
    copy.execute(f"CREATE TABLE main.{_quote(table)} ({', '.join(f'{_quote(n)} {k}' for n, k in kept)})")
    copy.execute(f"INSERT INTO main.{_quote(table)} SELECT {names} FROM live.main.{_quote(table)}")


def _limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Without a limit DuckDB buffers a whole table of article bodies (1.5 GB
    at 100,000 articles) before writing; with one it streams."""
    con.execute(f"SET memory_limit = '{COPY_MEMORY}'")
    con.execute("SET preserve_insertion_order = false")


def _create_views(copy: duckdb.DuckDBPyConnection, views: dict[str, str]) -> list[str]:
    """Views depend on each other (v_activities on v_link_state): create what
    binds, then retry the rest until a pass makes no progress."""
    waiting = dict(views)
    while waiting:
        done = []
        for name, sql in waiting.items():
            try:
                copy.execute(sql)
            except duckdb.CatalogException:
                continue
            done.append(name)
        if not done:
            break
        for name in done:
            del waiting[name]
    return sorted(waiting)


def export_parquet(con: duckdb.DuckDBPyConnection, exports: Path | str,
                   on_step: Progress | None = None) -> Published:
    """Writes every dataset of `EXPORTS` that the connection can answer into
    `exports/<UTC timestamp>/`, then moves `exports/current` to it in one rename."""
    root = Path(exports)
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    partial = root / f".{stamp}.partial"
    con.execute(f"SET TimeZone = '{JST.key}'")
    _limit_memory(con)
    available = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database() "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "AND database_name = current_database()").fetchall()}
    rows: dict[str, int] = {}
    partial.mkdir()
    try:
        for export in EXPORTS:
            if _source_of(export.query) not in available:
                continue
            if on_step:
                on_step(export.name)
            rows[export.name] = _write(con, export, partial)
        (partial / MANIFEST).write_text(json.dumps(
            {"created_at": datetime.now(UTC).isoformat(), "rows": rows}, ensure_ascii=False, indent=2),
            encoding="utf-8")
        partial.rename(root / stamp)
    finally:
        if partial.exists():
            shutil.rmtree(partial)
    _point_current(root, stamp)
    _prune(root, keep=KEEP_EXPORTS)
    return Published(snapshot=None, export=root / stamp, rows=rows)


def _write(con: duckdb.DuckDBPyConnection, export: Export, folder: Path) -> int:
    if export.month_of is None:
        target = folder / f"{export.name}.parquet"
        query = export.query
        options = "FORMAT parquet, COMPRESSION zstd"
    else:
        target = folder / export.name
        month = f"strftime({_JST.format(export.month_of)}, '%Y-%m')"
        query = f"SELECT *, {month} AS month FROM ({export.query})"
        options = "FORMAT parquet, COMPRESSION zstd, PARTITION_BY (month)"
    written = con.execute(f"COPY ({query}) TO '{target}' ({options})").fetchone()
    return int(written[0]) if written else 0


def _source_of(query: str) -> str:
    return query.split(" FROM ", 1)[1].split()[0]


def _point_current(root: Path, stamp: str) -> None:
    """A symlink swapped by rename: readers resolve `current` to the old or the
    new folder, and each folder is complete before it is named."""
    link = root / f".{CURRENT}.{stamp}"
    link.symlink_to(stamp, target_is_directory=True)
    os.replace(link, root / CURRENT)


def _prune(root: Path, keep: int) -> None:
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    current = (root / CURRENT).resolve()
    for old in folders[:-keep]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@contextmanager
def snapshot_reader(db: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the analytics snapshot: it never waits for or
    blocks the pipeline."""
    path = snapshot_path(db)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist yet: it is written at the end of every nightly run "
                                f"(or run `pledgewatch export parquet DIR` for Parquet now)")
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(f"SET TimeZone = '{JST.key}'")
        yield con


@dataclass
class ReportData:
    """What `pledgewatch report` draws, read in one connection."""

    source: str
    totals: dict[str, int]
    activities: list[tuple[str, date, int]]  # (pledge label, week, approved activities)
    weekly: list[tuple[date, int, int]]  # (week, suggestions made, approvals made)
    source_days: list[tuple[str, date, int, int, int, int]]  # (source, day, ok, unchanged, errors, skipped)
    sources: list[dict]
    runs: list[dict]
    furthest: list[tuple[str, str, int]]  # (politician, furthest stage or "", pledges), v_pledge_progress


def report_data(con: duckdb.DuckDBPyConnection, source: str, weeks: int = 26, days: int = 14,
                pledges: int = 8) -> ReportData:
    """Windows end at the newest data, not at today, so an old snapshot or a
    corpus of old articles still draws full charts."""
    totals = dict(zip(
        ("articles", "suggestions", "waiting", "activities", "pledges", "pledges_with_activity"),
        first_row(con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM candidates), "
            "(SELECT count(*) FROM v_review_queue), (SELECT count(*) FROM v_activities), "
            "(SELECT count(*) FROM pledges), (SELECT count(DISTINCT pledge_id) FROM v_activities)")),
        strict=True))
    activities = con.execute(
        "WITH dated AS (SELECT politician || '「' || pledge_title || '」' AS pledge, pledge_id, "
        f"  date_trunc('week', {_JST.format('coalesce(published, decided_at)')})::DATE AS week "
        "  FROM v_activities), "
        "top AS (SELECT pledge_id FROM dated GROUP BY pledge_id ORDER BY count(*) DESC, pledge_id LIMIT ?), "
        "recent AS (SELECT * FROM dated WHERE week > (SELECT max(week) FROM dated) - to_weeks(?)) "
        "SELECT pledge, week, count(*) FROM recent WHERE pledge_id IN (SELECT pledge_id FROM top) "
        "GROUP BY ALL ORDER BY pledge, week", [pledges, weeks]).fetchall()
    weekly = con.execute(
        f"WITH s AS (SELECT date_trunc('week', {_JST.format('created_at')})::DATE AS week, count(*) AS n "
        "  FROM candidates GROUP BY 1), "
        f"a AS (SELECT date_trunc('week', {_JST.format('decided_at')})::DATE AS week, count(*) AS n "
        "  FROM v_activities GROUP BY 1), "
        "w AS (SELECT coalesce(s.week, a.week) AS week, coalesce(s.n, 0) AS s, coalesce(a.n, 0) AS a "
        "  FROM s FULL OUTER JOIN a ON a.week = s.week) "
        "SELECT week, s, a FROM w WHERE week > (SELECT max(week) FROM w) - to_weeks(?) ORDER BY week",
        [weeks]).fetchall()
    source_days = con.execute(
        "SELECT coalesce(outlet, source_id), day, ok, unchanged, errors, skipped FROM v_source_health_daily "
        "WHERE day > (SELECT max(day) FROM v_source_health_daily) - to_days(?) ORDER BY 1, day", [days]).fetchall()
    sources = _dicts(con, "SELECT source_id, outlet, kind, suspended, consecutive_failures, last_success_at, "
                          "last_error_at, last_error, fetches_total, errors_total, articles_total "
                          "FROM v_source_health ORDER BY suspended DESC, consecutive_failures DESC, source_id")
    runs = _dicts(con, "SELECT run_id, kind, status, started_at, seconds, pages_fetched, articles_inserted, "
                       "articles_scored, candidates, errors, message FROM v_runs ORDER BY started_at DESC LIMIT 15")
    furthest = con.execute("SELECT coalesce(politician, politician_id), coalesce(furthest_stage, ''), count(*) "
                           "FROM v_pledge_progress GROUP BY ALL ORDER BY 1, 2").fetchall()
    return ReportData(source, {k: int(v) for k, v in totals.items()}, activities, weekly, source_days, sources, runs,
                      furthest)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    relation = con.execute(sql)
    names = [d[0] for d in relation.description]
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
