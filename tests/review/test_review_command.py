"""`pledgewatch review`: the real command, started as a process on a free port."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pledgewatch.cli import _parser
from review.config import SECRET_ENV, load_secret_key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_review_listens_on_loopback_port_8000_by_default():
    args = _parser().parse_args(["review"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_the_review_command_serves_the_login_page_and_keeps_its_secret_private(tmp_path: Path):
    db = tmp_path / "var" / "pledgewatch.duckdb"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    server = subprocess.Popen([sys.executable, "-m", "pledgewatch.cli", "--db", str(db), "review", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/queue", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the review app did not start"
                time.sleep(0.1)
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert "ログイン" in httpx.get(f"http://127.0.0.1:{port}/login").text
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=15)
    assert f"review app: http://127.0.0.1:{port}/" in output
    assert "no moderator accounts yet" in output
    secret = db.parent / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert load_secret_key(db) == secret.read_bytes().strip() and len(secret.read_bytes().strip()) == 64


def test_the_secret_key_comes_from_the_environment_when_set(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "k" * 40)
    assert load_secret_key(tmp_path / "db.duckdb") == b"k" * 40
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv(SECRET_ENV, "short")
    with pytest.raises(ValueError, match="at least 32"):
        load_secret_key(tmp_path / "db.duckdb")
