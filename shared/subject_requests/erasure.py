"""Erasure (Art. 17): the person's personal data hard-deleted from every table, in one transaction.

What stays afterwards, and why:
- a keyed hash (HMAC) of each known email on the suppression list (reason `erased`), so that a
  later import cannot bring the person back into marketing;
- one change-history row saying that an erasure happened and when (entity `contacts`, id 0,
  the request id as reason): not who, and no values;
- the disclosure rows that record transfers to partners, without the contact id, plus one
  pending `deletion` follow-up per partner that received the data (Art. 19);
- the current request with its email, which the confirmation is sent to. Limitation: the
  address stays on that request (and on the confirmation's outbox row) after sending; the
  retention issue scrubs finished requests and sent mail.

The job's work commits together with the job's success (shared/jobs/runner.py): a worker killed
half-way leaves nothing half-erased, and a rerun starts from the untouched person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import and_, delete, func, null, or_, text, update
from sqlmodel import Session, SQLModel, select

from shared.i18n import label, t
from shared.jobs.runner import JobContext
from shared.models import (
    AccessExport,
    ChangeRecord,
    Company,
    Consent,
    Contact,
    Disclosure,
    EmailMessage,
    Feedback,
    Interaction,
    RequestKind,
    SubjectRequest,
    Subscription,
    VisitorLink,
    WebEvent,
    metadata,
    utcnow,
)
from shared.common.suppression import suppress
from shared.common.person_copies import hold_person_copies
from shared.subject_requests.followups import queue_partner_followups
from shared.subject_requests.messages import send_request_email
from shared.subject_requests.service import complete
from shared.subject_requests.states import FINAL

log = structlog.get_logger(__name__)

AUDIT_ACTOR = "subject-request"


@dataclass(frozen=True)
class LegalHold:
    """Data that must outlive an erasure request (a table of it), and the law that says so."""

    table: str
    reason: str


def legal_holds(session: Session, *, contact_id: int | None) -> list[LegalHold]:
    """Holds on this person's data (shared/retention/holds.py): held tables are kept and reported."""
    from shared.retention.holds import erasure_holds

    return [LegalHold(table=h.table, reason=h.reason) for h in erasure_holds(session, contact_id=contact_id)]


@dataclass
class _Eraser:
    """One erasure's session, the tables under a legal hold, and the rows touched so far."""

    session: Session
    held: frozenset[str]
    counts: dict[str, int] = field(default_factory=dict)

    def delete(self, model: type[SQLModel], *where: Any) -> None:
        """A table-level DELETE (no ORM bookkeeping for 300k web events) unless the table is held."""
        table = model.__tablename__
        if table not in self.held:
            rows = self.session.exec(delete(model.__table__).where(*where)).rowcount
            self.counts[table] = self.counts.get(table, 0) + rows


def _lock_contact(session: Session, *, contact_id: int | None, email: str | None) -> Contact | None:
    """The person's contact row, locked (FOR UPDATE) so a concurrent edit cannot bring data back."""
    query = select(Contact).with_for_update()
    contact = session.exec(query.where(Contact.id == contact_id)).first() if contact_id else None
    if contact is None and email:
        contact = session.exec(query.where(Contact.email == email)).first()
    return contact


def _queue_partner_deletions(session: Session, *, contact_id: int, request_id: uuid.UUID) -> int:
    """Queue a pending `deletion` per partner and purpose that got the data; unlink the person's disclosures."""
    from shared.partners.service import remember_subject_refs

    remember_subject_refs(session, contact_id=contact_id, request_id=request_id)
    queued = queue_partner_followups(session, contact_id=contact_id, kind="deletion", request_id=request_id)
    session.exec(update(Disclosure.__table__).where(Disclosure.contact_id == contact_id).values(contact_id=None))
    return queued


def _unlink_access_log(session: Session, *, contact_id: int) -> tuple[int, int]:
    """Remove the id from every access-log row and delete the rows left naming nobody: (kept, deleted)."""
    rows = session.exec(text(
        "UPDATE access_log SET contact_ids = array_remove(contact_ids, :cid) "
        "WHERE contact_ids @> ARRAY[CAST(:cid AS integer)] RETURNING id, cardinality(contact_ids)"
    ), params={"cid": contact_id}).all()
    empty = [row[0] for row in rows if not row[1]]
    if empty:
        session.exec(text("DELETE FROM access_log WHERE id = ANY(:ids)"), params={"ids": empty})
    return len(rows) - len(empty), len(empty)


def _sole_trader_company(session: Session, *, contact: Contact) -> Company | None:
    """The person's company if it is a sole trader (toiminimi) with no other contact persons."""
    company = session.get(Company, contact.company_id) if contact.company_id else None
    if company is None or not company.sole_trader:
        return None
    others = session.exec(select(func.count()).select_from(Contact).where(
        Contact.company_id == company.id, Contact.id != contact.id)).one()
    return None if others else company


def _erase_contact(eraser: _Eraser, *, contact: Contact, request_id: uuid.UUID) -> None:
    """Everything that hangs on the contact row, the row itself, then a sole trader's company."""
    session, held, counts, cid = eraser.session, eraser.held, eraser.counts, contact.id
    visitors = list(session.exec(select(VisitorLink.visitor_id).where(VisitorLink.contact_id == cid)).all())
    company = _sole_trader_company(session, contact=contact)
    for model in (Interaction, Feedback, Consent, Subscription):
        eraser.delete(model, model.contact_id == cid)
    about_visitors = and_(ChangeRecord.field == "web_visitor",
                          or_(ChangeRecord.old_value.in_(visitors), ChangeRecord.new_value.in_(visitors)))
    eraser.delete(ChangeRecord, or_(
        ChangeRecord.contact_id == cid, and_(ChangeRecord.entity == "contacts", ChangeRecord.entity_id == cid),
        about_visitors))
    if "access_log" not in held:
        counts["access_log_unlinked"], counts["access_log"] = _unlink_access_log(session, contact_id=cid)
    if "disclosures" not in held:
        counts["disclosure_followups"] = _queue_partner_deletions(session, contact_id=cid, request_id=request_id)
    eraser.delete(WebEvent, or_(WebEvent.contact_id == cid, WebEvent.visitor_id.in_(visitors)))
    eraser.delete(VisitorLink, VisitorLink.contact_id == cid)
    eraser.delete(Contact, Contact.id == cid)
    session.expunge(contact)
    if company is None or held & {"companies", "contacts"}:
        return
    for model in (Interaction, Feedback):
        eraser.delete(model, model.company_id == company.id)
    eraser.delete(ChangeRecord, or_(ChangeRecord.company_id == company.id,
                                    and_(ChangeRecord.entity == "companies", ChangeRecord.entity_id == company.id)),
                  or_(ChangeRecord.contact_id.is_(None), ChangeRecord.contact_id == cid))
    # The last delete (tests/e2e/test_erasure_e2e.py holds this row's lock to stop a worker here).
    eraser.delete(Company, Company.id == company.id)
    session.expunge(company)


def _erase_correspondence(eraser: _Eraser, *, contact_id: int | None, emails: set[str],
                          request_id: uuid.UUID) -> None:
    """Mail to the person (queued or sent), and their other finished requests and access exports."""
    addresses = sorted(emails | {e.lower() for e in emails})
    to_person = func.lower(EmailMessage.to_address).in_(addresses)
    theirs = SubjectRequest.email.in_(addresses)
    if contact_id is not None:
        to_person = or_(to_person, EmailMessage.contact_id == contact_id)
        theirs = or_(theirs, SubjectRequest.contact_id == contact_id)
    eraser.delete(EmailMessage, to_person)
    if "subject_requests" in eraser.held:
        return
    others = select(SubjectRequest.id).where(theirs, SubjectRequest.id != request_id,
                                             SubjectRequest.status.in_(list(FINAL))).scalar_subquery()
    eraser.delete(AccessExport, AccessExport.request_id.in_(others))
    eraser.counts["subject_requests_scrubbed"] = eraser.session.exec(
        update(SubjectRequest.__table__).where(SubjectRequest.id.in_(others)).values(
            email=None, name=None, free_text=None, proposed_changes=null(), approved_changes=null(), note=None,
            contact_id=None, version=SubjectRequest.version + 1, updated_at=utcnow())).rowcount


def held_tables(holds: list[LegalHold]) -> frozenset[str]:
    """The held tables plus the contact or company rows they hang on (deleting those would cascade)."""
    tables = {hold.table for hold in holds}
    parents = {fk.column.table.name for name in tables for fk in metadata.tables[name].foreign_keys
               if fk.ondelete == "CASCADE" and fk.column.table.name in ("contacts", "companies")}
    return frozenset(tables | parents)


def erase_person(session: Session, *, contact_id: int | None, email: str | None, request_id: uuid.UUID,
                 held: frozenset[str] = frozenset()) -> dict[str, int]:
    """Hard-delete the person's data in the caller's transaction; row counts per table, no personal data."""
    contact = _lock_contact(session, contact_id=contact_id, email=email)
    hold_person_copies(session)  # a transfer or campaign build copying this person finishes first, or after
    eraser = _Eraser(session=session, held=held, counts={"person_found": int(contact is not None)})
    emails = {e for e in (email, contact.email if contact else None) if e}
    if contact is not None:
        _erase_contact(eraser, contact=contact, request_id=request_id)
    _erase_correspondence(eraser, contact_id=contact.id if contact else contact_id, emails=emails,
                          request_id=request_id)
    for address in sorted(emails):
        suppress(session, email=address, reason="erased")
    eraser.counts["suppressed"] = len(emails)
    session.add(ChangeRecord(entity="contacts", entity_id=0, action="erasure", actor=AUDIT_ACTOR,
                             reason=str(request_id)))
    session.flush()
    return eraser.counts


def _exceptions(holds: list[LegalHold], language: str) -> str:
    """The lines that tell the subject what is kept under a legal hold, and why ("" if nothing)."""
    if not holds:
        return ""
    by_reason: dict[str, list[str]] = {}
    for hold in holds:
        by_reason.setdefault(hold.reason, []).append(label("entity", hold.table, language))
    kept = "\n".join(t("mail.erasure_done.kept_item", language, what=", ".join(sorted(set(what))), reason=reason)
                     for reason, what in by_reason.items())
    return t("mail.erasure_done.kept", language, kept=kept)


def run_erasure(session: Session, ctx: JobContext) -> dict[str, Any]:
    """The `subject_requests.erase` job: erase the request's person, confirm, complete the request."""
    request = session.get(SubjectRequest, uuid.UUID(ctx.payload["request_id"]), with_for_update=True)
    if request is None:
        log.warning("subject_requests.erasure_skipped", job_id=str(ctx.job_id), reason="request gone")
        return {"skipped": "request not found"}
    if request.kind != RequestKind.erasure:
        raise ValueError(f"request {request.id} is not an erasure request")
    if request.status in FINAL:
        return {"skipped": f"request already {request.status.value}"}
    holds = legal_holds(session, contact_id=request.contact_id)
    held = held_tables(holds)
    counts = erase_person(session, contact_id=request.contact_id, email=request.email, request_id=request.id,
                          held=held)
    # The request itself keeps only its email, for the confirmation below.
    request.contact_id = None
    request.name = request.free_text = request.note = None
    request.proposed_changes = request.approved_changes = null()
    if counts["person_found"]:
        kept = sorted({hold.table for hold in holds})
        outcome = "erased" + (f"; kept under legal hold: {', '.join(kept)}" if kept else "")
        send_request_email(session, request=request, template="erasure_done",
                           exceptions=_exceptions(holds, request.language.value))
    else:
        outcome = "no data held"
        send_request_email(session, request=request, template="no_data")
    complete(session, request=request, outcome=outcome, actor="system")
    log.info("subject_requests.erased", request_id=str(request.id), job_id=str(ctx.job_id), outcome=outcome,
             rows=sum(v for k, v in counts.items() if k in metadata.tables), holds=len(holds))
    return {"outcome": outcome, "counts": counts, "held": sorted({hold.table for hold in holds})}
