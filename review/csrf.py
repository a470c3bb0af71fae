"""CSRF tokens for every form and htmx request.

A signed-in moderator's token is an HMAC of their session token, so it needs no
storage and dies with the session. The login form, posted before any session
exists, is bound to a random nonce in its own short-lived cookie instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from review.auth import SESSION_COOKIE, LoginRequired

FIELD = "csrf_token"
HEADER = "x-csrf-token"
LOGIN_COOKIE = "pw_login"
LOGIN_PATH = "/login"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfError(Exception):
    """A state-changing request without a valid token: refused, nothing written."""


def _mac(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def session_token(secret: bytes, session: str) -> str:
    return _mac(secret, "csrf", session)


def login_nonce(request: Request) -> str:
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def login_token(secret: bytes, nonce: str) -> str:
    return _mac(secret, "login", nonce)


def set_login_cookie(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=3600, path=LOGIN_PATH, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def clear_login_cookie(response: Response) -> None:
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)


async def guard(request: Request) -> None:
    """App-wide dependency: every unsafe request carries the right token in the
    X-CSRF-Token header (htmx) or the csrf_token field (plain forms)."""
    if request.method in SAFE_METHODS:
        return
    secret: bytes = request.app.state.config.secret
    if request.url.path == LOGIN_PATH:
        nonce = request.cookies.get(LOGIN_COOKIE)
        expected = login_token(secret, nonce) if nonce else None
    else:
        session = request.cookies.get(SESSION_COOKIE)
        if not session:
            raise LoginRequired
        expected = session_token(secret, session)
    submitted = request.headers.get(HEADER)
    if submitted is None:
        form = await request.form()
        value = form.get(FIELD)
        submitted = value if isinstance(value, str) else None
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfError
