"""Helpers for tests that talk to the review app over real HTTP: the app served
by uvicorn on a free loopback port in a thread, accounts, and signed-in clients."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import httpx
import uvicorn

from review import ReviewConfig, create_app
from review.app import server_config
from review.db import Database
from review.passwords import hash_password
from storage import accounts as account_store
from storage.db import transaction

PASSWORD = "correct horse battery staple"
SECRET = b"test-secret-key-0123456789abcdef0123456789"


class LiveServer:
    """The review app on 127.0.0.1:<free port>, served by uvicorn in a thread."""

    def __init__(self, db: Path, log_level: str = "warning", trusted_proxies: tuple[str, ...] = (),
                 english: bool = False) -> None:
        self.app = create_app(ReviewConfig(db=db, secret=SECRET, trusted_proxies=trusted_proxies, english=english))
        self.db: Database = self.app.state.db
        config = server_config(self.app, "127.0.0.1", 0, log_level=log_level, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base_url = ""

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the review app did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Reads through the app's own turn-taking: one process, one connection at a time."""
        with self.db.reading() as con:
            return con.execute(sql, params or []).fetchall()


@cache
def _hash(password: str) -> str:
    """One argon2 hash per password per test session: hashing costs ~0.1 s."""
    return hash_password(password)


def add_account(db: Path, name: str, *, admin: bool = False, password: str = PASSWORD) -> None:
    password_hash = _hash(password)
    with transaction(db) as con:
        account_store.add_moderator(con, name, password_hash, is_admin=admin)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(base_url: str, name: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    """A client with a live session, and the session's CSRF token."""
    client = httpx.Client(base_url=base_url, timeout=30)
    form = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_from(form.text), "name": name, "password": password})
    assert response.status_code == 303, response.text
    return client, csrf_from(client.get("/queue").text)


@contextmanager
def signed_in(base_url: str, name: str) -> Iterator[tuple[httpx.Client, str]]:
    client, token = sign_in(base_url, name)
    try:
        yield client, token
    finally:
        client.close()
