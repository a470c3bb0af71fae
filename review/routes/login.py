"""Logging in and out. The only pages reachable without a session."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from review import auth, csrf
from review.filters import local_path
from review.passwords import verify_password
from review.templating import render
from storage import accounts as account_store

router = APIRouter()
MAX_NAME = 64


def _form(request: Request, *, next_url: str, name: str = "", error: str | None = None,
          status: int = 200) -> HTMLResponse:
    nonce = csrf.login_nonce(request)
    response = render(request, "login.html", status=status, login_csrf=csrf.login_token(
        request.app.state.config.secret, nonce), next_url=next_url, name=name, error=error)
    csrf.set_login_cookie(response, request, nonce)
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/queue") -> Response:
    return _form(request, next_url=local_path(next))


@router.post("/login")
def login(request: Request, name: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/queue") -> Response:
    """The attempt is counted and recorded (as a failure) in one write before the
    password is checked, so concurrent guesses cannot all slip under the limit."""
    name = unicodedata.normalize("NFKC", name).strip()[:MAX_NAME]
    next_url = local_path(next)
    db = request.app.state.db
    client = auth.client_address(request)

    def claim(con):
        attempt = auth.claim_attempt(con, request, name)
        return attempt, account_store.get_moderator(con, name) if attempt else None

    attempt, account = db.write(claim)
    if attempt is None:
        return _form(request, next_url=next_url, name=name, status=429, error=(
            "ログインの失敗が続いたため、しばらく受け付けません。15分ほど待ってからお試しください。"
            "(Too many failed attempts; try again in about 15 minutes.)"))
    if not verify_password(account.password_hash if account and account.active else None, password):
        return _form(request, next_url=next_url, name=name, status=401, error=(
            "名前またはパスワードが違います。(Wrong name or password.)"))

    def succeed(con) -> str:
        account_store.login_succeeded(con, name, client, attempt)
        auth.end_session(con, request)
        return auth.start_session(con, request, name)

    token = db.write(succeed)
    response = RedirectResponse(next_url, status_code=303)
    auth.set_session_cookie(response, request, token)
    csrf.clear_login_cookie(response)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    request.app.state.db.write(lambda con: auth.end_session(con, request))
    response = RedirectResponse("/login", status_code=303)
    auth.clear_session_cookie(response, request)
    return response
