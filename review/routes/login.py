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
from storage import moderation

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
    name = unicodedata.normalize("NFKC", name).strip()[:MAX_NAME]
    next_url = local_path(next)
    db = request.app.state.db
    with db.reading() as con:
        blocked = auth.throttled(con, request, name)
        account = None if blocked else moderation.get_moderator(con, name)
    if blocked:
        return _form(request, next_url=next_url, name=name, status=429, error=(
            "ログインの失敗が続いたため、しばらく受け付けません。15分ほど待ってからお試しください。"
            "(Too many failed attempts; try again in about 15 minutes.)"))
    ok = verify_password(account.password_hash if account and account.active else None, password)

    def record(con) -> str | None:
        moderation.record_login_attempt(con, name, auth.client_address(request), ok)
        if not ok:
            return None
        auth.end_session(con, request)
        return auth.start_session(con, request, name)

    token = db.write(record)
    if token is None:
        return _form(request, next_url=next_url, name=name, status=401, error=(
            "名前またはパスワードが違います。(Wrong name or password.)"))
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
