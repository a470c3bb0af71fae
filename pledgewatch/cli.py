"""The `pledgewatch` command: one entry point for operators, analysts and CI."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pledgewatch.settings import DATA, DEMO_SITE, configure_prefect

DEMO_PORT = 8765


class UsageError(Exception):
    """A problem with the user's input; printed without a traceback."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if _is_user_error(exc):
            print(f"pledgewatch: {exc}", file=sys.stderr)
            return 2
        raise


def _is_user_error(exc: Exception) -> bool:
    from catalog.load import CatalogError
    from classifiers.documents import InputError
    from extractors.errors import ExtractionError
    from storage.db import DatabaseBusyError

    return isinstance(exc, UsageError | CatalogError | InputError | ExtractionError | DatabaseBusyError
                      | FileNotFoundError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pledgewatch", description=__doc__)
    parser.add_argument("--db", help="DuckDB file (default: $PLEDGEWATCH_DB or var/pledgewatch.duckdb)")
    sub = parser.add_subparsers(metavar="COMMAND")

    demo = sub.add_parser("demo", help="serve the bundled demo news site on 127.0.0.1 and run the nightly flow on it")
    demo.add_argument("--port", type=int, default=int(os.environ.get("PLEDGEWATCH_DEMO_PORT", DEMO_PORT)),
                      help=f"port for the demo site (default {DEMO_PORT}; a fixed port keeps its URLs stable)")
    demo.add_argument("--top", type=int, default=10, help="how many top suggestions to print")
    demo.set_defaults(handler=_demo)

    run = sub.add_parser("run", help="run the nightly flow once (what the schedule runs)")
    run.add_argument("--sources", default=str(DATA / "sources.toml"))
    run.add_argument("--catalog", default=str(DATA / "pledges.toml"))
    run.add_argument("--allow-local", action="store_true", help="let sources marked local reach loopback/private hosts")
    run.add_argument("--refetch", action="store_true", help="fetch pages even when already stored")
    run.set_defaults(handler=_run)

    crawl = sub.add_parser("crawl", help="run the crawl stage alone: fetch, extract, dedupe, store")
    crawl.add_argument("--sources", default=str(DATA / "sources.toml"))
    crawl.add_argument("--allow-local", action="store_true")
    crawl.add_argument("--refetch", action="store_true")
    crawl.add_argument("--base-url", help="replaces {base} in source URLs")
    crawl.set_defaults(handler=_crawl)

    sources = sub.add_parser("sources", help="source list commands")
    sources_sub = sources.add_subparsers(metavar="ACTION")
    check = sources_sub.add_parser("check", help="validate a sources file and print each source's state")
    check.add_argument("--sources", default=str(DATA / "sources.toml"))
    check.add_argument("--base-url", help="replaces {base} in source URLs")
    check.set_defaults(handler=_sources_check)
    resume = sources_sub.add_parser("resume", help="bring suspended sources back into the crawl")
    resume.add_argument("ids", nargs="+", metavar="SOURCE_ID")
    resume.set_defaults(handler=_sources_resume)

    catalog = sub.add_parser("catalog", help="pledge catalog commands")
    catalog_sub = catalog.add_subparsers(metavar="ACTION")
    imp = catalog_sub.add_parser("import", help="validate a catalog file and upsert it into the database")
    imp.add_argument("file", nargs="?", default=str(DATA / "pledges.toml"))
    imp.set_defaults(handler=_catalog_import)

    score = sub.add_parser("score", help="score articles against pledges, files in and out, no database")
    score.add_argument("--pledges", required=True, help="pledges JSONL (or a catalog .toml)")
    score.add_argument("--articles", required=True, help="articles JSONL")
    score.add_argument("--out", required=True, help="candidates JSONL to write ('-' for stdout)")
    score.add_argument("--models", default="models", help="folder with the promoted model (default: models)")
    score.set_defaults(handler=_score)

    evaluate = sub.add_parser("evaluate", help="score a labelled set and print quality figures")
    evaluate.add_argument("--pledges", required=True)
    evaluate.add_argument("--articles", required=True)
    evaluate.add_argument("--gold", required=True)
    evaluate.add_argument("--models", default="models")
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
    sql.set_defaults(handler=_sql)

    runs = sub.add_parser("runs", help="list recent runs with their counts")
    runs.add_argument("--limit", type=int, default=10)
    runs.set_defaults(handler=_runs)

    review = sub.add_parser("review", help="serve the moderators' review app (default http://127.0.0.1:8000/)")
    review.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    review.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    review.set_defaults(handler=_review)

    moderators = sub.add_parser("moderators", help="moderator accounts for the review app")
    moderators_sub = moderators.add_subparsers(metavar="ACTION")
    mod_add = moderators_sub.add_parser("add", help="add an account; the password is asked twice, never an argument")
    mod_add.add_argument("name")
    mod_add.add_argument("--admin", action="store_true", help="may also manage accounts and undo anyone's decision")
    mod_add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    mod_add.set_defaults(handler=_moderators_add)
    mod_passwd = moderators_sub.add_parser("passwd", help="set a new password (ends the account's sessions)")
    mod_passwd.add_argument("name")
    mod_passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    mod_passwd.set_defaults(handler=_moderators_passwd)
    mod_list = moderators_sub.add_parser("list", help="list accounts")
    mod_list.set_defaults(handler=_moderators_list)
    for action, disabled in (("disable", True), ("enable", False)):
        toggle = moderators_sub.add_parser(action, help=f"{action} an account (accounts are never deleted)")
        toggle.add_argument("name")
        toggle.set_defaults(handler=_moderators_toggle, disabled=disabled)

    export = sub.add_parser("export", help="export data for other sites")
    export_sub = export.add_subparsers(metavar="WHAT")
    activities = export_sub.add_parser("activities", help="approved activities (article → pledge) as JSONL or CSV")
    activities.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    activities.add_argument("--out", default="-", help="file to write (default '-': standard output)")
    activities.set_defaults(handler=_export_activities)
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
                         allow_local=True, refetch=False, top=args.top)


def _run(args: argparse.Namespace) -> int:
    configure_prefect()
    return _run_flow(args, args.sources, args.catalog, base_url=None, allow_local=args.allow_local,
                     refetch=args.refetch, top=10)


def _run_flow(args: argparse.Namespace, sources: str, catalog: str, *, base_url: str | None, allow_local: bool,
              refetch: bool, top: int) -> int:
    from flows.nightly import nightly
    from pledgewatch.report import format_counts, format_suggestions
    from storage.candidates import top_suggestions
    from storage.db import db_path, transaction

    database = db_path(args.db)
    summary = nightly(sources_file=sources, catalog_file=catalog, db=str(database), base_url=base_url,
                      allow_local=allow_local, refetch=refetch)
    print(f"run {summary.run_id}: {summary.status} (model {summary.model_version}) → {database}")
    print(format_counts(summary.counts, summary.errors))
    with transaction(database) as con:
        rows = top_suggestions(con, top)
    print(f"\ntop suggestions waiting for review ({len(rows)} shown):")
    print(format_suggestions(rows))
    return 0


def _crawl(args: argparse.Namespace) -> int:
    import uuid

    from crawling.policy import CrawlPolicy
    from crawling.sources import load_sources
    from pipeline import steps
    from pledgewatch.report import format_counts
    from storage.crawl import load_crawl_state, save_sources
    from storage.db import db_path, migrate, transaction

    database = db_path(args.db)
    sources = load_sources(args.sources, args.base_url)
    migrate(database)
    with transaction(database) as con:
        save_sources(con, sources)
        state = load_crawl_state(con)
    run_id = uuid.uuid4().hex[:12]
    output = steps.fetch_and_extract(sources, CrawlPolicy(allow_local=args.allow_local), state, run_id, args.refetch)
    stored = steps.store_crawl(database, output)
    stage = steps.crawl_counts(output, stored)
    print(f"crawl {run_id} → {database}")
    print(format_counts(*stage.as_dicts()))
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
    from catalog.load import load_catalog
    from storage.catalog import save_catalog
    from storage.db import db_path, migrate, transaction

    catalog = load_catalog(args.file)
    database = db_path(args.db)
    migrate(database)
    with transaction(database) as con:
        save_catalog(con, catalog)
    print(f"imported {len(catalog.politicians)} politicians and {len(catalog.pledges)} pledges from {args.file} "
          f"into {database}")
    return 0


def _load_pledges(path: str):
    from catalog.load import load_catalog, load_pledges_jsonl

    return load_catalog(path) if path.endswith(".toml") else load_pledges_jsonl(path)


def _score(args: argparse.Namespace) -> int:
    from classifiers.documents import read_articles_jsonl
    from classifiers.scoring import PledgeScorer
    from classifiers.tokenize import get_tokenizer

    catalog = _load_pledges(args.pledges)
    documents = read_articles_jsonl(args.articles)
    scorer = PledgeScorer.load(catalog, Path(args.models))
    tokenizer = get_tokenizer()
    candidates = scorer.score([tokenizer.analyze(d) for d in documents])
    count = _write_candidates(candidates, args.out)
    print(f"scored {len(documents)} articles × {len(catalog.pledges)} pledges with {scorer.model_version}: "
          f"{count} lines → {args.out}", file=sys.stderr)
    return 0


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
    partial = target.with_name(target.name + ".partial")
    partial.write_text("".join(lines), encoding="utf-8")
    partial.replace(target)
    return len(lines)


def _evaluate(args: argparse.Namespace) -> int:
    from classifiers.documents import read_articles_jsonl
    from classifiers.evaluation import evaluate, read_gold_jsonl
    from classifiers.scoring import PledgeScorer
    from classifiers.tokenize import get_tokenizer

    catalog = _load_pledges(args.pledges)
    documents = read_articles_jsonl(args.articles)
    gold = read_gold_jsonl(args.gold)
    scorer = PledgeScorer.load(catalog, Path(args.models))
    tokenizer = get_tokenizer()
    report = evaluate(scorer.score([tokenizer.analyze(d) for d in documents]), gold)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"model {scorer.model_version}, {len(documents)} articles × {len(catalog.pledges)} pledges")
        print(report.format_text())
    return 0


def _extract(args: argparse.Namespace) -> int:
    from extractors.article import extract_article

    page = Path(args.page)
    if not page.is_file():
        raise UsageError(f"{page}: no such file")
    article = extract_article(page.read_bytes(), args.url, use_rules=not args.generic)
    print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    return 0


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from storage.db import db_path, reader

    with reader(db_path(args.db)) as con:
        try:
            relation = con.sql(args.query)
        except duckdb.Error as exc:
            raise UsageError(f"query failed: {exc}") from None
        if relation is None:
            print("(statement executed, no result)")
            return 0
        relation.show(max_rows=args.max_rows, max_width=200)
    return 0


def _runs(args: argparse.Namespace) -> int:
    from storage.db import db_path, reader
    from storage.runs import recent_runs

    with reader(db_path(args.db)) as con:
        rows = recent_runs(con, args.limit)
    if not rows:
        print("no runs yet")
    for run_id, kind, started, finished, status, counts, errors, message in rows:
        took = f"{(finished - started).total_seconds():.1f} s" if finished else "—"
        print(f"{started:%Y-%m-%d %H:%M} {run_id} {kind:<8} {status:<10} {took:>8}  {counts or ''} {errors or ''}"
              f"{'  ' + message if message else ''}")
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
