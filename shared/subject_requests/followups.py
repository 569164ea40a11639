"""Art. 19: partners that received a person's data are told of its rectification, erasure or
restriction. Here the follow-ups are queued as pending disclosures; the partner issue delivers
them through each partner's channel and marks them done."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session, select

from shared.models import Disclosure

FOLLOW_UP_KINDS = frozenset({"correction", "deletion", "restriction"})
DISCLOSURE_LOCK = 0x52_45_4B_44  # "REKD": transfers recording vs follow-ups reading disclosures


def hold_disclosures(session: Session, *, exclusive: bool = False) -> None:
    """Order follow-ups against a transfer that is recording who got a file, until the transaction ends.

    Follow-ups (erasure, rectification, restriction) take the lock shared, so they never wait for
    each other; a transfer takes it exclusively just before it writes its disclosure rows, and
    then writes them in a fresh snapshot. So either the follow-up sees the transfer's rows and
    queues its notice, or the transfer sees the follow-up's change and queues the notice itself
    (shared/transfers/meanwhile.py). Without it an erasure committing while the file was on its
    way left the erased id in `disclosures` and the partner was never told."""
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.execute(text(f"SELECT {function}(:key)"), {"key": DISCLOSURE_LOCK})


def queue_partner_followups(session: Session, *, contact_id: int, kind: str, request_id: uuid.UUID) -> int:
    """One pending follow-up per (partner, purpose) that got the person's data. A deletion notice
    names no contact (the person is being erased); the others keep the link so the partner
    delivery can send the corrected values. Returns how many were queued."""
    if kind not in FOLLOW_UP_KINDS:
        raise ValueError(f"unknown follow-up kind {kind!r}")
    hold_disclosures(session)
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
