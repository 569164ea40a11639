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
from services.api.etag import etag_of
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may
from services.api.pages.desk.records import (COMPANY_FIELDS, create_record, edit_record, form_of,
                                             history_rows, record_form)
from services.api.pages.rendering import render
from services.api.params import IdPath
from shared.audit.service import history, record_access
from shared.companies import service as companies
from shared.companies.schemas import CompanyCreate, CompanyUpdate
from shared.models import Company, Contact

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(record_form)]
FIELDS = COMPANY_FIELDS
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
    def names(ids: list[int]) -> dict[int, str]:
        return {c.id: c.name for c in session.exec(select(Company).where(Company.id.in_(ids)))}

    done = create_record(session, values=values, fields=FIELDS, schema=CompanyCreate, names=names, lang=desk.lang,
                         create=lambda data: companies.create_company(session, data=data, actor=desk.actor),
                         taken="business_id")
    if done.status == 303:
        return RedirectResponse(f"/desk/companies/{done.record.id}?lang={desk.lang}&note=created", status_code=303)
    return _form(request, desk, values=values, errors=done.errors, duplicates=done.duplicates, status_code=done.status)


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
    done = edit_record(session, record=company, values=values, fields=FIELDS, schema=CompanyUpdate, lang=desk.lang,
                       update=lambda changes: companies.update_company(session, company=company, changes=changes,
                                                                       actor=desk.actor), taken="business_id")
    if done.status == 303:
        return RedirectResponse(f"/desk/companies/{company_id}?lang={desk.lang}&note=saved", status_code=303)
    shown = {**values, "etag": etag_of(company)} if done.conflicts else values  # read anew: saving again is knowing
    return _form(request, desk, values=shown, company=company, errors=done.errors, clash=done.conflicts,
                 status_code=done.status)
