"""Art. 19: partners that received a person's data are told of its rectification, erasure or
restriction. Here the follow-ups are queued as pending disclosures; the partner issue delivers
them through each partner's channel and marks them done."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from shared.models import Disclosure
from shared.common.person_copies import hold_person_copies

FOLLOW_UP_KINDS = frozenset({"correction", "deletion", "restriction"})


def queue_partner_followups(session: Session, *, contact_id: int, kind: str, request_id: uuid.UUID) -> int:
    """One pending follow-up per (partner, purpose) that got the person's data. A deletion notice
    names no contact (the person is being erased); the others keep the link so the partner
    delivery can send the corrected values. Returns how many were queued."""
    if kind not in FOLLOW_UP_KINDS:
        raise ValueError(f"unknown follow-up kind {kind!r}")
    hold_person_copies(session)
    transfers = session.exec(select(Disclosure.recipient, Disclosure.purpose, Disclosure.fields).where(
        Disclosure.contact_id == contact_id, Disclosure.recipient_kind == "partner",
        Disclosure.kind == "transfer")).all()
    fields: dict[tuple[str, str], set[str]] = {}
    for recipient, purpose, names in transfers:
        fields.setdefault((recipient, purpose), set()).update(names or [])
    for (recipient, purpose), names in sorted(fields.items()):
        session.add(Disclosure(
            contact_id=None if kind == "deletion" else contact_id, recipient=recipient, recipient_kind="partner",
            purpose=purpose, fields=sorted(names), kind=kind, status="pending", request_id=request_id,
        ))
    session.flush()
    return len(fields)
