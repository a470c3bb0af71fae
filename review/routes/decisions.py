"""Deciding: approve, reject, re-link, skip (one item or a selection), and undo.

Each request is one write transaction that checks the item is still in the
state the moderator saw before appending to `decisions`. If the nightly flow
keeps the database locked, the write is retried; if it still cannot be done the
moderator is told so and their input stays on the page to send again.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from review import csrf, messages
from review.auth import SESSION_COOKIE, current_viewer
from review.filters import queue_filter_from_view, queue_query, queue_url
from review.templating import dom_id, is_htmx, render
from storage import decisions as decision_store
from storage import queue as queue_store
from storage import stages
from storage.db import DatabaseBusyError

router = APIRouter()
STATUS = {"ok": 200, "conflict": 409, "invalid": 422, "forbidden": 403}
MAX_BULK = 200


def _busy(request: Request, fields: dict[str, str | list[str]], action_url: str) -> HTMLResponse:
    """503 that keeps the moderator's input: htmx leaves the page as it is and
    shows a message; a plain form gets a page that sends the same input again."""
    if is_htmx(request):
        return render(request, "_flash.html", status=503, headers={"HX-Reswap": "none"}, message=messages.BUSY,
                      tone="warn", oob=True)
    token = csrf.session_token(request.app.state.config.secret, request.cookies.get(SESSION_COOKIE, ""))
    return render(request, "busy.html", status=503, message=messages.BUSY, action_url=action_url,
                  fields={k: v for k, v in fields.items() if v}, csrf_field=token)


def _said(outcome: decision_store.Outcome, context: decision_store.LinkContext | None) -> tuple[str, str]:
    """The message and its tone (ok, warn, error) for an outcome."""
    if outcome.status == "ok":
        assert outcome.decision is not None
        return messages.done(outcome.decision, context), "ok"
    if outcome.status == "conflict":
        return messages.conflict(outcome.conflict), "warn"
    return messages.refused(outcome.reason), "error"


@router.post("/decide")
def decide(request: Request, article_id: Annotated[str, Form()], pledge_id: Annotated[str, Form()],
           action: Annotated[str, Form()], seen: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
           relinked_to: Annotated[str, Form()] = "", view: Annotated[str, Form()] = "",
           override: Annotated[str, Form()] = "", stage: Annotated[str, Form()] = "",
           direction: Annotated[str, Form()] = "") -> Response:
    """`override=1` comes only from the button a conflict offers: replacing
    another moderator's decision is a choice made with their name on screen.
    `stage` and `direction` are what the moderator kept (the suggestion unless
    changed with 1-6 and +/-/=)."""
    f = queue_filter_from_view(view)

    def work(con):
        viewer = current_viewer(con, request)
        outcome = decision_store.decide(con, viewer.name, article_id, pledge_id, action,
                                        relinked_to=relinked_to or None, note=note,
                                        seen=int(seen) if seen.isdigit() else None, override=override == "1",
                                        stage_columns=stages.stage_columns(con, article_id, pledge_id, action,
                                                                           stage, direction))
        relinked = outcome.decision.relinked_to if outcome.decision else None
        context = decision_store.link_context(con, article_id, pledge_id, relinked)
        return viewer, outcome, context, queue_store.queue_counts(con, f, viewer.name)

    try:
        viewer, outcome, context, counts = request.app.state.db.write(work)
    except DatabaseBusyError:
        return _busy(request, {"article_id": article_id, "pledge_id": pledge_id, "action": action, "seen": seen,
                               "note": note, "relinked_to": relinked_to, "view": view, "stage": stage,
                               "direction": direction}, "/decide")
    message, tone = _said(outcome, context)
    status = STATUS[outcome.status]
    if not is_htmx(request):
        if outcome.status == "ok":
            return RedirectResponse(queue_url(f), status_code=303)
        return render(request, "message.html", viewer=viewer, status=status, message=message, tone=tone,
                      back=queue_url(f), results=[(article_id, pledge_id, outcome, context)], action=action,
                      relinked_to=relinked_to, view=queue_query(f))
    if outcome.status in ("invalid", "forbidden"):
        return render(request, "_flash.html", viewer=viewer, status=status, headers={"HX-Reswap": "none"},
                      message=message, tone=tone, oob=True)
    return render(request, "_decided.html", viewer=viewer, status=status,
                  results=[(article_id, pledge_id, outcome, context)], oob_items=False, message=message, tone=tone,
                  counts=counts, view=queue_query(f), action=action, relinked_to=relinked_to)


@router.post("/bulk")
def bulk(request: Request, action: Annotated[str, Form()], item: Annotated[list[str] | None, Form()] = None,
         view: Annotated[str, Form()] = "") -> Response:
    """Approve or reject every selected item in one transaction; items someone
    else decided meanwhile are reported, not overwritten."""
    f = queue_filter_from_view(view)
    chosen = _pairs(item or [])[:MAX_BULK]
    if action not in ("approve", "reject"):
        chosen = []

    def work(con):
        viewer = current_viewer(con, request)
        results = []
        for article_id, pledge_id in chosen:
            outcome = decision_store.decide(con, viewer.name, article_id, pledge_id, action,
                                            stage_columns=stages.stage_columns(con, article_id, pledge_id, action,
                                                                               None, None))
            results.append((article_id, pledge_id, outcome, decision_store.link_context(con, article_id, pledge_id)))
        return viewer, results, queue_store.queue_counts(con, f, viewer.name)

    try:
        viewer, results, counts = request.app.state.db.write(work)
    except DatabaseBusyError:
        return _busy(request, {"action": action, "item": list(item or []), "view": view}, "/bulk")
    done = sum(1 for _, _, outcome, _ in results if outcome.status == "ok")
    refused = len(results) - done
    message = f"{done}件を{messages.label(action)}しました。" if results else messages.NOTHING_SELECTED
    if refused:
        message += f"{refused}件は既に判定済みのため変更していません。({refused} already decided; not overwritten.)"
    if not is_htmx(request):
        return RedirectResponse(queue_url(f), status_code=303)
    return render(request, "_decided.html", viewer=viewer, headers={"HX-Reswap": "none"}, results=results,
                  oob_items=True, message=message, tone="warn" if refused or not results else "ok", counts=counts,
                  view=queue_query(f))


def _pairs(values: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """`article_id|pledge_id` selections as pairs; malformed ones are dropped."""
    out = []
    for value in values:
        article_id, sep, pledge_id = value.partition("|")
        if sep and article_id and pledge_id:
            out.append((article_id, pledge_id))
    return out


@router.post("/undo")
def undo(request: Request, decision_id: Annotated[str, Form()] = "", view: Annotated[str, Form()] = "",
         back: Annotated[str, Form()] = "", shown: Annotated[str, Form()] = "") -> Response:
    """Undo the moderator's own last decision, or (admins) any decision by id.
    `shown`: the items on the moderator's page; when the undone one is among
    them only it is swapped back, so earlier decisions stay in view."""
    f = queue_filter_from_view(view)
    config = request.app.state.config

    def work(con):
        viewer = current_viewer(con, request)
        outcome = decision_store.undo(con, viewer.name, decision_id=int(decision_id) if decision_id.isdigit() else None,
                                  is_admin=viewer.is_admin)
        target = decision_store.get_decision(con, outcome.decision.undoes) if outcome.decision else None
        context = decision_store.link_context(con, target.article_id, target.pledge_id) if target else None
        restored = queue_store.queue_item(con, target.article_id, target.pledge_id, viewer.name) if target else None
        items = queue_store.queue_items(con, f, viewer.name, config.page_size) if back != "audit" else []
        return viewer, outcome, context, restored, items, queue_store.queue_counts(con, f, viewer.name)

    try:
        viewer, outcome, context, restored, items, counts = request.app.state.db.write(work)
    except DatabaseBusyError:
        return _busy(request, {"decision_id": decision_id, "view": view, "back": back}, "/undo")
    message, tone = _said(outcome, context)
    if back == "audit":
        return RedirectResponse(f"/audit?done={outcome.status}", status_code=303)
    if not is_htmx(request):
        return RedirectResponse(queue_url(f), status_code=303)
    if restored is not None and all(i.article_id != restored.article_id or i.pledge_id != restored.pledge_id
                                    for i in items):
        items = [restored, *items]
    headers = {}
    if restored is not None:
        restored_id = dom_id(restored.article_id, restored.pledge_id)
        headers["HX-Trigger-After-Settle"] = json.dumps({"pw:focus": restored_id})
        if restored_id in shown.split(","):
            headers.update({"HX-Retarget": f"#{restored_id}", "HX-Reswap": "outerHTML"})
            return render(request, "_restored.html", viewer=viewer, status=STATUS[outcome.status], headers=headers,
                          item=restored, counts=counts, flash_message=message, tone=tone, view=queue_query(f))
    return render(request, "_queue_list.html", viewer=viewer, status=STATUS[outcome.status], headers=headers,
                  items=items, counts=counts, oob_counts=True, flash_message=message, tone=tone, view=queue_query(f))
