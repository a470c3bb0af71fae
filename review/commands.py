"""The command-line side of moderation: serving the review app, managing
accounts, and exporting approved activities. `pledgewatch.cli` wires these in."""

from __future__ import annotations

import csv
import getpass
import io
import ipaddress
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from pledgewatch.errors import UsageError
from pledgewatch.files import write_atomic
from review.passwords import hash_password, weakness
from storage import accounts as account_store
from storage import pledge_pages as page_store
from storage.db import migrate, reader, transaction


def serve(db: Path, host: str, port: int) -> int:
    """Run the review app in the foreground until Ctrl+C."""
    import uvicorn

    from review.app import create_app, server_config
    from review.config import ReviewConfig, english_from_env, load_secret_key, trusted_proxies_from_env

    migrate(db)
    with reader(db) as con:
        accounts = account_store.count_moderators(con)
    if not accounts:
        print("no moderator accounts yet: add one with `pledgewatch moderators add NAME --admin`", file=sys.stderr)
    if not _loopback(host):
        print(f"serving on {host}: put an https reverse proxy in front so passwords and cookies are encrypted",
              file=sys.stderr)
    try:
        secret = load_secret_key(db)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    app = create_app(ReviewConfig(db=db, secret=secret, trusted_proxies=trusted_proxies_from_env(),
                                  english=english_from_env()))
    print(f"review app: http://{host}:{port}/ (database {db}; Ctrl+C to stop)", file=sys.stderr)
    uvicorn.Server(server_config(app, host, port, log_level="info")).run()
    return 0


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _terminal() -> bool:
    return sys.stdin.isatty()


def read_new_password(name: str, from_stdin: bool) -> str:
    """Asked twice on the terminal without echo, or one line from standard input
    for scripts; never an argument, which would land in shell history and `ps`."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not _terminal():
        raise UsageError("no terminal to ask for the password on: run this interactively, or pipe the password "
                         "in with --password-stdin")
    else:
        password = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("the same password again: ") != password:
            raise UsageError("the two passwords differ; nothing was changed")
    problem = weakness(password, name)
    if problem:
        raise UsageError(problem)
    return password


def _name(name: str) -> str:
    clean = account_store.valid_name(name)
    if clean is None:
        raise UsageError(f"{name!r}: use letters, digits and . _ - @ (up to 64 characters)")
    return clean


def add_moderator(db: Path, name: str, *, admin: bool, password_stdin: bool) -> int:
    clean = _name(name)
    password_hash = hash_password(read_new_password(clean, password_stdin))
    migrate(db)
    with transaction(db) as con:
        try:
            account_store.add_moderator(con, clean, password_hash, is_admin=admin)
        except account_store.AccountError as exc:
            raise UsageError(str(exc)) from None
    print(f"added {'admin' if admin else 'moderator'} {clean} to {db}")
    return 0


def change_password(db: Path, name: str, *, password_stdin: bool) -> int:
    clean = _name(name)
    password_hash = hash_password(read_new_password(clean, password_stdin))
    with transaction(db) as con:
        _account(lambda: account_store.set_password_hash(con, clean, password_hash))
    print(f"changed the password of {clean}; their open sessions have ended")
    return 0


def set_disabled(db: Path, name: str, disabled: bool) -> int:
    with transaction(db) as con:
        _account(lambda: account_store.set_disabled(con, name, disabled))
    print(f"{'disabled' if disabled else 'enabled'} {name}")
    return 0


def _account(change) -> None:
    try:
        change()
    except account_store.AccountError as exc:
        raise UsageError(str(exc)) from None


def list_moderators(db: Path) -> int:
    with reader(db) as con:
        accounts = account_store.list_moderators(con)
    if not accounts:
        print("no moderator accounts yet")
    for account in accounts:
        role = "admin" if account.is_admin else "moderator"
        state = "active" if account.active else f"disabled {account.disabled_at:%Y-%m-%d}"
        print(f"{account.name:<24} {role:<10} {state:<20} added {account.created_at:%Y-%m-%d}")
    return 0


def export_activities(db: Path, fmt: str, out: str) -> int:
    """Approved activities for a pledge-tracking site, as JSON lines or CSV
    (UTF-8, times in ISO 8601 with +09:00). Written whole or not at all."""
    with reader(db) as con:
        rows = page_store.approved_activities(con)
    text = format_activities(rows, fmt)
    if out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(out), text.encode("utf-8"))
    print(f"{len(rows)} approved activities → {out}", file=sys.stderr)
    return 0


def format_activities(rows: list[dict[str, Any]], fmt: str) -> str:
    records = [{k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()} for row in rows]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=page_store.EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()
