"""Assembling the review app: routes, the CSRF guard on every route, security
headers on every response, and error pages that never leak a traceback."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from review import csrf, messages
from review.auth import Forbidden, LoginRequired
from review.config import ReviewConfig
from review.db import Database
from review.routes import accounts, audit, decisions, login, pages, queue
from review.templating import is_htmx, render
from storage.db import DatabaseBusyError

log = logging.getLogger("pledgewatch.review")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds the headers above to every response. The CSP allows no inline script,
    so even markup that slipped past escaping could not run."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(config: ReviewConfig) -> FastAPI:
    app = FastAPI(title="pledgewatch review", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(csrf.guard)])
    app.state.config = config
    app.state.db = Database(config.db)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("review", "static")]), name="static")
    for module in (login, queue, decisions, pages, audit, accounts):
        app.include_router(module.router)
    _error_pages(app)
    return app


def server_config(app: FastAPI, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn rewrites the client address and scheme from forwarded headers
    only for the configured proxies; with none, it never does, so a header
    anyone can send cannot dodge login throttling or pose as https."""
    proxies = app.state.config.trusted_proxies
    return uvicorn.Config(app, host=host, port=port, proxy_headers=bool(proxies),
                          forwarded_allow_ips=list(proxies) if proxies else None, **options)


def _problem(request: Request, status: int, message: str, **headers: str) -> Response:
    """An error as a page, or for htmx as a message in the status line (the page stays as it is)."""
    if is_htmx(request):
        return render(request, "_flash.html", status=status, headers={"HX-Reswap": "none", **headers},
                      message=message, tone="error", oob=True)
    return render(request, "error.html", status=status, headers=headers, message=message)


def _error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        target = "/queue"
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login_url = "/login" if target in ("/", "/queue") else "/login?" + urlencode({"next": target})
        return RedirectResponse(login_url, status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _problem(request, 403, "この操作は管理者だけができます。(Admins only.)")

    @app.exception_handler(csrf.CsrfError)
    async def csrf_failed(request: Request, exc: csrf.CsrfError) -> Response:
        log.warning("refused %s %s: missing or wrong CSRF token", request.method, request.url.path)
        return _problem(request, 403, "フォームの有効期限が切れたか、不正な送信です。ページを再読み込みしてください。"
                                      "(Form expired or not sent by this site; reload the page.)")

    @app.exception_handler(DatabaseBusyError)
    async def busy(request: Request, exc: DatabaseBusyError) -> Response:
        log.warning("database busy for %s %s", request.method, request.url.path)
        return _problem(request, 503, messages.BUSY, **{"Retry-After": "5"})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        text = {404: "ページが見つかりません。(Not found.)", 405: "この操作はできません。(Method not allowed.)"}
        return _problem(request, exc.status_code, text.get(exc.status_code, "リクエストを処理できません。"))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _problem(request, 422, "送信内容が足りません。ページを再読み込みしてください。(Incomplete form.)")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("error on %s %s", request.method, request.url.path)
        return HTMLResponse(
            "<!doctype html><meta charset=utf-8><title>エラー</title><p>エラーが発生しました。"
            "管理者に連絡してください。(Something went wrong; please tell an admin.)</p>", status_code=500)

