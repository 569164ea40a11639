"""What changed while a transfer's file was on its way (GDPR Art. 19).

A transfer selects its people, writes the file and delivers it before it records who got it.
A person erased, rectified or restricted in between was not yet among the partner's recipients
when that follow-up looked for them, so the transfer queues the notice itself, for its own
partner, when it records: a deletion notice (by a fresh ref, the person is gone), a correction or
a restriction notice citing the subject request. `shared.common.person_copies` orders the two sides.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session

from shared.models import Disclosure, utcnow
from shared.models.partners import Partner, SubjectRef, Transfer
from shared.partners.crypto import derived_key, subject_ref

# A follow-up that committed late but stamped its time a little before the selection still counts.
MARGIN = timedelta(minutes=5)


def record_changes_meanwhile(session: Session, *, transfer: Transfer, partner: Partner, people_sql: str,
                             params: dict, selected_at: datetime) -> dict[str, int]:
    """Queue the partner's pending notices for people in the file (`people_sql` yields their ids)
    who were erased, rectified or restricted since `selected_at`. Call it holding the exclusive
    disclosure lock. Returns counts per kind."""
    gone = session.execute(text(
        f"SELECT p.id FROM ({people_sql}) AS p (id) WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = p.id)"),
        params).scalars().all()
    key, now, notices = derived_key("partner-subject-ref"), utcnow(), []
    for contact_id in gone:
        request_id = uuid.uuid4()
        session.add(SubjectRef(request_id=request_id, recipient=partner.name,
                               ref=subject_ref(partner.id, contact_id, key=key), created_at=now))
        notices.append(Disclosure(contact_id=None, recipient=partner.name, recipient_kind="partner",
                                  purpose=transfer.purpose, fields=list(transfer.fields), kind="deletion",
                                  status="pending", request_id=request_id))
    changed = session.execute(text(
        "SELECT r.contact_id, r.kind, r.id FROM subject_requests r "
        f"WHERE r.contact_id IN (SELECT id FROM ({people_sql}) AS p (id)) "
        "AND r.kind IN ('rectification', 'restriction') AND r.status = 'completed' AND r.completed_at >= :since"),
        {**params, "since": selected_at - MARGIN}).all()
    for contact_id, kind, request_id in changed:
        notices.append(Disclosure(contact_id=contact_id, recipient=partner.name, recipient_kind="partner",
                                  purpose=transfer.purpose, fields=list(transfer.fields),
                                  kind="correction" if kind == "rectification" else "restriction",
                                  status="pending", request_id=request_id))
    session.add_all(notices)
    session.flush()
    counts: dict[str, int] = {}
    for notice in notices:
        counts[notice.kind] = counts.get(notice.kind, 0) + 1
    return counts
