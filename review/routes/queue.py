"""The queue: pending suggestions for the signed-in moderator, and the
searches its politician and pledge filters and the re-link dialog use."""

from __future__ import annotations

from dataclasses import replace

import duckdb
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import QueryParams

from review import messages
from review.auth import current_viewer
from review.filters import queue_filter, queue_filter_from_view, queue_query, queue_url, text, typed_choice
from review.templating import render
from storage import queue as queue_store
from storage.catalog_search import LIMIT

router = APIRouter()


@router.get("/")
def home(request: Request) -> Response:
    with request.app.state.db.reading() as con:
        current_viewer(con, request)
    return RedirectResponse("/queue", status_code=303)


def _typed(con: duckdb.DuckDBPyConnection, params: QueryParams, f: queue_store.QueueFilter,
           chosen: queue_store.FilterChoices) -> tuple[queue_store.QueueFilter, dict[str, tuple[str, list]]]:
    """The politician and pledge filters as typed (review.filters.typed_choice);
    the pledge search ranks the politician chosen first."""
    offers: dict[str, tuple[str, list]] = {}
    if "politician_q" in params:
        politician, offer = typed_choice(params, "politician", chosen.politician,
                                         lambda typed: queue_store.search_politicians(con, typed))
        f = replace(f, politician=politician)
        if offer:
            offers["politician"] = offer
    if "pledge_q" in params:
        owner = f.politician
        pledge, offer = typed_choice(params, "pledge", chosen.pledge,
                                     lambda typed: queue_store.search_pledges(con, typed, owner=owner))
        f = replace(f, pledge=pledge)
        if offer:
            offers["pledge"] = offer
    return f, offers


def _queue_context(request: Request, list_only: bool) -> tuple[str, dict]:
    f = queue_filter(request.query_params)
    config = request.app.state.config
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        context: dict = {}
        if not list_only:
            chosen = queue_store.filter_choices(con, f)
            resolved, offers = _typed(con, request.query_params, f, chosen)
            if resolved != f:
                f, chosen = resolved, queue_store.filter_choices(con, resolved)
            context.update(choices=chosen, offers=offers)
        context.update({
            "viewer": viewer, "f": f, "view": queue_query(f),
            "items": queue_store.queue_items(con, f, viewer.name, config.page_size),
            "counts": queue_store.queue_counts(con, f, viewer.name),
        })
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
    """The re-link dialog's choices, as radio buttons."""
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        found = queue_store.search_pledges(con, text(q) or "", near=text(pledge_id), limit=LIMIT + 1)
    return render(request, "_pledge_options.html", viewer=viewer, pledges=found[:LIMIT], more=len(found) > LIMIT, q=q)


@router.get("/relink")
def relink_page(request: Request, article_id: str = "", pledge_id: str = "", q: str = "",
                view: str = "") -> HTMLResponse:
    """The re-link dialog as a page, for a browser that runs no script (or
    whose review.js failed): the search is a form that reloads this page, and
    its matches are radio buttons in the same POST to /decide the dialog sends.
    With no words typed, the politician's other pledges come first."""
    f = queue_filter_from_view(view)
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        item = queue_store.queue_item(con, article_id, pledge_id, viewer.name)
        found = (queue_store.search_pledges(con, text(q) or "", near=item.pledge_id, limit=LIMIT + 1)
                 if item else [])
    if item is None:
        return render(request, "message.html", viewer=viewer, status=404, tone="warn", back=queue_url(f),
                      message=messages.NOT_PENDING, results=[])
    return render(request, "relink.html", viewer=viewer, item=item, pledges=found[:LIMIT], more=len(found) > LIMIT,
                  q=text(q) or "", view=queue_query(f), back=queue_url(f))


@router.get("/search/politicians")
def politician_suggestions(request: Request, q: str = "") -> JSONResponse:
    """Suggestions for the politician filter as the moderator types."""
    with request.app.state.db.reading() as con:
        current_viewer(con, request)
        found = queue_store.search_politicians(con, text(q) or "")
    return JSONResponse({"q": q, "matches": [{"id": m.id, "label": m.name, "detail": m.detail} for m in found]})


@router.get("/search/pledges")
def pledge_suggestions(request: Request, q: str = "", politician: str = "") -> JSONResponse:
    """Suggestions for the pledge filter; the chosen politician's pledges first."""
    with request.app.state.db.reading() as con:
        current_viewer(con, request)
        found = queue_store.search_pledges(con, text(q) or "", owner=text(politician))
    return JSONResponse({"q": q, "matches": [
        {"id": m.id, "label": m.title,
         "detail": (m.politician or m.politician_id) + ("（カタログから外れた公約）" if m.retired else "")}
        for m in found]})
