"""Retention: the plan of the next sweep (counts per rule, no names; the API's `plan`), running it
now with a reason (the API's `schedule_sweep`; the reason is kept in the job's payload),
past sweeps and, for the roles the table lets see them, the legal holds in force."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may, reason_error
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from shared.models import utcnow
from shared.retention import holds
from shared.retention.sweep import list_runs, plan, schedule_sweep

log = structlog.get_logger(__name__)
router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
SWEEP_REASON_MIN = 3  # as SweepRequest in services/api/routes/retention.py


def _page(request: Request, session, desk: Desk, *, errors=None, values=None, status_code: int = 200) -> HTMLResponse:
    sees_holds = may(desk, "GET", "/v1/legal-holds")
    return render(request, "desk/retention.html", lang=desk.lang, desk=desk, plan=plan(session, now=utcnow()),
                  runs=list_runs(session, limit=20), holds=holds.list_holds(session) if sees_holds else None,
                  note=request.query_params.get("note"), errors=errors or {}, values=values or {},
                  status_code=status_code)


@router.get("/desk/retention", response_class=HTMLResponse)
def retention(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _page(request, session, desk)


@router.post("/desk/retention/run", response_class=HTMLResponse)
def run_now(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    if errors := reason_error(values, desk.lang, minimum=SWEEP_REASON_MIN):
        return _page(request, session, desk, errors=errors, values=values, status_code=422)
    job = schedule_sweep(session, trigger="desk", created_by=desk.user.id, request_id=desk.actor.request_id,
                         reason=values["reason"].strip()[:200])
    log.info("retention.sweep_requested", job_id=str(job.id), user_id=desk.user.id)
    return RedirectResponse(f"/desk/retention?lang={desk.lang}&note=queued", status_code=303)
