"""Merging duplicates into one record, in the caller's transaction — and undoing a merge.

- Survivorship per field: the reviewer's choice, else the most recent non-empty value (by the
  change history), provenance (legal basis, purposes, source …) as one unit from the best source;
  every choice is recorded with its rule.
- Everything that pointed at a merged-away record points at the survivor — every foreign key to
  it, found in the metadata, and the id columns without one; the access log has the id replaced
  in its arrays. Subscriptions to the same list keep the most protective status.
- The most protective state wins: the earliest objection of each kind, any restriction, a
  withdrawal of consent, any suppression; an objecting person's other addresses are suppressed,
  so a later import of one cannot bring them back into marketing.
- A restricted person is merged only when the caller allows it (the privacy officer), never
  automatically. Two companies with different business IDs are never merged.
- The snapshot taken here is what `undo_merge` restores; undo keeps every suppression.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Date, DateTime, Table, Uuid, delete, insert, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from shared.audit.service import Actor, _text, record
from shared.models import (CampaignRecipient, ChangeRecord, Company, Consent, Contact, SourceKind, Subscription,
                           Suppression, metadata, utcnow)
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupCandidateMember, DedupEntity, DedupMerge
from shared.register.errors import Conflict, InvalidReference, NotFound
from shared.register.suppression import email_hash, suppress

MODELS = {"contacts": Contact, "companies": Company}
ONE = {"contacts": "contact", "companies": "company"}
PROVENANCE = ("legal_basis", "purposes", "source", "source_provider", "source_received")
FIELDS = {
    "contacts": ("first_name", "last_name", "position", "email", "phone", "company_id", "language"),
    "companies": ("name", "business_id", "status", "owner", "street_address", "postal_code", "city", "country",
                  "website", "sole_trader"),
}
CHOOSABLE = {entity: frozenset(fields + PROVENANCE) for entity, fields in FIELDS.items()}
SOURCE_PRIORITY = [SourceKind.data_subject, SourceKind.controller, SourceKind.sister_company, SourceKind.stakeholder,
                   SourceKind.public_register, SourceKind.directory_service]
OBJECTIONS = (("objects_direct_marketing_at", "objects_direct_marketing_channel"),
              ("objects_research_at", "objects_research_channel"))
# Columns that name a contact or company without a foreign key (they outlive the row on purpose).
UNLINKED = {"contacts": {("disclosures", "contact_id"), ("subject_requests", "contact_id"),
                         ("change_history", "contact_id"), ("email_outbox", "contact_id")},
            "companies": {("change_history", "company_id")}}
FOLDED = {"subscriptions", "campaign_recipients", "dedup_candidate_members"}  # one per list / campaign / group
SUBSCRIPTION_RANK = {"subscribed": 0, "pending": 1, "unsubscribed": 2}
SUBSCRIPTION_STATE = ("status", "subscribed_at", "confirmed_at", "unsubscribed_at")


def pointers(entity: str) -> list[tuple[Table, str]]:
    """Every (table, column) that points at a record of the entity: each foreign key to it (so a
    table added later — legal holds, transfers — is re-pointed, never cascade-deleted) and the
    known columns without one. Subscriptions, campaign recipients and candidate groups fold apart."""
    found = {(fk.parent.table.name, fk.parent.name) for table in metadata.sorted_tables
             for fk in table.foreign_keys if fk.column.table.name == entity} | UNLINKED[entity]
    return [(metadata.tables[t], c) for t, c in sorted(found) if t not in FOLDED]


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _key(table: Table):
    return next(iter(table.primary_key.columns))


def _rows(session: Session, query) -> list:
    return list(session.execute(query).mappings().all())


def _dump(session: Session, table: Table, where) -> list[dict[str, Any]]:
    return [{k: _json(v) for k, v in row.items()} for row in _rows(session, table.select().where(where))]


def _revive(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    """A snapshot row's values as the columns take them (JSON keeps times and UUIDs as text)."""
    out = {}
    for name, value in data.items():
        kind = table.c[name].type
        if isinstance(value, str) and isinstance(kind, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(kind, Date):
            value = date.fromisoformat(value)
        elif isinstance(value, str) and isinstance(kind, Uuid):
            value = uuid.UUID(value)
        out[name] = value
    return out


def _lock(session: Session, entity: str, ids: list[int]) -> dict[int, Any]:
    model = MODELS[entity]
    found = {r.id: r for r in session.exec(select(model).where(model.id.in_(ids)).order_by(model.id)
                                           .with_for_update()).all()}
    if len(found) != len(set(ids)):
        raise NotFound(f"no such {ONE[entity]}: {sorted(set(ids) - set(found))}")
    return found


def _recency(session: Session, entity: str, ids: list[int]) -> dict[tuple[int, str], datetime]:
    """When each field of each record last got its value, from the change history."""
    rows = session.execute(sa_select(ChangeRecord.entity_id, ChangeRecord.field, text("max(at)"))
                           .where(ChangeRecord.entity == entity, ChangeRecord.entity_id.in_(ids),
                                  ChangeRecord.field.is_not(None))
                           .group_by(ChangeRecord.entity_id, ChangeRecord.field)).all()
    return {(row[0], row[1]): row[2] for row in rows}


def _plan(session: Session, entity: str, survivor, records: list, reviewer: dict[str, int]):
    """The survivor's new values and, per field, where each came from and by which rule."""
    by_id = {r.id: r for r in records}
    recency = _recency(session, entity, list(by_id))
    values: dict[str, Any] = {}
    choices: dict[str, dict[str, Any]] = {}

    def take(field: str, source, rule: str) -> None:
        values[field] = getattr(source, field)
        choices[field] = {"from": source.id, "rule": rule}

    for field in FIELDS[entity]:
        if field in reviewer:
            take(field, by_id[reviewer[field]], "reviewer")
            continue
        filled = [r for r in records if getattr(r, field) not in (None, "", [])]
        if filled:
            newest = max(filled, key=lambda r: (recency.get((r.id, field)) or r.updated_at, r is survivor, -r.id))
            take(field, newest, "most_recent")
    chosen = next((reviewer[f] for f in PROVENANCE if f in reviewer), None)
    best = by_id[chosen] if chosen else min(records, key=lambda r: (SOURCE_PRIORITY.index(r.source), r is not survivor))
    for field in PROVENANCE:
        take(field, best, "reviewer" if chosen else "source_priority")
    take("created_at", min(records, key=lambda r: r.created_at), "earliest")
    if entity == "companies":
        take("relationship_ended_at", by_id[choices["status"]["from"]], "with_status")
        return values, choices
    active = [r for r in records if r.last_activity_at]
    if active:
        take("last_activity_at", max(active, key=lambda r: r.last_activity_at), "latest")
    for at, channel in OBJECTIONS:
        objecting = [r for r in records if getattr(r, at)]
        if objecting:
            first = min(objecting, key=lambda r: getattr(r, at))
            take(at, first, "most_protective")
            take(channel, first, "most_protective")
    restricted = [r for r in records if r.restricted_at]
    if restricted:
        first = min(restricted, key=lambda r: r.restricted_at)
        for field in ("restricted_at", "restriction_reason", "restriction_lift_notified_at"):
            take(field, first, "most_protective")
        if any(r.restriction_lift_notified_at is None for r in restricted):
            values["restriction_lift_notified_at"] = None
    return values, choices


def _validate(entity: str, survivor_id: int, member_ids: list[int], records: dict, reviewer: dict[str, int],
              allow_restricted: bool) -> None:
    if not member_ids or survivor_id in member_ids or len(set(member_ids)) != len(member_ids):
        raise InvalidReference("member_ids", "give one or more other records than the survivor, each once")
    for field, source in reviewer.items():
        if field not in CHOOSABLE[entity]:
            raise InvalidReference("choices", f"{field} is not chosen by a reviewer")
        if source not in records:
            raise InvalidReference("choices", f"{field}: record {source} is not in this merge")
    if entity == "companies":
        if len({r.business_id for r in records.values() if r.business_id}) > 1:
            raise Conflict("companies with different business IDs are never the same company")
    elif not allow_restricted and any(r.restricted_at for r in records.values()):
        raise Conflict("a record under restriction (Art. 18) is not merged; the privacy officer may merge it "
                       "with include_restricted, and the restriction then holds for the merged record")


def merge_records(session: Session, *, entity: str, survivor_id: int, member_ids: list[int], actor: Actor,
                  choices: dict[str, int] | None = None, candidate_id: int | None = None, automatic: bool = False,
                  allow_restricted: bool = False) -> DedupMerge:
    """Merge the members into the survivor in the caller's transaction; returns the merge row."""
    reviewer = dict(choices or {})
    records = _lock(session, entity, [survivor_id, *member_ids])
    _validate(entity, survivor_id, member_ids, records, reviewer, allow_restricted and not automatic)
    survivor, members = records[survivor_id], [records[i] for i in member_ids]
    values, recorded = _plan(session, entity, survivor, [survivor, *members], reviewer)
    merge = DedupMerge(entity=DedupEntity(entity), merged_ids=list(member_ids), candidate_id=candidate_id,
                       choices=recorded, automatic=automatic, actor=actor.label,
                       **{f"survivor_{ONE[entity]}_id": survivor_id})
    session.add(merge)
    session.flush()
    by = Actor(label=actor.label, user_id=actor.user_id, reason=f"dedup-merge:{merge.id}")
    addresses = {r.email for r in records.values() if entity == "contacts" and r.email}
    snapshot = _repoint(session, entity, survivor, members)
    unique = "email" if entity == "contacts" else "business_id"
    for member in members:  # frees the unique value the survivor may take
        setattr(member, unique, None)
        session.add(member)
    session.flush()
    old = {f: _json(getattr(survivor, f)) for f in values}
    changed = {}
    for field, new in values.items():
        if _text(getattr(survivor, field)) != _text(new):
            record(session, entity=survivor, action="merge", actor=by, field=field, old=getattr(survivor, field),
                   new=new)
            setattr(survivor, field, new)
            changed[field] = [old[field], _json(new)]
    survivor.version += 1
    survivor.updated_at = utcnow()
    session.add(survivor)
    if entity == "contacts":
        _protect(session, survivor, addresses, snapshot)
    for member in members:
        record(session, entity=survivor, action="merge", actor=by, field=f"merged_{ONE[entity]}", new=member.id)
        session.delete(member)
    record(session, entity=survivor, action="merge", actor=by, field="survivorship", new=recorded)
    merge.snapshot = {**snapshot, "survivor": changed}
    if candidate_id is not None and (candidate := session.get(DedupCandidate, candidate_id)) is not None:
        candidate.status, candidate.merge_id = CandidateStatus.merged, merge.id
        candidate.decided_by, candidate.decided_at = actor.user_id, utcnow()
    session.flush()
    return merge


def _repoint(session: Session, entity: str, survivor, members: list) -> dict[str, Any]:
    """Point everything at the survivor; what moved (per member) and what was folded away, for undo."""
    table = MODELS[entity].__table__
    ids = [m.id for m in members]
    snap: dict[str, Any] = {"members": _dump(session, table, table.c.id.in_(ids)), "removed": {},
                            "moved": {str(i): {} for i in ids}, "subscriptions": {}, "access_log": {}, "consents": []}
    groups = DedupCandidateMember.__table__
    snap["removed"]["dedup_candidate_members"] = _dump(session, groups, groups.c[f"{ONE[entity]}_id"].in_(ids))
    for member in ids:
        moved = snap["moved"][str(member)]
        if entity == "contacts":
            _fold_contact(session, survivor.id, member, snap, moved)
        for pointing, column in pointers(entity):
            keys = session.execute(update(pointing).where(pointing.c[column] == member)
                                   .values({column: survivor.id}).returning(_key(pointing))).scalars().all()
            if keys:
                moved[pointing.name] = [_json(k) for k in keys]
    return snap


def _fold_contact(session: Session, survivor_id: int, member: int, snap: dict, moved: dict) -> None:
    """Subscriptions (one per list, the most protective status), campaign recipients (one per
    campaign) and the access log (the id replaced in each array)."""
    subs = Subscription.__table__
    kept = {row["list_id"]: row for row in _rows(session, subs.select().where(subs.c.contact_id == survivor_id))}
    for row in _rows(session, subs.select().where(subs.c.contact_id == member).order_by(subs.c.id)):
        mine = kept.get(row["list_id"])
        if mine is None:
            session.execute(update(subs).where(subs.c.id == row["id"]).values(contact_id=survivor_id))
            moved.setdefault("subscriptions", []).append(row["id"])
            continue
        if SUBSCRIPTION_RANK[row["status"]] > SUBSCRIPTION_RANK[mine["status"]]:
            snap["subscriptions"].setdefault(str(mine["id"]), {k: _json(mine[k]) for k in SUBSCRIPTION_STATE})
            session.execute(update(subs).where(subs.c.id == mine["id"]).values({k: row[k] for k in SUBSCRIPTION_STATE}))
        snap["removed"].setdefault("subscriptions", []).append({k: _json(v) for k, v in row.items()})
        session.execute(delete(subs).where(subs.c.id == row["id"]))
    recipients = CampaignRecipient.__table__
    taken = set(session.execute(sa_select(recipients.c.campaign_id)
                                .where(recipients.c.contact_id == survivor_id)).scalars())
    for row in _rows(session, recipients.select().where(recipients.c.contact_id == member)):
        if row["campaign_id"] in taken:
            snap["removed"].setdefault("campaign_recipients", []).append({k: _json(v) for k, v in row.items()})
            session.execute(delete(recipients).where(recipients.c.id == row["id"]))
        else:
            session.execute(update(recipients).where(recipients.c.id == row["id"]).values(contact_id=survivor_id))
            moved.setdefault("campaign_recipients", []).append(row["id"])
    rows = session.execute(text(
        "UPDATE access_log a SET contact_ids = array_replace(a.contact_ids, :m, :s) FROM access_log o "
        "WHERE a.id = o.id AND a.contact_ids @> ARRAY[CAST(:m AS integer)] RETURNING a.id, o.contact_ids"),
        {"m": member, "s": survivor_id}).all()
    for row_id, before in rows:
        snap["access_log"].setdefault(str(row_id), before)


def _protect(session: Session, survivor: Contact, addresses: set[str], snap: dict) -> None:
    """Withdrawals cover earlier consents; suppressions and objections cover every address."""
    consents = session.exec(select(Consent).where(Consent.contact_id == survivor.id)).all()
    for consent in consents:
        withdrawn = [c.withdrawn_at for c in consents if c.purpose == consent.purpose and c.withdrawn_at]
        if consent.withdrawn_at is None and withdrawn and max(withdrawn) > consent.granted_at:
            consent.withdrawn_at = max(withdrawn)
            snap["consents"].append(consent.id)
            session.add(consent)
    hashes = [email_hash(a) for a in addresses]
    reasons = set(session.exec(select(Suppression.reason).where(Suppression.email_hash.in_(hashes))).all())
    # A bounce says nothing of the person's other addresses; an erased address that came back is manual.
    reasons = {"manual" if r == "erased" else r for r in reasons if r != "bounced"}
    if survivor.email and reasons:
        suppress(session, email=survivor.email, reason=sorted(reasons)[0])
    if survivor.objects_direct_marketing_at is not None:
        for address in sorted(addresses - {survivor.email}):
            suppress(session, email=address, reason="objected")


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
    survivor = _lock(session, entity, [survivor_id])[survivor_id]
    by = Actor(label=actor.label, user_id=actor.user_id, reason=f"dedup-merge:{merge.id}")
    for field, (before, after) in snap["survivor"].items():
        if _text(_json(getattr(survivor, field))) == _text(after):  # not changed again since
            value = _revive(table, {field: before})[field]
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
        session.execute(insert(table).values(**_revive(table, row)))
    columns = {t.name: c for t, c in pointers(entity)} | {"subscriptions": "contact_id",
                                                          "campaign_recipients": "contact_id"}
    for member, moved in snap["moved"].items():
        for name, keys in moved.items():
            pointing, column = metadata.tables[name], columns[name]
            key = _key(pointing)
            values = [_revive(pointing, {key.name: k})[key.name] for k in keys]
            session.execute(update(pointing).where(key.in_(values), pointing.c[column] == survivor_id)
                            .values({column: int(member)}))
    for name, rows in snap["removed"].items():
        for row in rows:
            session.execute(insert(metadata.tables[name]).values(**_revive(metadata.tables[name], row)))
    subscriptions = Subscription.__table__
    for sub_id, state in snap["subscriptions"].items():
        session.execute(update(subscriptions).where(subscriptions.c.id == int(sub_id))
                        .values(**_revive(subscriptions, state)))
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
