"""Client companies: create, read, search, update and delete, with change history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, func
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes, record_created, record_deleted
from shared.companies.schemas import CompanyCreate
from shared.models import Company, CompanyStatus, utcnow
from shared.pagination import Sort
from shared.common.errors import Conflict, NotFound

NAME_KEY = func.lower(Company.name, type_=String).collate("C")  # matches ix_companies_name_key
SORTS = {
    "name": lambda: Sort(NAME_KEY, Company.id),
    "-name": lambda: Sort(NAME_KEY, Company.id, descending=True),
    "created_at": lambda: Sort(Company.created_at, Company.id),
    "-created_at": lambda: Sort(Company.created_at, Company.id, descending=True),
}


def _ensure_business_id_free(session: Session, business_id: str | None, *, except_id: int | None = None) -> None:
    if business_id is None:
        return
    existing = session.exec(select(Company.id).where(Company.business_id == business_id)).first()
    if existing is not None and existing != except_id:
        raise Conflict("a company with this business ID is already in the register")


def create_company(session: Session, *, data: CompanyCreate, actor: Actor) -> Company:
    """Add a company; its business ID must be free."""
    _ensure_business_id_free(session, data.business_id)
    company = Company(**data.model_dump())
    if company.status == CompanyStatus.former_customer:
        company.relationship_ended_at = utcnow()
    session.add(company)
    record_created(session, entity=company, actor=actor)
    return company


def get_company(session: Session, *, company_id: int) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound("no such company")
    return company


def update_company(session: Session, *, company: Company, changes: dict[str, Any], actor: Actor) -> Company:
    """Change the given fields; ending a customer relationship stamps when it ended."""
    _ensure_business_id_free(session, changes.get("business_id"), except_id=company.id)
    status = changes.get("status")
    if status == CompanyStatus.former_customer and company.status != CompanyStatus.former_customer:
        changes = {**changes, "relationship_ended_at": utcnow()}
    elif status is not None and status != CompanyStatus.former_customer:
        changes = {**changes, "relationship_ended_at": None}
    apply_changes(session, entity=company, changes=changes, actor=actor)
    return company


def delete_company(session: Session, *, company: Company, actor: Actor) -> None:
    """Delete the company; its contacts stay, without a company."""
    record_deleted(session, entity=company, actor=actor)
    session.delete(company)
    session.flush()


def search_companies(
    session: Session,
    *,
    q: str | None = None,
    business_id: str | None = None,
    status: CompanyStatus | None = None,
    owner: str | None = None,
    sort: str = "name",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Company], str | None]:
    """Companies matching every given filter, one keyset page at a time."""
    order = SORTS[sort]()
    query = order.select(Company)
    if q:
        query = query.where(NAME_KEY.startswith(q.lower(), autoescape=True))
    if business_id:
        query = query.where(Company.business_id == business_id)
    if status is not None:
        query = query.where(Company.status == status)
    if owner:
        query = query.where(Company.owner == owner)
    rows = session.exec(order.apply(query, cursor=cursor, limit=limit)).all()
    return Sort.page(rows, limit=limit)

