"""Read-only views: a pledge with its approved activities, and progress per politician."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from review.auth import current_viewer
from review.templating import render
from storage import pledge_pages as page_store
from storage import queue as queue_store

router = APIRouter()


@router.get("/pledges/{pledge_id}")
def pledge_page(request: Request, pledge_id: str) -> HTMLResponse:
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        pledge = page_store.pledge_detail(con, pledge_id)
    if pledge is None:
        raise HTTPException(404)
    return render(request, "pledge.html", viewer=viewer, pledge=pledge)


@router.get("/progress")
def progress_page(request: Request) -> HTMLResponse:
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        politicians = page_store.progress(con)
        counts = queue_store.queue_counts(con, queue_store.QueueFilter(), viewer.name)
    return render(request, "progress.html", viewer=viewer, politicians=politicians, counts=counts)
