"""A contact person's page (sales, marketing; privacy reads) and its forms: the details with their
provenance, the mailing lists, interactions, feedback, website visits and change history as the
access answer gives them (shared/subject_requests/person_record.py), an interaction or feedback
recorded from the page; "new" and "edit" forms with the API's schemas (ContactCreate,
ContactUpdate). A new contact is first checked against the register (shared/dedup/incremental.py):
its likely duplicates are listed with links and saving must then be confirmed. An edit carries the
ETag it was read at: if someone saved meanwhile, both values are shown and nothing is saved.
Reading the page writes the access log as the API's read does."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, select

from services.api.deps import SessionDep
from services.api.etag import etag_of
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may, moment
from services.api.pages.desk.records import (CONTACT_FIELDS, create_record, edit_record, field_errors,
                                             form_of, record_form)
from services.api.params import IdPath
from services.api.pages.rendering import render
from shared.audit.service import record_access
from shared.contacts import service as contacts
from shared.contacts.schemas import ContactCreate, ContactUpdate
from shared.i18n import t
from shared.feedback.schemas import FeedbackCreate
from shared.feedback.service import create_feedback
from shared.interactions.schemas import InteractionCreate
from shared.interactions.service import create_interaction
from shared.models import Channel, Company, Contact, InteractionKind
from shared.subject_requests.answer_html import section_body
from shared.subject_requests.person_record import person_record

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(record_form)]
FIELDS = CONTACT_FIELDS
SECTIONS = ("subscriptions", "interactions", "feedback", "web_events", "change_history")
FEEDBACK_CHANNELS = (Channel.email, Channel.phone, Channel.letter, Channel.web, Channel.in_person)


def _page(request: Request, session: Session, desk: Desk, contact_id: int, *, errors: dict[str, str] | None = None,
          values: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    record = person_record(session, contact_id=contact_id, language=desk.lang)
    contact = record.contact
    company = session.get(Company, contact.company_id) if contact.company_id else None
    bodies = {c: section_body(c, record.sections[c], desk.lang) for c in SECTIONS if c in record.sections}
    page = render(request, "desk/contact.html", lang=desk.lang, desk=desk, record=record, c=contact, company=company,
                  fields=FIELDS, details=form_of(contact, FIELDS), bodies=bodies, errors=errors or {}, values=values or {},
                  note=request.query_params.get("note"), kinds=list(InteractionKind), channels=FEEDBACK_CHANNELS,
                  can_write=may(desk, "POST", "/desk/contacts/{contact_id}/edit"), status_code=status_code)
    record_access(session, actor=desk.actor, contact_ids=[contact_id], route="GET /desk/contacts/{contact_id}")
    return page


@router.get("/desk/contacts/new", response_class=HTMLResponse)
def new_form(request: Request, desk: DeskUser) -> HTMLResponse:
    company = request.query_params.get("company_id", "")
    values = {"language": "fi", "company_id": company if company.isdigit() else ""}
    return _form(request, desk, values=values)


def _form(request: Request, desk: Desk, *, values: dict[str, str], contact: Contact | None = None,
          errors: dict[str, str] | None = None, duplicates: list | None = None, clash: list | None = None,
          status_code: int = 200) -> HTMLResponse:
    action = f"/desk/contacts/{contact.id}/edit" if contact else "/desk/contacts/new"
    return render(request, "desk/record_form.html", lang=desk.lang, desk=desk, entity="contact", fields=FIELDS,
                  values=values, errors=errors or {}, action=action, record=contact, duplicates=duplicates or [],
                  conflicts=clash or [], status_code=status_code,
                  back=f"/desk/contacts/{contact.id}" if contact else "/desk/search")


@router.post("/desk/contacts/new", response_class=HTMLResponse)
def create(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    def names(ids: list[int]) -> dict[int, str]:
        return {c.id: f"{c.first_name} {c.last_name}" for c in session.exec(select(Contact).where(Contact.id.in_(ids)))}

    done = create_record(session, values=values, fields=FIELDS, schema=ContactCreate, names=names, lang=desk.lang,
                         create=lambda data: contacts.create_contact(session, data=data, actor=desk.actor),
                         taken="email")
    if done.status == 303:
        return RedirectResponse(f"/desk/contacts/{done.record.id}?lang={desk.lang}&note=created", status_code=303)
    page = _form(request, desk, values=values, errors=done.errors, duplicates=done.duplicates,
                 status_code=done.status)
    if done.duplicates:  # their names are on the page
        record_access(session, actor=desk.actor, contact_ids=[d["id"] for d in done.duplicates],
                      route="POST /desk/contacts/new")
    return page


@router.get("/desk/contacts/{contact_id}", response_class=HTMLResponse)
def contact_page(request: Request, session: SessionDep, desk: DeskUser, contact_id: IdPath) -> HTMLResponse:
    return _page(request, session, desk, contact_id)


@router.get("/desk/contacts/{contact_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, session: SessionDep, desk: DeskUser, contact_id: IdPath) -> HTMLResponse:
    contact = contacts.get_contact(session, contact_id=contact_id)
    page = _form(request, desk, values={**form_of(contact, FIELDS), "etag": etag_of(contact)},
                 contact=contact)
    record_access(session, actor=desk.actor, contact_ids=[contact_id], route="GET /desk/contacts/{contact_id}/edit")
    return page


@router.post("/desk/contacts/{contact_id}/edit", response_class=HTMLResponse)
def edit(request: Request, session: SessionDep, desk: DeskUser, contact_id: IdPath, values: FormValues) -> Response:
    contact = contacts.get_contact(session, contact_id=contact_id)
    done = edit_record(session, record=contact, values=values, fields=FIELDS, schema=ContactUpdate, lang=desk.lang,
                       update=lambda changes: contacts.update_contact(session, contact=contact, changes=changes,
                                                                      actor=desk.actor), taken="email")
    if done.status == 303:
        return RedirectResponse(f"/desk/contacts/{contact_id}?lang={desk.lang}&note=saved", status_code=303)
    shown = {**values, "etag": etag_of(contact)} if done.conflicts else values  # read anew: saving again is knowing
    page = _form(request, desk, values=shown, contact=contact, errors=done.errors, clash=done.conflicts,
                 status_code=done.status)
    record_access(session, actor=desk.actor, contact_ids=[contact_id], route="POST /desk/contacts/{contact_id}/edit")
    return page


@router.post("/desk/contacts/{contact_id}/interactions", response_class=HTMLResponse)
def add_interaction(request: Request, session: SessionDep, desk: DeskUser, contact_id: IdPath,
                    values: FormValues) -> Response:
    contacts.get_contact(session, contact_id=contact_id)
    body = {"kind": values.get("interaction_kind") or None, "contact_id": contact_id,
            "summary": values.get("interaction_summary") or None, "product": values.get("interaction_product") or None,
            "notes": values.get("interaction_notes") or None}
    try:
        body["occurred_at"] = moment(values.get("interaction_occurred_at"))
        data = InteractionCreate.model_validate({k: v for k, v in body.items() if v is not None})
    except ValueError as error:  # ValidationError is one; a time that is not one also
        errors = (field_errors(error, desk.lang, prefix="interaction_") if isinstance(error, ValidationError)
                  else {"interaction_occurred_at": t("sales.error.date", desk.lang)})
        return _page(request, session, desk, contact_id, errors=errors, values=values, status_code=422)
    create_interaction(session, data=data, actor=desk.actor)
    return RedirectResponse(f"/desk/contacts/{contact_id}?lang={desk.lang}&note=interaction_added#interactions",
                            status_code=303)


@router.post("/desk/contacts/{contact_id}/feedback", response_class=HTMLResponse)
def add_feedback(request: Request, session: SessionDep, desk: DeskUser, contact_id: IdPath,
                 values: FormValues) -> Response:
    contacts.get_contact(session, contact_id=contact_id)
    body = {"channel": values.get("feedback_channel") or None, "rating": values.get("feedback_rating") or None,
            "text": values.get("feedback_text") or None, "contact_id": contact_id}
    try:
        data = FeedbackCreate.model_validate({k: v for k, v in body.items() if v is not None})
    except ValidationError as error:
        return _page(request, session, desk, contact_id, errors=field_errors(error, desk.lang, prefix="feedback_"),
                     values=values, status_code=422)
    create_feedback(session, data=data, actor=desk.actor)
    return RedirectResponse(f"/desk/contacts/{contact_id}?lang={desk.lang}&note=feedback_added#feedback",
                            status_code=303)
