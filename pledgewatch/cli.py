"""The `pledgewatch` command: one entry point for operators, analysts and CI."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from pledgewatch import settings
from pledgewatch.errors import PledgewatchError, UsageError
from pledgewatch.files import write_atomic
from pledgewatch.settings import DATA, DEMO_SITE, MODELS_ENV, configure_prefect, models_dir

DEMO_PORT = 8765
# `train` found too few new decisions to compare models fairly and trained
# nothing: not an error, but a cron line must be able to tell (docs/operations.md).
TRAIN_REFUSED = 3
# Another run holds the database (EX_TEMPFAIL: try again later).
RUN_SKIPPED = 75
MODELS_HELP = "folder with the promoted model (default: $PLEDGEWATCH_MODELS or the installation's models/)"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        _check_database(args)
        return args.handler(args) or 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 141
    except Exception as exc:
        if _is_user_error(exc):
            print(f"pledgewatch: {exc}", file=sys.stderr)
            return 2
        raise


def _check_database(args: argparse.Namespace) -> None:
    """A mistyped --db used to create folders and an empty database silently:
    commands that create one say so, commands that only change one need it."""
    from storage.db import db_path

    database = db_path(args.db)
    if getattr(args, "creates_db", False):
        _announce_new_database(database)
    elif getattr(args, "needs_db", False) and not database.exists():
        raise UsageError(f"{database} does not exist (check --db or PLEDGEWATCH_DB)")


def _announce_new_database(database: Path) -> None:
    if not database.exists():
        print(f"pledgewatch: creating a new database {database} (no file there yet; "
              "check --db or PLEDGEWATCH_DB if you meant another)", file=sys.stderr)


def _quiet_stdout() -> None:
    """The reader (`| head`) has gone: point stdout at /dev/null so the final
    flush at exit does not raise a second BrokenPipeError."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _is_user_error(exc: Exception) -> bool:
    return isinstance(exc, PledgewatchError | FileNotFoundError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pledgewatch", description=__doc__)
    parser.add_argument("--db", help="DuckDB file (default: $PLEDGEWATCH_DB or var/pledgewatch.duckdb)")
    sub = parser.add_subparsers(metavar="COMMAND")

    demo = sub.add_parser("demo", help="serve the bundled demo news site on 127.0.0.1 and run the nightly flow on it")
    demo.add_argument("--port", type=int, default=settings.demo_port(DEMO_PORT),
                      help=f"port for the demo site (default {DEMO_PORT}; a fixed port keeps its URLs stable)")
    demo.add_argument("--top", type=int, default=10, help="how many top suggestions to print")
    demo.set_defaults(handler=_demo)

    run = sub.add_parser("run", help="run the nightly flow once (what the schedule runs)")
    run.add_argument("--sources", default=str(DATA / "sources.toml"))
    run.add_argument("--catalog", default=str(DATA / "pledges.toml"))
    run.add_argument("--allow-local", action="store_true", help="let sources marked local reach loopback/private hosts")
    run.add_argument("--refetch", action="store_true", help="fetch pages even when already stored")
    run.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                     help="if another run is still going, wait this long for it before giving up (default 0)")
    run.set_defaults(handler=_run)

    serve = sub.add_parser("serve", help="run the nightly flow on a schedule through a Prefect server "
                                         "(default 03:00 Asia/Tokyo); blocks until Ctrl-C")
    serve.add_argument("--cron", help="cron line (default $PLEDGEWATCH_CRON or '0 3 * * *')")
    serve.add_argument("--timezone", help="time zone of the cron line (default $PLEDGEWATCH_TIMEZONE or Asia/Tokyo)")
    serve.add_argument("--interval", type=float, metavar="SECONDS", help="run every SECONDS instead (trials, tests)")
    serve.add_argument("--port", type=int, default=4200,
                       help="port of the local Prefect server started when PREFECT_API_URL is unset (default 4200)")
    serve.add_argument("--sources", default=str(DATA / "sources.toml"))
    serve.add_argument("--catalog", default=str(DATA / "pledges.toml"))
    serve.add_argument("--models", help=MODELS_HELP)
    serve.add_argument("--allow-local", action="store_true", help="let local sources reach loopback/private hosts")
    serve.add_argument("--base-url", help="replaces {base} in source URLs (a demo site)")
    serve.set_defaults(handler=_serve, creates_db=True)

    crawl = sub.add_parser("crawl", help="a run that stops after storing: fetch, extract, dedupe, store "
                                         "(takes the run lock and records the run)")
    crawl.add_argument("--sources", default=str(DATA / "sources.toml"))
    crawl.add_argument("--allow-local", action="store_true",
                       help="let sources marked local reach loopback/private hosts")
    crawl.add_argument("--refetch", action="store_true", help="fetch pages even when already stored")
    crawl.add_argument("--base-url", help="replaces {base} in source URLs")
    crawl.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                       help="if another run is still going, wait this long for it before giving up (default 0)")
    crawl.set_defaults(handler=_crawl, creates_db=True)

    sources = sub.add_parser("sources", help="source list commands")
    sources_sub = sources.add_subparsers(metavar="ACTION")
    check = sources_sub.add_parser("check", help="validate a sources file and print each source's state")
    check.add_argument("--sources", default=str(DATA / "sources.toml"))
    check.add_argument("--base-url", help="replaces {base} in source URLs")
    check.set_defaults(handler=_sources_check)
    resume = sources_sub.add_parser("resume", help="bring suspended sources back into the crawl")
    resume.add_argument("ids", nargs="+", metavar="SOURCE_ID")
    resume.set_defaults(handler=_sources_resume, needs_db=True)

    catalog = sub.add_parser("catalog", help="pledge catalog commands")
    catalog_sub = catalog.add_subparsers(metavar="ACTION")
    imp = catalog_sub.add_parser("import", help="validate a catalog file (.toml, .csv, .jsonl) and import it; "
                                 "pledges it no longer lists are retired")
    imp.add_argument("file", nargs="?", default=str(DATA / "pledges.toml"))
    imp.set_defaults(handler=_catalog_import, creates_db=True)

    score = sub.add_parser("score", help="score articles against pledges, files in and out, no database")
    score.add_argument("--pledges", required=True, help="pledges JSONL (or a catalog .toml)")
    score.add_argument("--articles", required=True, help="articles JSONL")
    score.add_argument("--out", required=True, help="candidates JSONL to write ('-' for stdout)")
    score.add_argument("--models", help=MODELS_HELP)
    score.set_defaults(handler=_score)

    train = sub.add_parser("train", help="train a model version from moderators' decisions and data/ labels; "
                                         "promote it only if it beats the model in use")
    train.add_argument("--catalog", default=str(DATA / "pledges.toml"))
    train.add_argument("--models", help=MODELS_HELP)
    train.add_argument("--no-data-labels", action="store_true",
                       help="train on moderators' decisions only, without data/demo_site, data/labelled and the "
                            "real-news sets")
    train.add_argument("--no-real-news", action="store_true",
                       help="leave out the real-news sets (data/realnews with ../shared/realnews)")
    train.add_argument("--baseline", choices=("in-use", "cold-start"), default="in-use",
                       help="the model to beat: the promoted one (compared on decisions made since it was trained) "
                            "or cold start (compared on a seeded fifth of every set); cold-start rebuilds the "
                            "shipped model from the labels")
    train.add_argument("--trained-at", type=datetime.fromisoformat, metavar="ISO_TIME",
                       help="time to stamp the version with (a reproducible rebuild)")
    train.set_defaults(handler=_train, creates_db=True)

    evaluate = sub.add_parser("evaluate", help="score a labelled set and print quality figures")
    evaluate.add_argument("--pledges", required=True)
    evaluate.add_argument("--articles", required=True)
    evaluate.add_argument("--gold", required=True)
    evaluate.add_argument("--kinds", help="labels JSONL with each article's kind (positive, hard_negative, "
                          "other_actor): figures per kind")
    evaluate.add_argument("--models", help=MODELS_HELP)
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(handler=_evaluate)

    extract = sub.add_parser("extract", help="extract one saved page and print it as JSON")
    extract.add_argument("page", help="a saved HTML file")
    extract.add_argument("--url", help="the page's URL (selects outlet rules, resolves links)")
    extract.add_argument("--generic", action="store_true", help="turn outlet rules off")
    extract.set_defaults(handler=_extract)

    sql = sub.add_parser("sql", help="run a read-only SQL query on the database and print a table")
    sql.add_argument("query")
    sql.add_argument("--max-rows", type=int, default=200)
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="table for people; csv or json (one object per line) for other programs")
    sql.add_argument("--snapshot", action="store_true",
                     help="query the analytics snapshot (var/analytics.duckdb) instead: never waits for a run")
    sql.add_argument("--wait", type=float, metavar="SECONDS",
                     help="how long to wait for a turn on the live file (default $PLEDGEWATCH_DB_LOCK_TIMEOUT or 30)")
    sql.set_defaults(handler=_sql)

    runs = sub.add_parser("runs", help="list recent runs with their counts")
    runs.add_argument("--limit", type=int, default=10)
    runs.add_argument("--show", metavar="RUN_ID", help="one run in full: counts, errors by kind, each source's health")
    runs.add_argument("--json", action="store_true", help="one JSON object per run")
    runs.set_defaults(handler=_runs)

    report = sub.add_parser("report", help="write a static HTML report with charts (opens from the file, no server)")
    report.add_argument("--out", default="var/report.html", help="HTML file to write (default var/report.html)")
    report.add_argument("--weeks", type=int, default=26, help="weeks shown in the weekly charts (default 26)")
    report.add_argument("--live", action="store_true",
                        help="read the live database (takes turns with the pipeline) instead of the snapshot")
    report.set_defaults(handler=_report)

    review = sub.add_parser("review", help="serve the moderators' review app (default http://127.0.0.1:8000/)")
    review.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    review.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    review.set_defaults(handler=_review, creates_db=True)

    moderators = sub.add_parser("moderators", help="moderator accounts for the review app")
    moderators_sub = moderators.add_subparsers(metavar="ACTION")
    mod_add = moderators_sub.add_parser("add", help="add an account; the password is asked twice, never an argument")
    mod_add.add_argument("name")
    mod_add.add_argument("--admin", action="store_true", help="may also manage accounts and undo anyone's decision")
    mod_add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    mod_add.set_defaults(handler=_moderators_add, creates_db=True)
    mod_passwd = moderators_sub.add_parser("passwd", help="set a new password (ends the account's sessions)")
    mod_passwd.add_argument("name")
    mod_passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    mod_passwd.set_defaults(handler=_moderators_passwd, needs_db=True)
    mod_list = moderators_sub.add_parser("list", help="list accounts")
    mod_list.set_defaults(handler=_moderators_list)
    for action, disabled in (("disable", True), ("enable", False)):
        toggle = moderators_sub.add_parser(action, help=f"{action} an account (accounts are never deleted)")
        toggle.add_argument("name")
        toggle.set_defaults(handler=_moderators_toggle, disabled=disabled, needs_db=True)

    export = sub.add_parser("export", help="export data for other sites")
    export_sub = export.add_subparsers(metavar="WHAT")
    activities = export_sub.add_parser("activities", help="approved activities (article → pledge) as JSONL or CSV")
    activities.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    activities.add_argument("--out", default="-", help="file to write (default '-': standard output)")
    activities.set_defaults(handler=_export_activities)
    parquet = export_sub.add_parser("parquet", help="tables and analyst views as Parquet (zstd, partitioned by month)")
    parquet.add_argument("dir", help="folder to write into: DIR/<time>/…, with DIR/current pointing at the newest")
    parquet.set_defaults(handler=_export_parquet)
    return parser


def _demo(args: argparse.Namespace) -> int:
    from demosite.server import DemoServer

    configure_prefect()
    try:
        server = DemoServer(port=args.port)
    except OSError:
        print(f"port {args.port} is busy: serving the demo site on a free port instead "
              "(its URLs differ from earlier runs, so this run fetches everything again)", file=sys.stderr)
        server = DemoServer(port=0)
    with server:
        print(f"demo news site: {server.base_url} ({len(server.site.articles)} articles, "
              f"{len(server.site.outlets)} outlets)")
        return _run_flow(args, str(DEMO_SITE / "sources.toml"), str(DATA / "pledges.toml"), base_url=server.base_url,
                         allow_local=True, refetch=False, top=args.top, attended=True)


def _run(args: argparse.Namespace) -> int:
    configure_prefect()
    return _run_flow(args, args.sources, args.catalog, base_url=None, allow_local=args.allow_local,
                     refetch=args.refetch, top=10, wait_s=args.wait)


def _run_flow(args: argparse.Namespace, sources: str, catalog: str, *, base_url: str | None, allow_local: bool,
              refetch: bool, top: int, wait_s: float = 0.0, attended: bool = False) -> int:
    """`attended`: someone is watching (the demo), so a transient fault is not
    retried ten minutes later as it is for scheduled runs. The sources file and
    the catalog are checked before Prefect starts: a typo is reported in one
    line, as `sources check` does, instead of as a failed flow run."""
    from catalog.load import load_catalog
    from crawling.sources import load_sources
    from flows.nightly import nightly
    from pledgewatch.report import format_counts, format_source_health, format_stage_times, format_suggestions
    from storage.candidates import top_suggestions
    from storage.db import db_path, transaction

    load_sources(sources, base_url)
    load_catalog(catalog)
    database = db_path(args.db)
    _announce_new_database(database)
    summary = nightly(sources_file=sources, catalog_file=catalog, db=str(database), base_url=base_url,
                      allow_local=allow_local, refetch=refetch, wait_s=wait_s, retries=0 if attended else None)
    if summary.status == "skipped":
        print(f"pledgewatch: {summary.message}", file=sys.stderr)
        return RUN_SKIPPED
    print(f"run {summary.run_id}: {summary.status} (model {summary.model_version}) → {database}")
    print(format_counts(summary.counts, summary.errors))
    print(format_stage_times(summary.counts))
    print("\nsources:")
    print(format_source_health(summary.source_health))
    if summary.export:
        print(f"\nanalytics snapshot and Parquet written: {summary.export}")
    with transaction(database) as con:
        rows = top_suggestions(con, top)
    print(f"\ntop suggestions waiting for review ({len(rows)} shown):")
    print(format_suggestions(rows))
    return 0


def _crawl(args: argparse.Namespace) -> int:
    """The run without scoring and publishing: same lock, same `runs` row."""
    from pipeline.run import RunOptions, run
    from pledgewatch.report import format_counts
    from storage.db import db_path

    database = db_path(args.db)
    summary = run(RunOptions(sources_file=args.sources, catalog_file=None, db=str(database), base_url=args.base_url,
                             allow_local=args.allow_local, refetch=args.refetch, publish=False, wait_s=args.wait,
                             retries=0, stop_after="store", kind="crawl"))
    if summary.status == "skipped":
        print(f"pledgewatch: {summary.message}", file=sys.stderr)
        return RUN_SKIPPED
    print(f"crawl {summary.run_id} → {database}")
    print(format_counts(summary.counts, summary.errors))
    return 0


def _sources_check(args: argparse.Namespace) -> int:
    from crawling.sources import load_sources
    from storage.crawl import source_states
    from storage.db import db_path, reader

    sources = load_sources(args.sources, args.base_url or "http://127.0.0.1")
    database = db_path(args.db)
    states: dict[str, dict] = {}
    if database.exists():
        with reader(database) as con:
            states = source_states(con)
    print(f"{args.sources}: {len(sources)} sources, valid")
    for source in sources:
        state = states.get(source.id)
        if not source.enabled:
            status = "disabled"
        elif state is None:
            status = "never crawled"
        elif state["suspended_at"]:
            status = f"SUSPENDED since {state['suspended_at']:%Y-%m-%d %H:%M} (pledgewatch sources resume {source.id})"
        elif state["consecutive_failures"]:
            status = f"failing: {state['consecutive_failures']} runs in a row"
        else:
            status = "ok"
        print(f"  {source.id:<22} {source.kind:<12} {source.outlet}  {status}")
        print(f"    {source.url}")
        if state:
            success = f"{state['last_success_at']:%Y-%m-%d %H:%M}" if state["last_success_at"] else "never"
            print(f"    last success {success}, articles {state['articles']}"
                  + (f", last error {state['last_error']}" if state["last_error"] else ""))
    return 0


def _sources_resume(args: argparse.Namespace) -> int:
    from storage.crawl import resume_sources
    from storage.db import db_path, transaction

    with transaction(db_path(args.db)) as con:
        resumed = resume_sources(con, args.ids)
    print(f"resumed {resumed} source(s)")
    return 0


def _catalog_import(args: argparse.Namespace) -> int:
    """Rows with errors are reported one a line and skipped; the others are
    imported, and the exit status is 1 so a cron job notices."""
    from catalog.load import CatalogError
    from catalog.rows import read_catalog_file
    from storage.catalog import import_catalog
    from storage.db import db_path, migrate, transaction

    found = read_catalog_file(args.file)
    for error in found.rejected:
        print(f"rejected {error}", file=sys.stderr)
    if not found.catalog.pledges:
        raise CatalogError(args.file, None, "pledges", "no valid pledge in the file: nothing imported, nothing retired")
    database = db_path(args.db)
    migrate(database)
    with transaction(database) as con:
        summary = import_catalog(con, found.catalog, found.kept, len(found.rejected))
    owners = len(found.catalog.politicians)
    print(f"imported {owners} politicians and parties, {len(found.catalog.pledges)} pledges from {args.file} "
          f"into {database}: {summary.line()}")
    return 1 if found.rejected else 0


def _load_pledges(path: str):
    """A bad pledge line is reported and skipped: the other pledges are still scored."""
    from catalog.load import load_catalog, load_pledges_jsonl

    if path.endswith(".toml"):
        return load_catalog(path)
    rejected: list[str] = []
    catalog = load_pledges_jsonl(path, on_error=lambda error: rejected.append(str(error)))
    for message in rejected:
        print(f"skipped {message}", file=sys.stderr)
    if not catalog.pledges:
        raise UsageError(f"{path}: no usable pledge")
    return catalog


def _score(args: argparse.Namespace) -> int:
    from classifiers.documents import read_articles_jsonl
    from classifiers.tokenize import get_tokenizer

    _check_out(args.out)
    catalog = _load_pledges(args.pledges)
    documents = read_articles_jsonl(args.articles)
    scorer = _load_scorer(catalog, args.models)
    tokenizer = get_tokenizer()
    candidates = scorer.score([tokenizer.analyze(d) for d in documents])
    count = _write_candidates(candidates, args.out)
    print(f"scored {len(documents)} articles × {len(catalog.pledges)} pledges with {scorer.model_version}: "
          f"{count} lines → {args.out}", file=sys.stderr)
    return 0


def _load_scorer(catalog, models: str | None):
    """Says on stderr which model scores, or where none was found."""
    from classifiers.model_store import model_path, promoted_version
    from classifiers.scoring import PledgeScorer

    folder = models_dir(models)
    scorer = PledgeScorer.load(catalog, folder)
    if scorer.model is not None:
        print(f"model {scorer.model_version} ({model_path(folder, scorer.model_version)})", file=sys.stderr)
    elif promoted_version(folder) is None:
        print(f"pledgewatch: warning: no promoted model in {folder} (set --models or {MODELS_ENV}); "
              f"scoring with {scorer.model_version}", file=sys.stderr)
    else:
        print(f"pledgewatch: warning: the promoted model in {folder} cannot be used (see above); "
              f"scoring with {scorer.model_version}", file=sys.stderr)
    return scorer


def _check_out(out: str) -> None:
    """Before scoring, which may take minutes, not after."""
    if out == "-":
        return
    target = Path(out)
    if target.is_dir():
        raise UsageError(f"--out {target} is a folder: name the file to write, e.g. {target / 'candidates.jsonl'}")
    if not target.parent.is_dir():
        raise UsageError(f"--out {target}: no folder {target.parent}")


def _write_candidates(candidates, out: str) -> int:
    """Writes the file whole or not at all: a half-written output would look valid."""
    lines = [
        json.dumps({"article_id": c.article_id, "pledge_id": c.pledge_id, "score": round(float(c.score), 6),
                    "evidence": c.evidence}, ensure_ascii=False) + "\n"
        for c in candidates
    ]
    if out == "-":
        sys.stdout.writelines(lines)
        return len(lines)
    target = Path(out)
    try:
        write_atomic(target, "".join(lines).encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    return len(lines)


def _train(args: argparse.Namespace) -> int:
    from pipeline.train import train
    from storage.db import db_path

    outcome = train(db_path(args.db), args.catalog, models_dir(args.models),
                    demo_site=None if args.no_data_labels else DEMO_SITE,
                    labelled=None if args.no_data_labels else DATA / "labelled",
                    real_news=not (args.no_data_labels or args.no_real_news), baseline=args.baseline,
                    trained_at=args.trained_at)
    print(f"model in use: {outcome.current}")
    if outcome.version and outcome.new_metrics and outcome.current_metrics:
        print(f"new model:    {outcome.version}")
        for name, metrics in (("new", outcome.new_metrics), ("in use", outcome.current_metrics)):
            print(f"  held back, {name:<6}: average precision {metrics['average_precision']:.3f}, "
                  f"Brier {metrics['brier']:.3f} over {metrics['pairs']} pairs")
    print(outcome.reason)
    print(outcome.stages)
    return 0 if outcome.version else TRAIN_REFUSED


def _known_gold(gold: dict[str, set[str]], articles: set[str], pledges: set[str]) -> dict[str, set[str]]:
    """Gold naming an article or pledge the files do not have would count as a
    miss that no model could avoid: it is left out, and said so."""
    unknown_articles = sorted(set(gold) - articles)
    unknown_pledges = sorted({p for ids in gold.values() for p in ids} - pledges)
    for names, what, where in ((unknown_articles, "article", "articles"), (unknown_pledges, "pledge", "pledges")):
        if names:
            shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
            print(f"pledgewatch: warning: {len(names)} gold {what}{'s' if len(names) > 1 else ''} not in the "
                  f"{where} file ({shown}): left out of the figures", file=sys.stderr)
    return {a: ids & pledges for a, ids in gold.items() if a in articles}


def _evaluate(args: argparse.Namespace) -> int:
    from classifiers.documents import read_articles_jsonl
    from classifiers.evaluation import evaluate, read_gold_jsonl, read_kinds_jsonl
    from classifiers.tokenize import get_tokenizer

    catalog = _load_pledges(args.pledges)
    documents = read_articles_jsonl(args.articles)
    gold = _known_gold(read_gold_jsonl(args.gold), {d.id for d in documents}, {p.id for p in catalog.pledges})
    kinds = read_kinds_jsonl(args.kinds) if args.kinds else None
    scorer = _load_scorer(catalog, args.models)
    tokenizer = get_tokenizer()
    report = evaluate(scorer.score([tokenizer.analyze(d) for d in documents]), gold, kinds)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"model {scorer.model_version}, {len(documents)} articles × {len(catalog.pledges)} pledges")
        print(report.format_text())
    return 0


_MAGIC = ((b"\x1f\x8b", "gzip data"), (b"PK\x03\x04", "a zip archive"), (b"\x89PNG", "a PNG image"),
          (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"%PDF-", "a PDF document"))


def _binary_kind(data: bytes) -> str | None:
    """What a file is when it is not text: Lexbor parses anything, and found a
    'title' in binary data that merely contained a '<'."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data: NUL bytes"
    return None


def _extract(args: argparse.Namespace) -> int:
    from crawling.policy import CrawlPolicy
    from extractors.article import extract_article

    page = Path(args.page)
    if not page.is_file():
        raise UsageError(f"{page}: no such file")
    cap = CrawlPolicy().max_bytes
    size = page.stat().st_size
    if size > cap:
        raise UsageError(f"{page}: {size:,} bytes, over the {cap:,}-byte cap the crawler keeps to; not parsed")
    data = page.read_bytes()
    kind = _binary_kind(data)
    if kind:
        raise UsageError(f"{page}: not an HTML page ({kind})")
    article = extract_article(data, args.url, use_rules=not args.generic)
    print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    return 0


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from storage.analyst_sql import QueryRefused, analyst_relation
    from storage.analytics import snapshot_reader
    from storage.db import db_path, reader

    opened = snapshot_reader(args.db) if args.snapshot else reader(db_path(args.db), timeout=args.wait)
    with opened as con:
        try:
            relation = analyst_relation(con, args.query)
        except QueryRefused as exc:
            raise UsageError(str(exc)) from None
        try:
            if args.format == "table":
                relation.show(max_rows=args.max_rows, max_width=200)
            else:
                _print_rows(relation.columns, relation.limit(args.max_rows).fetchall(), args.format)
        except duckdb.Error as exc:
            raise UsageError(f"query failed: {exc}") from None
    return 0


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    import csv

    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    for row in rows:
        print(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str))


def _runs(args: argparse.Namespace) -> int:
    from pledgewatch.report import RUN_COLUMNS, format_counts, format_source_health, run_rows
    from storage.db import db_path, reader

    with reader(db_path(args.db)) as con:
        relation = con.execute(
            "SELECT * FROM v_runs WHERE ? IS NULL OR run_id = ? ORDER BY started_at DESC LIMIT ?",
            [args.show, args.show, args.limit])
        names = [d[0] for d in relation.description]
        runs = [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
    if args.show and not runs:
        raise UsageError(f"no run {args.show!r}; `pledgewatch runs` lists them")
    for run in runs:
        for key in ("counts", "errors_by_kind", "source_health"):
            run[key] = json.loads(run[key]) if run[key] else ({} if key != "source_health" else [])
    if args.json:
        for run in runs:
            print(json.dumps(run, ensure_ascii=False, default=str))
    elif args.show:
        run = runs[0]
        print(f"run {run['run_id']} ({run['kind']}): {run['status']}, started {run['started_at']:%Y-%m-%d %H:%M:%S}, "
              f"took {run['seconds'] if run['seconds'] is not None else '—'} s")
        if run["message"]:
            print(f"  {run['message']}")
        print(format_counts(run["counts"], run["errors_by_kind"]))
        print("sources:")
        print(format_source_health(run["source_health"]))
    elif not runs:
        print("no runs yet")
    else:
        _print_table(RUN_COLUMNS, run_rows(runs), [r["message"] or "" for r in runs])
    return 0


def _print_table(columns: tuple[str, ...], rows: list[tuple[str, ...]], notes: list[str]) -> None:
    """A rich table on a terminal, aligned plain text otherwise (cron mail, pipes)."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, "message")
        for row, note in zip(rows, notes, strict=True):
            table.add_row(*row, note)
        Console().print(table)
        return
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row, note in zip(rows, notes, strict=True):
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + (f"  {note}" if note else ""))


def _serve(args: argparse.Namespace) -> int:
    configure_prefect(ui=True)
    from flows.schedule import ServeError, ServeOptions, schedule_from_env, serve
    from storage.db import db_path

    parameters = {"sources_file": str(Path(args.sources).resolve()), "catalog_file": str(Path(args.catalog).resolve()),
                  "db": str(db_path(args.db).resolve()), "models_dir": str(models_dir(args.models).resolve()),
                  "allow_local": args.allow_local, "base_url": args.base_url}
    options = ServeOptions(schedule_from_env(args.cron, args.timezone, args.interval), parameters, args.port)
    try:
        serve(options)
    except ServeError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        print("stopped: the schedule is paused until `pledgewatch serve` runs again", file=sys.stderr)
    return 0


def _export_parquet(args: argparse.Namespace) -> int:
    from flows import progress
    from storage.analytics import EXPORTS, SNAPSHOT_TABLES, publish
    from storage.db import db_path

    with progress.stage("export", total=len(SNAPSHOT_TABLES) + len(EXPORTS), unit="tables") as shown:
        result = publish(db_path(args.db), exports=args.dir, keep_snapshot=False, on_step=lambda _: shown.advance())
    print(f"{sum(result.rows.values()):,} rows in {len(result.rows)} datasets → {result.export} "
          f"({result.seconds:.1f} s); {Path(args.dir) / 'current'} points at it")
    return 0


def _report(args: argparse.Namespace) -> int:
    from pledgewatch.jst import JST
    from pledgewatch.report import html_report
    from storage.analytics import report_data, snapshot_path, snapshot_reader
    from storage.db import db_path, reader

    live = args.live or not snapshot_path(args.db).exists()
    source = db_path(args.db) if live else snapshot_path(args.db)
    with reader(source) if live else snapshot_reader(args.db) as con:
        data = report_data(con, str(source), weeks=args.weeks)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, html_report(data, datetime.now(JST)).encode("utf-8"))
    print(f"report written: {out} (from {source}); open it in a browser")
    return 0


def _review(args: argparse.Namespace) -> int:
    from review.commands import serve
    from storage.db import db_path

    return serve(db_path(args.db), args.host, args.port)


def _moderators_add(args: argparse.Namespace) -> int:
    from review.commands import add_moderator
    from storage.db import db_path

    return add_moderator(db_path(args.db), args.name, admin=args.admin, password_stdin=args.password_stdin)


def _moderators_passwd(args: argparse.Namespace) -> int:
    from review.commands import change_password
    from storage.db import db_path

    return change_password(db_path(args.db), args.name, password_stdin=args.password_stdin)


def _moderators_list(args: argparse.Namespace) -> int:
    from review.commands import list_moderators
    from storage.db import db_path

    return list_moderators(db_path(args.db))


def _moderators_toggle(args: argparse.Namespace) -> int:
    from review.commands import set_disabled
    from storage.db import db_path

    return set_disabled(db_path(args.db), args.name, args.disabled)


def _export_activities(args: argparse.Namespace) -> int:
    from review.commands import export_activities
    from storage.db import db_path

    return export_activities(db_path(args.db), args.format, args.out)


if __name__ == "__main__":
    sys.exit(main())
