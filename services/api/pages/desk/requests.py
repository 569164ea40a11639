"""The privacy officer's request pages: the queue (most urgent first, days left, overdue marked,
filters, counts per status), recording a request that came by letter, email or phone, and a
request's detail with the actions its state allows. Every decision is previewed first: the very
message the person gets, in their language (shared/subject_requests/desk.py), then sent. A form
carries the request's ETag: a stale one gets a conflict message, never a silent overwrite. The
decisions are the API's own domain functions (shared/subject_requests/service.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from services.api.deps import SessionDep
from services.api.etag import check_if_match, etag_of
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.privacy_centre import FIELDS, form_values
from services.api.pages.rendering import render
from shared.audit.service import record_access
from shared.common.errors import Conflict, DomainError
from shared.i18n import has_label, label, t
from shared.models import Contact, RequestChannel, User, utcnow, RequestKind, RequestStatus, SubjectRequest
from shared.subject_requests import desk as queue, service
from shared.subject_requests.schemas import (
    Decision,
    Extension,
    ManualVerification,
    RectificationApproval,
    RepeatDecision,
    StaffRequestCreate,
)
from shared.subject_requests.states import FINAL

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
Action = Path(pattern="^(verify|approve|repeat|reject|extend|cancel)$")
STAFF_CHANNELS = (RequestChannel.letter, RequestChannel.email, RequestChannel.phone, RequestChannel.in_person)
ERROR_KEYS = {"reason": "reason", "note": "reason", "months": "months", "decision": "decision", "method": "method",
              "verification_method": "method", "email": "email", "kind": "kind", "channel": "channel",
              "objection_scope": "scope", "received_on": "date", "proposed_changes": "changes",
              "free_text": "too_long", "name": "too_long", "contact_id": "contact"}


# -- the queue ------------------------------------------------------------------------------------

@router.get("/desk/requests", response_class=HTMLResponse)
def queue_page(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    query = request.query_params
    shown = query.get("status") or "open"
    status = RequestStatus(shown) if shown in RequestStatus.__members__ else None
    kind = RequestKind(query["kind"]) if query.get("kind") in RequestKind.__members__ else None
    items = service.list_requests(session, status=status, kind=kind, open_only=shown == "open", limit=500)
    rows = [{"r": r, "due": queue.effective_due(r), "days": queue.days_left(r)} for r in items]
    return render(request, "desk/requests.html", lang=desk.lang, desk=desk, rows=rows,
                  counts=queue.counts_by_status(session), shown=shown if status or shown == "all" else "open",
                  kind=kind.value if kind else "", statuses=list(RequestStatus), kinds=list(RequestKind))


# -- a request by letter, email or phone ----------------------------------------------------------

def _new_form(request: Request, desk: Desk, *, values: dict[str, str], errors: dict[str, str],
              status_code: int = 200) -> HTMLResponse:
    return render(request, "desk/request_new.html", lang=desk.lang, desk=desk, values=values, errors=errors,
                  kinds=list(RequestKind), channels=STAFF_CHANNELS, fields=FIELDS, status_code=status_code)


@router.get("/desk/requests/new", response_class=HTMLResponse)
def new_form(request: Request, desk: DeskUser) -> HTMLResponse:
    return _new_form(request, desk, values={"channel": "letter", "language": "fi"}, errors={})


def _field_errors(error: ValidationError, lang: str, *, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "kind"
        field = {"proposed_changes": "change_first_name", "note": "reason"}.get(name, name)
        found.setdefault(prefix + field, t(f"desk.requests.error.{ERROR_KEYS.get(name, 'value')}", lang))
    return found


@router.post("/desk/requests/new", response_class=HTMLResponse)
def create(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    changes = {f: values[f"change_{f}"] for f in FIELDS if values.get(f"change_{f}")}
    payload: dict[str, Any] = {
        "kind": values.get("kind"), "channel": values.get("channel"), "email": values.get("email") or None,
        "name": values.get("name") or None, "language": values.get("language") or "fi",
        "received_on": values.get("received_on") or None, "free_text": values.get("free_text") or None,
        "verification_method": values.get("verification_method", ""), "note": values.get("note") or None,
        "objection_scope": values.get("objection_scope") or None if values.get("kind") == "objection" else None,
        "proposed_changes": changes or None}
    try:
        data = StaffRequestCreate.model_validate({k: v for k, v in payload.items() if v is not None})
    except ValidationError as error:
        return _new_form(request, desk, values=values, errors=_field_errors(error, desk.lang), status_code=422)
    made = service.create_staff_request(session, data=data, actor=desk.actor)
    return RedirectResponse(f"/desk/requests/{made.id}?lang={desk.lang}&note=created", status_code=303)


# -- one request ----------------------------------------------------------------------------------

def _contact(session: Session, sr: SubjectRequest) -> Contact | None:
    return session.get(Contact, sr.contact_id) if sr.contact_id else None


def actions_for(sr: SubjectRequest) -> list[str]:
    """The actions the request's state allows (the domain refuses the rest anyway)."""
    if sr.status in FINAL:
        return []
    found = []
    if sr.status in (RequestStatus.received, RequestStatus.awaiting_verification):
        found.append("verify")
    if sr.kind == RequestKind.rectification and sr.status == RequestStatus.verified and sr.contact_id:
        found.append("approve")
    if (sr.kind == RequestKind.access and sr.status == RequestStatus.verified and sr.repeat_count
            and sr.repeat_decision is None):
        found.append("repeat")
    found.append("reject")
    if sr.extended_due_at is None and utcnow() < sr.due_at:  # told before the first month ends
        found.append("extend")
    found.append("cancel")
    return found


def actor_names(session: Session, entries: list[queue.Entry], lang: str) -> dict[str, str]:
    """Who made each status change, as the officer reads it: a staff member's name, else the actor's label."""
    names: dict[str, str] = {}
    for entry in entries:
        actor = entry.event.actor if entry.event else None
        if not actor or actor in names:
            continue
        kind, _, ident = actor.partition(":")
        user = session.get(User, int(ident)) if kind == "user" and ident.isdigit() else None
        names[actor] = (user.name if user else t("desk.actor.subject", lang) if kind == "subject"
                        else label("actor", kind, lang) if has_label("actor", kind) else actor)
    return names


def _detail(request: Request, session: Session, desk: Desk, sr: SubjectRequest, *, errors: dict[str, str] | None = None,
            values: dict[str, str] | None = None, problem: str | None = None, open_action: str | None = None,
            status_code: int = 200) -> HTMLResponse:
    contact = _contact(session, sr)
    entries = queue.timeline(session, request=sr)
    page = render(request, "desk/request.html", lang=desk.lang, desk=desk, sr=sr, contact=contact,
                  etag=etag_of(sr), timeline=entries, actors=actor_names(session, entries, desk.lang), due=queue.effective_due(sr),
                  days=queue.days_left(sr), actions=actions_for(sr), errors=errors or {}, values=values or {},
                  problem=problem, open_action=open_action, note=request.query_params.get("note"),
                  fields=[f for f in FIELDS if f in (sr.proposed_changes or {})], status_code=status_code)
    if contact is not None:  # the person's current data is on the page: logged as the API logs a read
        record_access(session, actor=desk.actor, contact_ids=[contact.id], route="GET /desk/requests/{request_id}")
    return page


RequestIdPath = Annotated[uuid.UUID, Path()]


@router.get("/desk/requests/{request_id}", response_class=HTMLResponse)
def detail(request: Request, session: SessionDep, desk: DeskUser, request_id: RequestIdPath) -> HTMLResponse:
    return _detail(request, session, desk, service.get_request(session, request_id=request_id))


def _approval(sr: SubjectRequest, values: dict[str, str], lang: str) -> tuple[RectificationApproval, dict[str, str]]:
    """Each proposed field accepted or refused (a refusal with its reason, told to the person)."""
    errors: dict[str, str] = {}
    changes: dict[str, str] = {}
    reasons: list[str] = []
    for name, proposed in (sr.proposed_changes or {}).items():
        choice = values.get(f"decision_{name}")
        reason = " ".join(values.get(f"reason_{name}", "").split())
        if choice == "accept":
            changes[name] = proposed
        elif choice == "refuse" and len(reason) >= 3:
            reasons.append(f"{label('field', name, sr.language)}: {reason}")
        else:
            key = "decision" if choice != "refuse" else "reason"
            errors[f"decision_{name}" if key == "decision" else f"reason_{name}"] = t(f"desk.requests.error.{key}", lang)
    if errors:
        raise _FormErrors(errors)
    try:
        return RectificationApproval(changes=changes, note="\n".join(reasons) or None), {}
    except ValidationError as error:
        raise _FormErrors(_field_errors(error, lang)) from None


class _FormErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _decision(session: Session, sr: SubjectRequest, action: str, values: dict[str, str], desk: Desk) -> Callable[[], None]:
    """The domain call the form asks for (validated with the API's own schemas), not yet made."""
    actor = desk.actor
    try:
        if action == "verify":
            body = ManualVerification(method=values.get("method", ""))
            return lambda: service.verify_manually(session, request=sr, method=body.method, actor=actor)
        if action == "approve":
            approval, _ = _approval(sr, values, desk.lang)
            return lambda: service.approve_rectification(session, request=sr, changes=approval.changes,
                                                         reason=approval.note, actor=actor)
        if action == "repeat":
            rd = RepeatDecision(decision=values.get("decision", ""), reason=values.get("reason", ""))
            return lambda: service.decide_repeat(session, request=sr, decision=rd.decision, reason=rd.reason, actor=actor)
        if action == "reject":
            d = Decision(reason=values.get("reason", ""))
            return lambda: service.reject(session, request=sr, reason=d.reason, actor=actor)
        if action == "extend":
            months = values.get("months", "")
            ext = Extension(months=int(months) if months.isdigit() else 0, reason=values.get("reason", ""))
            return lambda: service.extend(session, request=sr, months=ext.months, reason=ext.reason, actor=actor)
        return lambda: service.cancel(session, request=sr, actor=actor)
    except ValidationError as error:
        raise _FormErrors(_field_errors(error, desk.lang, prefix=f"{action}_")) from None


def _problem(error: DomainError, lang: str) -> str:
    """The refusal in the reader's language (the error's own key, from the one error table's texts)."""
    return t(error.key, lang)


@router.post("/desk/requests/{request_id}/{action}", response_class=HTMLResponse)
def act(request: Request, session: SessionDep, desk: DeskUser, request_id: RequestIdPath,
        action: Annotated[str, Action], values: FormValues) -> Response:
    sr = service.get_request(session, request_id=request_id)
    try:
        check_if_match(values.get("etag"), sr)  # the API's If-Match rule, as a hidden field
    except HTTPException:
        return _detail(request, session, desk, sr, problem=t("desk.requests.stale", desk.lang), status_code=409)
    if action not in actions_for(sr):
        return _detail(request, session, desk, sr, problem=t("desk.requests.not_now", desk.lang), status_code=409)
    try:
        decide = _decision(session, sr, action, values, desk)
    except _FormErrors as bad:
        return _detail(request, session, desk, sr, errors=bad.errors, values=values, open_action=action,
                       status_code=422)
    try:
        if values.get("step") != "send":
            mails = queue.preview(session, request=sr, decide=decide)
            sr = service.get_request(session, request_id=request_id)
            hidden = [(k, v) for k, v in values.items() if k not in ("csrf", "step")]
            return render(request, "desk/request_preview.html", lang=desk.lang, desk=desk, sr=sr, action=action,
                          mails=mails, hidden=hidden, values=values)
        with session.begin_nested():  # a refusal undoes only the decision's own writes
            decide()
    except DomainError as refused:
        session.expire_all()
        sr = service.get_request(session, request_id=request_id)
        return _detail(request, session, desk, sr, problem=_problem(refused, desk.lang), values=values,
                       open_action=action, status_code=409 if isinstance(refused, Conflict) else 422)
    return RedirectResponse(f"/desk/requests/{sr.id}?lang={desk.lang}&note={action}", status_code=303)


