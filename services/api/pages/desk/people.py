"""The person page: everything the register holds about one person in the order an access answer
gives it (shared/subject_requests/person_record.py), and the privacy officer's actions on it, each
with a reason: restrict, tell the person a restriction will be lifted and then lift it, record an
objection received by phone, start an erasure. Restricting, objecting and erasing are recorded as
requests from the person through the API's own `create_staff_request`; lifting is the API's
`notify_restriction_lift` + notice mail, then `lift_restriction`. Opening a page with people on
it writes the access log as the API's reads do."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.api.deps import SessionDep
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may, reason_error
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from shared.audit.service import record_access
from shared.common.errors import DomainError
from shared.contacts import service as contacts
from shared.contacts.search import search_contacts
from shared.i18n import t
from shared.models import ObjectionScope, RequestChannel
from shared.subject_requests.answer_html import section_body
from shared.subject_requests.messages import send_contact_email
from shared.subject_requests.person_record import person_record
from shared.subject_requests.schemas import StaffRequestCreate
from shared.subject_requests.service import create_staff_request, list_requests

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
Action = Path(pattern="^(restrict|lift-notice|lift|objection|erasure)$")
CHANNELS = (RequestChannel.phone, RequestChannel.letter, RequestChannel.email, RequestChannel.in_person)
REQUEST_KIND = {"restrict": "restriction", "objection": "objection", "erasure": "erasure"}


@router.get("/desk/people", response_class=HTMLResponse)
def people(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    query = (request.query_params.get("q") or "").strip()[:200]
    found = search_contacts(session, q=query, limit=50)[0] if query else []
    record_access(session, actor=desk.actor, contact_ids=[c.id for c in found], route="GET /desk/people")
    return render(request, "desk/people.html", lang=desk.lang, desk=desk, query=query, found=found)


def _page(request: Request, session, desk: Desk, contact_id: int, *, errors: dict[str, str] | None = None,
          values: dict[str, str] | None = None, action: str | None = None, status_code: int = 200) -> HTMLResponse:
    record = person_record(session, contact_id=contact_id, language=desk.lang)
    bodies = {category: section_body(category, section, desk.lang) for category, section in record.sections.items()}
    worked = list_requests(session, contact_id=contact_id) if may(desk, "GET", "/desk/requests/{request_id}") else []
    page = render(request, "desk/person.html", lang=desk.lang, desk=desk, record=record, bodies=bodies,
                  worked=worked, errors=errors or {}, values=values or {}, action=action, channels=CHANNELS,
                  scopes=list(ObjectionScope), note=request.query_params.get("note"), status_code=status_code,
                  can_act=may(desk, "POST", "/desk/people/{contact_id}/{action}"))
    record_access(session, actor=desk.actor, contact_ids=[contact_id], route="GET /desk/people/{contact_id}")
    return page


@router.get("/desk/people/{contact_id}", response_class=HTMLResponse)
def person(request: Request, session: SessionDep, desk: DeskUser, contact_id: int) -> HTMLResponse:
    return _page(request, session, desk, contact_id)


def _request_errors(error: ValidationError, lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        if name == "verification_method":
            found.setdefault("verification_method", t("reg.person.verification_short", lang))
        elif name == "objection_scope" or (name == "" and "objection" in str(item.get("msg"))):
            found.setdefault("objection_scope", t("reg.person.scope_missing", lang))
        else:
            found.setdefault("reason", t("reg.reason_short", lang, n=10))
    return found


@router.post("/desk/people/{contact_id}/{action}", response_class=HTMLResponse)
def act(request: Request, session: SessionDep, desk: DeskUser, values: FormValues, contact_id: int,
        action: Annotated[str, Action]) -> Response:
    contact = contacts.get_contact(session, contact_id=contact_id)
    errors = reason_error(values, desk.lang)
    if errors:
        return _page(request, session, desk, contact_id, errors=errors, values=values, action=action,
                     status_code=422)
    reason = values["reason"].strip()
    try:
        if action == "lift-notice":
            contacts.notify_restriction_lift(session, contact=contact, actor=desk.actor)
            send_contact_email(session, contact=contact, template="restriction_lifting", reason=reason)
            return RedirectResponse(f"/desk/people/{contact_id}?lang={desk.lang}&note=told", status_code=303)
        if action == "lift":
            contacts.lift_restriction(session, contact=contact, actor=desk.actor)
            return RedirectResponse(f"/desk/people/{contact_id}?lang={desk.lang}&note=lifted", status_code=303)
        payload = {"kind": REQUEST_KIND[action], "channel": values.get("channel") or "phone",
                   "contact_id": contact_id, "email": contact.email, "language": contact.language,
                   "verification_method": values.get("verification_method", ""), "note": reason,
                   "objection_scope": values.get("objection_scope") or None if action == "objection" else None}
        data = StaffRequestCreate.model_validate({k: v for k, v in payload.items() if v is not None})
    except ValidationError as error:
        return _page(request, session, desk, contact_id, errors=_request_errors(error, desk.lang), values=values,
                     action=action, status_code=422)
    except DomainError as refused:
        return _page(request, session, desk, contact_id, errors={"reason": t(refused.key, desk.lang)},
                     values=values, action=action, status_code=409)
    made = create_staff_request(session, data=data, actor=desk.actor)
    return RedirectResponse(f"/desk/requests/{made.id}?lang={desk.lang}&note=created", status_code=303)
