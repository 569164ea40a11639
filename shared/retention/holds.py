"""Legal holds: the law (or a claim) requires keeping a contact's or a company's data. While a
hold is active the retention sweep leaves the record alone, an erasure request keeps what the
hold covers (and says why), and the people concerned are restricted (Art. 18(1)(c)) — used for
nothing else meanwhile. Releasing the last hold lifts the restriction the hold set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import structlog
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import false, or_, union
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes
from shared.models import Company, Contact, utcnow
from shared.models.partners import LegalHold
from shared.common.errors import Conflict, InvalidReference, NotFound
from shared.common.schemas import DbId, StrictInput, text_field

log = structlog.get_logger(__name__)
RESTRICTION_PREFIX = "legal hold"
# What an erasure keeps of a held person: the record and what documents the relationship.
HELD_TABLES = ("contacts", "interactions", "feedback", "consents", "change_history", "disclosures")


class LegalHoldCreate(StrictInput):
    contact_id: DbId | None = None
    company_id: DbId | None = None
    reason: text_field(5, 500) = Field(description="the law or the claim; an erasure answer quotes it to the person")
    until: date | None = Field(default=None, description="none: until released")

    @model_validator(mode="after")
    def _one_target(self) -> LegalHoldCreate:
        if (self.contact_id is None) == (self.company_id is None):
            raise ValueError("give exactly one of contact_id and company_id")
        return self


class LegalHoldPublic(BaseModel):
    id: int
    contact_id: int | None
    company_id: int | None
    reason: str
    until: date | None
    active: bool
    created_by: int | None
    created_at: datetime
    released_at: datetime | None


@dataclass(frozen=True)
class HeldData:
    """A table an erasure must keep, and why (the shape of erasure.py's LegalHold)."""

    table: str
    reason: str


def active(now: datetime):
    """The condition of a hold in force at `now`."""
    return LegalHold.released_at.is_(None) & or_(LegalHold.until.is_(None), LegalHold.until >= now.date())


def held_company_ids(now: datetime):
    return select(LegalHold.company_id).where(active(now), LegalHold.company_id.is_not(None))


def held_contact_ids(now: datetime):
    """Contacts held themselves or through their company (a subquery)."""
    direct = select(LegalHold.contact_id).where(active(now), LegalHold.contact_id.is_not(None))
    via_company = select(Contact.id).where(Contact.company_id.in_(held_company_ids(now)))
    return union(direct, via_company)


def _covered(session: Session, hold: LegalHold) -> list[Contact]:
    query = select(Contact).where(Contact.id == hold.contact_id) if hold.contact_id else \
        select(Contact).where(Contact.company_id == hold.company_id)
    return list(session.exec(query.order_by(Contact.id)).all())


def restrict_held(session: Session, *, contacts: list[Contact], reason: str, actor: Actor) -> int:
    """Restrict whoever is not restricted yet; how many were."""
    count = 0
    for contact in contacts:
        if contact.restricted_at is None:
            apply_changes(session, entity=contact, actor=actor, changes={
                "restricted_at": utcnow(), "restriction_reason": f"{RESTRICTION_PREFIX}: {reason}"[:500]})
            count += 1
    return count


def place_hold(session: Session, *, data: LegalHoldCreate, actor: Actor) -> LegalHold:
    """Record the hold and restrict the people it covers."""
    if data.contact_id and session.get(Contact, data.contact_id) is None:
        raise InvalidReference("contact_id", "no contact has this id")
    if data.company_id and session.get(Company, data.company_id) is None:
        raise InvalidReference("company_id", "no company has this id")
    hold = LegalHold(**data.model_dump(), created_by=actor.user_id)
    session.add(hold)
    session.flush()
    restricted = restrict_held(session, contacts=_covered(session, hold), reason=hold.reason, actor=actor)
    log.info("legal_hold.placed", hold_id=hold.id, restricted=restricted)
    return hold


def release_hold(session: Session, *, hold_id: int, actor: Actor) -> LegalHold:
    """End the hold; lift the restriction it set from whoever no other hold covers."""
    hold = session.get(LegalHold, hold_id, with_for_update=True)
    if hold is None:
        raise NotFound("no such legal hold")
    if hold.released_at is not None:
        raise Conflict("the legal hold was already released")
    now = utcnow()
    hold.released_at, hold.released_by = now, actor.user_id
    session.add(hold)
    session.flush()
    still_held = set(session.execute(held_contact_ids(now)).scalars().all())
    lifted = 0
    for contact in _covered(session, hold):
        reason = contact.restriction_reason or ""
        if contact.id not in still_held and reason.startswith(RESTRICTION_PREFIX):
            apply_changes(session, entity=contact, actor=actor,
                          changes={"restricted_at": None, "restriction_reason": None})
            lifted += 1
    log.info("legal_hold.released", hold_id=hold.id, lifted=lifted)
    return hold


def list_holds(session: Session, *, only_active: bool = True, limit: int = 500) -> list[LegalHold]:
    query = select(LegalHold).order_by(LegalHold.id.desc()).limit(limit)
    return list(session.exec(query.where(active(utcnow())) if only_active else query).all())


def to_public(hold: LegalHold, *, now: datetime) -> LegalHoldPublic:
    in_force = hold.released_at is None and (hold.until is None or hold.until >= now.date())
    return LegalHoldPublic(**hold.model_dump(), active=in_force)


def erasure_holds(session: Session, *, contact_id: int | None, now: datetime | None = None) -> list[HeldData]:
    """What an erasure of this person must keep, and why (the hook in subject_requests/erasure.py)."""
    if contact_id is None:
        return []
    now = now or utcnow()
    company_id = session.exec(select(Contact.company_id).where(Contact.id == contact_id)).first()
    reasons = session.exec(select(LegalHold.reason).where(active(now), or_(
        LegalHold.contact_id == contact_id, (LegalHold.company_id == company_id) if company_id else false(),
    )).order_by(LegalHold.id)).all()
    if not reasons:
        return []
    reason = "; ".join(dict.fromkeys(reasons))
    return [HeldData(table=table, reason=reason) for table in HELD_TABLES]
