"""Retention: the plan of the next sweep (counts per rule, no names; the API's `plan`), running it
now with a reason (the API's `schedule_sweep`; the reason is kept in the job's payload),
past sweeps and, for the roles the table lets see them, the legal holds in force, placed and
released through the API's own `place_hold` / `release_hold`."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.api.deps import SessionDep
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may, reason_error
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from shared.common.errors import DomainError, InvalidReference
from shared.i18n import t
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
                  may_hold=may(desk, "POST", "/desk/retention/holds"),
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


HOLD_FIELDS = {"contact_id": "contact_id", "company_id": "company_id", "hold_reason": "reason", "until": "until"}


def _hold_errors(error: ValidationError, lang: str) -> dict[str, str]:
    """The schema's complaints as messages next to the hold form's fields."""
    found: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        if name == "reason":
            found.setdefault("hold_reason", t("reg.reason_short", lang, n=5))
        elif name == "until":
            found.setdefault("until", t("reg.retention.hold_until_invalid", lang))
        elif name in ("contact_id", "company_id"):
            found.setdefault(name, t("reg.retention.hold_not_found", lang))
        else:  # neither or both targets
            found.setdefault("contact_id", t("reg.retention.hold_target_missing", lang))
    return found


@router.post("/desk/retention/holds", response_class=HTMLResponse)
def place_hold(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    given = {field: values.get(name, "").strip() for name, field in HOLD_FIELDS.items()}
    try:
        data = holds.LegalHoldCreate.model_validate({k: v for k, v in given.items() if v})
        holds.place_hold(session, data=data, actor=desk.actor)
    except ValidationError as error:
        return _page(request, session, desk, errors=_hold_errors(error, desk.lang), values=values, status_code=422)
    except InvalidReference as missing:
        return _page(request, session, desk, errors={missing.field: t("reg.retention.hold_not_found", desk.lang)},
                     values=values, status_code=422)
    return RedirectResponse(f"/desk/retention?lang={desk.lang}&note=placed#holds", status_code=303)


@router.post("/desk/retention/holds/{hold_id}/release", response_class=HTMLResponse)
def release_hold(request: Request, session: SessionDep, desk: DeskUser, hold_id: int) -> Response:
    try:
        holds.release_hold(session, hold_id=hold_id, actor=desk.actor)
    except DomainError as refused:
        return _page(request, session, desk, errors={"release": t(refused.key, desk.lang)}, status_code=409)
    return RedirectResponse(f"/desk/retention?lang={desk.lang}&note=released#holds", status_code=303)
