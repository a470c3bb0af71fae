"""The audit log: every decision ever appended, filterable; for admins, who may
also undo any decision from here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from review.auth import current_viewer, require_admin
from review.filters import audit_filter
from review.templating import render
from storage import decisions as decision_store

router = APIRouter()
PAGE = 100
DONE = {
    "ok": ("取り消しました。(Undone.)", "ok"),
    "conflict": ("取り消せませんでした：既に取り消されているか、その後に別の判定があります。"
                 "(Not undone: already undone, or decided again since.)", "warn"),
    "invalid": ("取り消せない判定です。(That decision cannot be undone.)", "error"),
    "forbidden": ("権限がありません。(Not allowed.)", "error"),
}


@router.get("/audit")
def audit_page(request: Request, page: int = 1, done: str = "") -> HTMLResponse:
    f = audit_filter(request.query_params)
    page = max(1, min(page, 10_000))
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        require_admin(viewer)
        rows = decision_store.audit_log(con, f, limit=PAGE + 1, offset=(page - 1) * PAGE)
        moderators = decision_store.decision_moderators(con)
    message, tone = DONE.get(done, (None, None))
    query = {k: v for k, v in request.query_params.items() if k not in ("page", "done")}
    return render(request, "audit.html", viewer=viewer, rows=rows[:PAGE], more=len(rows) > PAGE, page=page, f=f,
                  moderators=moderators, query=query, flash_message=message, tone=tone)
