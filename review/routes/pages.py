"""Read-only views: a pledge with its approved activities, and progress per politician, a page at a time."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from review.auth import current_viewer
from review.filters import progress_filter, progress_query, typed_choice
from review.templating import render
from storage import pledge_pages as page_store
from storage import queue as queue_store
from storage import stages

router = APIRouter()
PAGE_SIZE = 50
MAX_PAGE = 10_000


@router.get("/pledges/{pledge_id}")
def pledge_page(request: Request, pledge_id: str) -> HTMLResponse:
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        pledge = page_store.pledge_detail(con, pledge_id)
        staged = stages.staged_activities(con, pledge_id)
        progress = stages.pledge_progress(con, pledge_id).get(pledge_id)
    if pledge is None:
        raise HTTPException(404)
    return render(request, "pledge.html", viewer=viewer, pledge=pledge, progress=progress,
                  markers=axis_markers(staged), stage_of={a.article_id: a for a in staged})


def axis_markers(staged: list[stages.StagedActivity]) -> list[tuple[float, stages.StagedActivity]]:
    """Each staged activity with its place on the time axis, 0-100 % from the
    first activity to the last (one activity sits in the middle)."""
    if not staged:
        return []
    first, last = staged[0].activity_at, staged[-1].activity_at
    span = (last - first).total_seconds()
    return [(round(100 * (a.activity_at - first).total_seconds() / span, 1) if span else 50.0, a) for a in staged]


@router.get("/progress")
def progress_page(request: Request, page: int = 1) -> HTMLResponse:
    """Pledges in owner order, PAGE_SIZE at a time, narrowed by politician
    (searched as typed, as in the queue), party, furthest stage and words."""
    f = progress_filter(request.query_params)
    page = max(1, min(page, MAX_PAGE))
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        name = page_store.owner_name(con, f.politician)
        offers: dict[str, tuple[str, list]] = {}
        if "politician_q" in request.query_params:
            politician, offer = typed_choice(request.query_params, "politician",
                                             queue_store.Choice(f.politician, name) if f.politician and name else None,
                                             lambda typed: queue_store.search_politicians(con, typed))
            if offer:
                offers["politician"] = offer
            if politician != f.politician:
                f = replace(f, politician=politician)
                name = page_store.owner_name(con, politician)
        found = page_store.progress_page(con, f, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        if not found.owners and page > 1:
            page = max(1, -(-page_store.count_progress(con, f) // PAGE_SIZE))
            found = page_store.progress_page(con, f, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        counts = queue_store.queue_counts(con, queue_store.QueueFilter(), viewer.name)
        parties = page_store.parties(con)
    chosen = queue_store.Choice(f.politician, name) if f.politician and name else None
    return render(request, "progress.html", viewer=viewer, found=found, counts=counts, f=f, page=page,
                  pages=max(1, -(-found.total // PAGE_SIZE)), page_size=PAGE_SIZE, query=progress_query(f),
                  chosen=chosen, offers=offers, parties=parties, NO_STAGE=page_store.NO_STAGE)
