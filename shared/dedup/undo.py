"""Undoing a merge: the members restored as they were, what moved moved back."""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlalchemy import insert, text, update
from sqlmodel import Session, select

from shared.audit.service import Actor, _text, record
from shared.dedup.repoint import (MODELS, OBJECTIONS, ONE, json_value, lock_records, pointers, primary_key,
                                  revive)
from shared.models import Consent, Contact, Subscription, metadata, utcnow
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupMerge
from shared.common.errors import Conflict, NotFound


def undo_merge(session: Session, *, merge_id: int, actor: Actor) -> DedupMerge:
    """Restore the members as they were and move back what moved. Kept: suppressions, and any
    objection or restriction recorded on the survivor after the merge (it holds for every member)."""
    merge = session.get(DedupMerge, merge_id, with_for_update=True)
    if merge is None:
        raise NotFound("no such merge")
    if merge.undone_at is not None or not merge.snapshot:
        raise Conflict("this merge has been undone already")
    entity, snap = str(merge.entity.value if isinstance(merge.entity, Enum) else merge.entity), merge.snapshot
    model, survivor_id = MODELS[entity], merge.survivor_contact_id or merge.survivor_company_id
    table = model.__table__
    survivor = lock_records(session, entity, [survivor_id])[survivor_id]
    by = Actor(label=actor.label, user_id=actor.user_id, reason=f"dedup-merge:{merge.id}")
    for field, (before, after) in snap["survivor"].items():
        if _text(json_value(getattr(survivor, field))) == _text(after):  # not changed again since
            value = revive(table, {field: before})[field]
            record(session, entity=survivor, action="undo", actor=by, field=field, old=getattr(survivor, field),
                   new=value)
            setattr(survivor, field, value)
    survivor.version += 1
    survivor.updated_at = utcnow()
    session.add(survivor)
    session.flush()
    unique = "email" if entity == "contacts" else "business_id"
    for row in snap["members"]:
        if row[unique] and session.exec(select(model.id).where(getattr(model, unique) == row[unique])).first():
            raise Conflict(f"the {unique.replace('_', ' ')} of record {row['id']} now belongs to another record")
        session.execute(insert(table).values(**revive(table, row)))
    columns = {t.name: c for t, c in pointers(entity)} | {"subscriptions": "contact_id",
                                                          "campaign_recipients": "contact_id"}
    for member, moved in snap["moved"].items():
        for name, keys in moved.items():
            pointing, column = metadata.tables[name], columns[name]
            key = primary_key(pointing)
            values = [revive(pointing, {key.name: k})[key.name] for k in keys]
            session.execute(update(pointing).where(key.in_(values), pointing.c[column] == survivor_id)
                            .values({column: int(member)}))
    for name, rows in snap["removed"].items():
        for row in rows:
            session.execute(insert(metadata.tables[name]).values(**revive(metadata.tables[name], row)))
    subscriptions = Subscription.__table__
    for sub_id, state in snap["subscriptions"].items():
        session.execute(update(subscriptions).where(subscriptions.c.id == int(sub_id))
                        .values(**revive(subscriptions, state)))
    if snap["consents"]:
        session.execute(update(Consent.__table__).where(Consent.id.in_(snap["consents"])).values(withdrawn_at=None))
    for row_id, before in snap["access_log"].items():
        session.execute(text("UPDATE access_log SET contact_ids = :ids WHERE id = :id"),
                        {"ids": before, "id": int(row_id)})
    if entity == "contacts":
        _keep_later_protection(session, survivor, merge)
    for member in merge.merged_ids:
        record(session, entity=survivor, action="undo", actor=by, field=f"restored_{ONE[entity]}", new=member)
    merge.undone_at, merge.undone_by, merge.snapshot = utcnow(), actor.label, None
    if merge.candidate_id is not None and (candidate := session.get(DedupCandidate, merge.candidate_id)) is not None:
        candidate.status, candidate.merge_id, candidate.decided_at = CandidateStatus.open, None, None
    session.add(merge)
    session.flush()
    return merge


def _keep_later_protection(session: Session, survivor: Contact, merge: DedupMerge) -> None:
    """An objection or restriction made on the merged record after the merge covers every member."""
    changes: dict[str, Any] = {}
    for at, channel in OBJECTIONS:
        if getattr(survivor, at) and getattr(survivor, at) > merge.at:
            changes |= {at: getattr(survivor, at), channel: getattr(survivor, channel)}
    if survivor.restricted_at and survivor.restricted_at > merge.at:
        changes |= {"restricted_at": survivor.restricted_at, "restriction_reason": survivor.restriction_reason}
    contacts = Contact.__table__
    for field, value in changes.items():
        session.execute(update(contacts).where(contacts.c.id.in_(merge.merged_ids), contacts.c[field].is_(None))
                        .values({field: value}))
