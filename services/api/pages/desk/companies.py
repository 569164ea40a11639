"""A company's page (sales, marketing; privacy reads): its details with their provenance, its
contact persons and its change history; "new" and "edit" forms with the API's schemas
(CompanyCreate, CompanyUpdate). A new company is checked against the register first and its
likely duplicates listed before saving is confirmed; an edit carries the ETag it was read at, and
a save someone made meanwhile is shown beside the reader's values, never overwritten. The
contact persons listed are in the access log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from services.api.deps import SessionDep
from services.api.errors import error_answer
from services.api.etag import etag_of
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may
from services.api.pages.desk.records import (PROVENANCE_FIELDS, Field, changed, conflicts, domain_errors,
                                             duplicates_shown, form_of, history_rows, missing, payload, record_form, stale,
                                             validate)
from services.api.pages.rendering import render
from services.api.params import IdPath
from shared.audit.service import history, record_access
from shared.common.errors import DomainError
from shared.companies import service as companies
from shared.companies.schemas import CompanyCreate, CompanyUpdate
from shared.dedup.incremental import likely_duplicates_before_saving
from shared.i18n import t
from shared.models import Company, CompanyStatus, Contact

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(record_form)]
FIELDS = (
    Field("name", required=True), Field("business_id"),
    Field("status", "select", tuple(CompanyStatus), "company_status", required=True),
    Field("owner", required=True), Field("street_address"), Field("postal_code"), Field("city"),
    Field("country", required=True), Field("website"), Field("sole_trader", "checkbox"),
    *PROVENANCE_FIELDS,
)
CONTACTS_SHOWN = 200


def _form(request: Request, desk: Desk, *, values: dict[str, str], company: Company | None = None,
          errors: dict[str, str] | None = None, duplicates: list | None = None, clash: list | None = None,
          status_code: int = 200) -> HTMLResponse:
    return render(request, "desk/record_form.html", lang=desk.lang, desk=desk, entity="company", fields=FIELDS,
                  values=values, errors=errors or {}, record=company, duplicates=duplicates or [],
                  conflicts=clash or [], status_code=status_code,
                  action=f"/desk/companies/{company.id}/edit" if company else "/desk/companies/new",
                  back=f"/desk/companies/{company.id}" if company else "/desk/search")


@router.get("/desk/companies/new", response_class=HTMLResponse)
def new_form(request: Request, desk: DeskUser) -> HTMLResponse:
    return _form(request, desk, values={"status": "prospect", "owner": "Jetmasters Oy", "country": "FI"})


@router.post("/desk/companies/new", response_class=HTMLResponse)
def create(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    data, errors = validate(CompanyCreate, payload(values, FIELDS), desk.lang)
    if errors:
        return _form(request, desk, values=values, errors=errors, status_code=422)
    try:
        if values.get("confirm") != "yes":
            found = likely_duplicates_before_saving(
                session, create=lambda: companies.create_company(session, data=data, actor=desk.actor))
            if found:
                names = {c.id: c.name for c in session.exec(select(Company).where(
                    Company.id.in_([d.id for d in found])))}
                errors = {"confirm": t("sales.error.confirm", desk.lang)} if values.get("checked") == "yes" else {}
                return _form(request, desk, values=values, duplicates=duplicates_shown(found, names), errors=errors,
                             status_code=422 if errors else 200)
        company = companies.create_company(session, data=data, actor=desk.actor)
        session.flush()
    except DomainError as refused:
        return _form(request, desk, values=values, errors=domain_errors(refused, desk.lang, taken="business_id"),
                     status_code=error_answer(refused)[0])
    return RedirectResponse(f"/desk/companies/{company.id}?lang={desk.lang}&note=created", status_code=303)


def _people(session: Session, company_id: int) -> list[Contact]:
    return list(session.exec(select(Contact).where(Contact.company_id == company_id)
                             .order_by(Contact.last_name, Contact.id).limit(CONTACTS_SHOWN)))


@router.get("/desk/companies/{company_id}", response_class=HTMLResponse)
def company_page(request: Request, session: SessionDep, desk: DeskUser, company_id: IdPath) -> HTMLResponse:
    company = companies.get_company(session, company_id=company_id)
    people = _people(session, company_id)
    changes = history(session, company_id=company_id)
    page = render(request, "desk/company.html", lang=desk.lang, desk=desk, company=company, fields=FIELDS,
                  details=form_of(company, FIELDS), people=people,
                  changes=history_rows(session, changes, FIELDS, desk.lang),
                  note=request.query_params.get("note"), can_write=may(desk, "POST", "/desk/companies/{company_id}/edit"))
    record_access(session, actor=desk.actor, contact_ids=[p.id for p in people], route="GET /desk/companies/{company_id}")
    return page


@router.get("/desk/companies/{company_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, session: SessionDep, desk: DeskUser, company_id: IdPath) -> HTMLResponse:
    company = companies.get_company(session, company_id=company_id)
    return _form(request, desk, values={**form_of(company, FIELDS), "etag": etag_of(company)}, company=company)


@router.post("/desk/companies/{company_id}/edit", response_class=HTMLResponse)
def edit(request: Request, session: SessionDep, desk: DeskUser, company_id: IdPath, values: FormValues) -> Response:
    company = companies.get_company(session, company_id=company_id)
    if stale(values, company):  # the API's If-Match rule: never a silent overwrite
        return _form(request, desk, values={**values, "etag": etag_of(company)}, company=company,
                     clash=conflicts(values, company, FIELDS), status_code=409)
    fields = changed(values, company, FIELDS)
    data, errors = validate(CompanyUpdate, payload(values, FIELDS, only=fields), desk.lang)
    errors = {**errors, **missing(values, FIELDS, desk.lang, only=fields)}
    if errors:
        return _form(request, desk, values=values, company=company, errors=errors, status_code=422)
    try:
        with session.begin_nested():
            companies.update_company(session, company=company, changes=data.model_dump(exclude_unset=True),
                                     actor=desk.actor)
    except DomainError as refused:
        session.expire_all()
        return _form(request, desk, values=values, company=companies.get_company(session, company_id=company_id),
                     errors=domain_errors(refused, desk.lang, taken="business_id"),
                     status_code=error_answer(refused)[0])
    return RedirectResponse(f"/desk/companies/{company_id}?lang={desk.lang}&note=saved", status_code=303)
