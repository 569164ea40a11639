"""Client companies (sales, marketing; privacy reads)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter, Query, Response, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdPath
from services.api.etag import IfMatch, check_if_match, set_etag
from shared.audit.service import history
from shared.companies import service
from shared.companies.schemas import CompanyCreate, CompanyCreated, CompanyPublic, CompanyUpdate
from shared.contacts.schemas import ChangePublic
from shared.dedup.incremental import likely_duplicates
from shared.models import Company, CompanyStatus
from shared.pagination import Page
from shared.common.schemas import BusinessId

router = APIRouter(prefix="/v1/companies", tags=["companies"])


@router.get("", response_model=Page[CompanyPublic], summary="Search companies")
def search(session: SessionDep, actor: StaffActor, q: str | None = Query(None, max_length=200),
           business_id: BusinessId | None = None, status_: CompanyStatus | None = Query(None, alias="status"),
           owner: str | None = Query(None, max_length=200),
           sort: Literal["name", "-name", "created_at", "-created_at"] = "name",
           cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=500)) -> Page:
    items, next_cursor = service.search_companies(session, q=q, business_id=business_id, status=status_,
                                                  owner=owner, sort=sort, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@router.post("", response_model=CompanyCreated, status_code=status.HTTP_201_CREATED,
             summary="Create a company; the answer names its likely duplicates (warn, don't block)")
def create(body: CompanyCreate, session: SessionDep, actor: StaffActor, response: Response) -> CompanyCreated:
    company = service.create_company(session, data=body, actor=actor)
    set_etag(response, company)
    duplicates = [asdict(d) for d in likely_duplicates(session, company=company)]
    return CompanyCreated.model_validate({**company.model_dump(), "duplicates": duplicates})


@router.get("/{company_id}", response_model=CompanyPublic)
def read(company_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> Company:
    company = service.get_company(session, company_id=company_id)
    set_etag(response, company)
    return company


@router.patch("/{company_id}", response_model=CompanyPublic, summary="Change fields (If-Match required)")
def update(company_id: IdPath, body: CompanyUpdate, session: SessionDep, actor: StaffActor,
           response: Response, if_match: IfMatch = None) -> Company:
    company = service.get_company(session, company_id=company_id)
    check_if_match(if_match, company)
    service.update_company(session, company=company, changes=body.model_dump(exclude_unset=True), actor=actor)
    set_etag(response, company)
    return company


@router.delete("/{company_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete (If-Match required)")
def delete(company_id: IdPath, session: SessionDep, actor: StaffActor, if_match: IfMatch = None) -> None:
    company = service.get_company(session, company_id=company_id)
    check_if_match(if_match, company)
    service.delete_company(session, company=company, actor=actor)


@router.get("/{company_id}/history", response_model=list[ChangePublic], summary="Change history")
def company_history(company_id: IdPath, session: SessionDep, actor: StaffActor) -> list:
    service.get_company(session, company_id=company_id)
    return history(session, company_id=company_id)
