"""Who is asking: sessions, roles and login throttling.

The session cookie carries a random token; the database keeps only its HMAC
under the app's secret key, checked on every request in the same short
connection as the page's own queries. Logging out revokes the row, so a copied
cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
from fastapi import Request, Response

from review.config import ReviewConfig
from storage import accounts as account_store

SESSION_COOKIE = "pw_session"


class LoginRequired(Exception):
    """No live session: the answer is the login page, never the data."""


class Forbidden(Exception):
    """Signed in, but the role does not allow it (admin pages, others' decisions)."""


@dataclass(frozen=True)
class Viewer:
    name: str
    is_admin: bool
    token: str = field(repr=False)


def token_hash(secret: bytes, token: str) -> str:
    return hmac.new(secret, f"session\0{token}".encode(), hashlib.sha256).hexdigest()


def current_viewer(con: duckdb.DuckDBPyConnection, request: Request) -> Viewer:
    """The signed-in moderator, or LoginRequired."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired
    account = account_store.session_moderator(con, token_hash(_config(request).secret, token))
    if account is None:
        raise LoginRequired
    return Viewer(account.name, account.is_admin, token)


def require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise Forbidden


def start_session(con: duckdb.DuckDBPyConnection, request: Request, name: str) -> str:
    token = secrets.token_urlsafe(32)
    config = _config(request)
    account_store.create_session(con, token_hash(config.secret, token), name, config.session_lifetime)
    return token


def end_session(con: duckdb.DuckDBPyConnection, request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        account_store.revoke_session(con, token_hash(_config(request).secret, token))


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """HttpOnly, SameSite=Lax, and Secure whenever the moderator reached us over
    https (uvicorn applies X-Forwarded-Proto from a local reverse proxy)."""
    response.set_cookie(SESSION_COOKIE, token, max_age=int(_config(request).session_lifetime.total_seconds()),
                        path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https")


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")


def client_address(request: Request) -> str | None:
    """The peer's address; X-Forwarded-For counts only when uvicorn was told to
    trust the proxy that sent it (ReviewConfig.trusted_proxies)."""
    return request.client.host if request.client else None


def claim_attempt(con: duckdb.DuckDBPyConnection, request: Request, name: str) -> datetime | None:
    """Records a login attempt unless this name or address has failed too often
    recently; None means refuse without even checking the password."""
    config = _config(request)
    return account_store.claim_login_attempt(
        con, name, client_address(request), window=config.throttle_window,
        max_for_name=config.max_failures_per_name, max_for_client=config.max_failures_per_client,
        known_for=config.known_address_for)


def _config(request: Request) -> ReviewConfig:
    return request.app.state.config
