"""The queue: pending suggestions for the signed-in moderator, and the pledge
search the re-link dialog uses."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from review.auth import current_viewer
from review.filters import queue_filter, queue_query, text
from review.templating import render
from storage import queue as queue_store

router = APIRouter()


@router.get("/")
def home(request: Request) -> Response:
    with request.app.state.db.reading() as con:
        current_viewer(con, request)
    return RedirectResponse("/queue", status_code=303)


def _queue_context(request: Request, list_only: bool) -> tuple[str, dict]:
    f = queue_filter(request.query_params)
    config = request.app.state.config
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        context = {
            "viewer": viewer, "f": f, "view": queue_query(f),
            "items": queue_store.queue_items(con, f, viewer.name, config.page_size),
            "counts": queue_store.queue_counts(con, f, viewer.name),
        }
        if not list_only:
            context["choices"] = queue_store.filter_choices(con)
    return ("_queue_list.html" if list_only else "queue.html"), context


@router.get("/queue")
def queue_page(request: Request) -> HTMLResponse:
    template, context = _queue_context(request, list_only=False)
    return render(request, template, **context)


@router.get("/queue/list")
def queue_list(request: Request) -> HTMLResponse:
    """The list and counts alone: what the page fetches when its items are all decided."""
    template, context = _queue_context(request, list_only=True)
    return render(request, template, oob_counts=True, **context)


@router.get("/pledges/search")
def pledge_search(request: Request, q: str = "", pledge_id: str = "") -> HTMLResponse:
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        found = queue_store.search_pledges(con, text(q) or "", near=text(pledge_id))
    return render(request, "_pledge_options.html", viewer=viewer, pledges=found, q=q)
