"""The breach register: each breach with the 72-hour countdown from when it became known, the
estimate from the access and disclosure logs, and the notifications made. The API's own domain
functions (shared/notice: create_breach, update_breach with the version as If-Match in a hidden
field, record_estimate)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.api.deps import SessionDep
from services.api.etag import etag_of
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import moment
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from shared import notice
from shared.common.errors import DomainError
from shared.i18n import t
from shared.models import utcnow
from shared.models.partners import Breach, BreachStatus
from shared.notice import BreachCreate, BreachEstimate, BreachUpdate

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
TIMES = ("discovered_at", "authority_notified_at", "subjects_notified_at", "since", "until")


def countdown(breach: Breach, *, now) -> dict[str, Any]:
    """The deadline, the hours and minutes left (None once past), and whether it was reported."""
    public = notice.breach_public(breach, now=now)
    left = public.report_deadline - now
    minutes = int(left.total_seconds() // 60)
    return {"deadline": public.report_deadline, "overdue": public.overdue, "reported": bool(breach.authority_notified_at),
            "left": (minutes // 60, minutes % 60) if minutes > 0 else None}


def _times(values: dict[str, str], lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    found, errors = {}, {}
    for name in TIMES:
        try:
            found[name] = moment(values.get(name))
        except ValueError:
            errors[name] = t("reg.invalid_time", lang)
    return found, errors


def _errors(error: ValidationError, lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "summary"
        key = "reg.breaches.future" if "past" in str(item.get("msg", "")).lower() else (
            "reg.breaches.summary_missing" if name in ("summary", "description") else "reg.invalid_time")
        found.setdefault(name, t(key, lang))
    return found


def _list(request: Request, session, desk: Desk, *, errors=None, values=None, status_code: int = 200) -> HTMLResponse:
    now = utcnow()
    rows = [(b, countdown(b, now=now)) for b in notice.list_breaches(session)]
    return render(request, "desk/breaches.html", lang=desk.lang, desk=desk, rows=rows, errors=errors or {},
                  values=values or {}, status_code=status_code)


@router.get("/desk/breaches", response_class=HTMLResponse)
def breaches(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _list(request, session, desk)


@router.post("/desk/breaches", response_class=HTMLResponse)
def record_breach(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    times, errors = _times(values, desk.lang)
    if not errors:
        try:
            data = BreachCreate.model_validate({"summary": values.get("summary", ""),
                                                "description": values.get("description", ""),
                                                "discovered_at": times["discovered_at"]})
        except ValidationError as error:
            errors = _errors(error, desk.lang)
    if errors:
        return _list(request, session, desk, errors=errors, values=values, status_code=422)
    breach = notice.create_breach(session, data=data, created_by=desk.user.id)
    return RedirectResponse(f"/desk/breaches/{breach.id}?lang={desk.lang}", status_code=303)


def _detail(request: Request, session, desk: Desk, breach: Breach, *, errors=None, values=None, problem=None,
            status_code: int = 200) -> HTMLResponse:
    return render(request, "desk/breaches_detail.html", lang=desk.lang, desk=desk, b=breach,
                  clock=countdown(breach, now=utcnow()), etag=etag_of(breach), statuses=list(BreachStatus),
                  errors=errors or {}, values=values or {}, problem=problem, status_code=status_code)


@router.get("/desk/breaches/{breach_id}", response_class=HTMLResponse)
def breach(request: Request, session: SessionDep, desk: DeskUser, breach_id: int) -> HTMLResponse:
    return _detail(request, session, desk, notice.get_breach(session, breach_id=breach_id))


@router.post("/desk/breaches/{breach_id}", response_class=HTMLResponse)
def update(request: Request, session: SessionDep, desk: DeskUser, values: FormValues, breach_id: int) -> Response:
    found = notice.get_breach(session, breach_id=breach_id)
    if values.get("etag") != etag_of(found):  # the API's If-Match rule: a stale form changes nothing
        return _detail(request, session, desk, found, values=values, problem=t("reg.conflict", desk.lang),
                       status_code=412)
    times, errors = _times(values, desk.lang)
    changes: dict[str, Any] = {k: times[k] for k in ("authority_notified_at", "subjects_notified_at") if times.get(k)}
    changes |= {k: values[k].strip() for k in ("delay_reason", "measures", "consequences") if values.get(k, "").strip()}
    if values.get("status"):
        changes["status"] = values["status"]
    if not errors:
        try:
            data = BreachUpdate.model_validate(changes)
        except ValidationError as error:
            errors = _errors(error, desk.lang)
    if errors:
        return _detail(request, session, desk, found, errors=errors, values=values, status_code=422)
    notice.update_breach(session, breach=found, data=data)
    return RedirectResponse(f"/desk/breaches/{breach_id}?lang={desk.lang}", status_code=303)


@router.post("/desk/breaches/{breach_id}/estimate", response_class=HTMLResponse)
def estimate(request: Request, session: SessionDep, desk: DeskUser, values: FormValues, breach_id: int) -> Response:
    found = notice.get_breach(session, breach_id=breach_id)
    times, errors = _times(values, desk.lang)
    if not errors:
        try:
            data = BreachEstimate.model_validate({"since": times["since"], "until": times["until"]})
            notice.record_estimate(session, breach=found, data=data)
        except ValidationError as error:
            errors = _errors(error, desk.lang)
        except DomainError as refused:
            errors = {"until": t(refused.key, desk.lang)}
    if errors:
        return _detail(request, session, desk, found, errors=errors, values=values, status_code=422)
    return RedirectResponse(f"/desk/breaches/{breach_id}?lang={desk.lang}", status_code=303)
