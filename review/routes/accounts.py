"""Account management for admins: add moderators, reset passwords, disable and
re-enable accounts. Accounts are never deleted: decisions keep naming them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from review.auth import Viewer, current_viewer, require_admin
from review.passwords import hash_password, weakness
from review.templating import render
from storage import accounts as account_store

router = APIRouter(prefix="/admin/moderators")
DONE = {
    "added": "アカウントを追加しました。(Account added.)",
    "password": "パスワードを変更しました。この人のログインは全て終了しました。(Password changed; sessions ended.)",
    "disabled": "アカウントを無効にしました。(Account disabled.)",
    "enabled": "アカウントを有効にしました。(Account enabled.)",
}


def _admin(con, request: Request) -> Viewer:
    viewer = current_viewer(con, request)
    require_admin(viewer)
    return viewer


def _page(request: Request, *, status: int = 200, error: str | None = None, done: str = "") -> HTMLResponse:
    with request.app.state.db.reading() as con:
        viewer = _admin(con, request)
        accounts = account_store.list_moderators(con)
    return render(request, "accounts.html", viewer=viewer, accounts=accounts, status=status, error=error,
                  flash_message=DONE.get(done), tone="ok")


@router.get("")
def accounts_page(request: Request, done: str = "") -> HTMLResponse:
    return _page(request, done=done)


@router.post("")
def add_account(request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()],
                password2: Annotated[str, Form()], is_admin: Annotated[str, Form()] = "") -> Response:
    clean = account_store.valid_name(name)
    problem = ("名前は英数字と . _ - @ の64文字以内にしてください。(Letters, digits, . _ - @; up to 64.)"
               if clean is None else weakness(password, clean))
    if not problem and password != password2:
        problem = "2つのパスワードが一致しません。(The passwords differ.)"
    if problem:
        return _page(request, status=422, error=problem)
    assert clean is not None
    password_hash = hash_password(password)

    def work(con) -> str | None:
        viewer = _admin(con, request)
        try:
            account_store.add_moderator(con, clean, password_hash, is_admin=is_admin == "1", created_by=viewer.name)
        except account_store.AccountError:
            return "その名前は既に使われています。(That name is taken.)"
        return None

    problem = request.app.state.db.write(work)
    if problem:
        return _page(request, status=409, error=problem)
    return RedirectResponse("/admin/moderators?done=added", status_code=303)


@router.post("/{name}/password")
def reset_password(request: Request, name: str, password: Annotated[str, Form()],
                   password2: Annotated[str, Form()]) -> Response:
    problem = weakness(password, name) or (None if password == password2 else
                                           "2つのパスワードが一致しません。(The passwords differ.)")
    if problem:
        return _page(request, status=422, error=problem)
    password_hash = hash_password(password)

    def work(con) -> None:
        _admin(con, request)
        account_store.set_password_hash(con, name, password_hash)

    return _change(request, work, "password")


@router.post("/{name}/disable")
def disable(request: Request, name: str) -> Response:
    def work(con) -> None:
        viewer = _admin(con, request)
        if viewer.name == name:
            raise account_store.AccountError("admins cannot disable themselves")
        account_store.set_disabled(con, name, True)

    return _change(request, work, "disabled")


@router.post("/{name}/enable")
def enable(request: Request, name: str) -> Response:
    def work(con) -> None:
        _admin(con, request)
        account_store.set_disabled(con, name, False)

    return _change(request, work, "enabled")


def _change(request: Request, work, done: str) -> Response:
    try:
        request.app.state.db.write(work)
    except account_store.AccountError as exc:
        return _page(request, status=409, error=str(exc))
    return RedirectResponse(f"/admin/moderators?done={done}", status_code=303)
