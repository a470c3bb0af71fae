"""Read-only views: a pledge with its approved activities, and progress per politician."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from review.auth import current_viewer
from review.templating import render
from storage import pledge_pages as page_store
from storage import queue as queue_store
from storage import stages

router = APIRouter()


@router.get("/pledges/{pledge_id}")
def pledge_page(request: Request, pledge_id: str) -> HTMLResponse:
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        pledge = page_store.pledge_detail(con, pledge_id)
        staged = stages.staged_activities(con, pledge_id)
        progress = stages.pledge_progress(con).get(pledge_id)
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
def progress_page(request: Request) -> HTMLResponse:
    with request.app.state.db.reading() as con:
        viewer = current_viewer(con, request)
        politicians = page_store.progress(con)
        counts = queue_store.queue_counts(con, queue_store.QueueFilter(), viewer.name)
        stage_progress = stages.pledge_progress(con)
    return render(request, "progress.html", viewer=viewer, politicians=politicians, counts=counts,
                  stage_progress=stage_progress)
