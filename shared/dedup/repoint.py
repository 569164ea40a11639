"""What a merge moves, and the snapshot that undoes it.

- Everything that pointed at a merged-away record points at the survivor — every foreign key to
  it, found in the metadata, and the id columns without one; the access log has the id replaced
  in its arrays. Subscriptions to the same list keep the most protective status.
- The most protective state wins: a withdrawal of consent covers earlier consents, any
  suppression covers every address; an objecting person's other addresses are suppressed, so a
  later import of one cannot bring them back into marketing.
- Every row moved or folded away is recorded in the snapshot (JSON), which shared.dedup.undo
  restores.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Date, DateTime, Table, Uuid, delete, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from shared.models import CampaignRecipient, Company, Consent, Contact, Subscription, Suppression, metadata
from shared.models.dedup import DedupCandidateMember
from shared.common.errors import NotFound
from shared.common.suppression import email_hash, suppress

MODELS = {"contacts": Contact, "companies": Company}
ONE = {"contacts": "contact", "companies": "company"}
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


def json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def primary_key(table: Table):
    return next(iter(table.primary_key.columns))


def fetch_rows(session: Session, query) -> list:
    return list(session.execute(query).mappings().all())


def dump_rows(session: Session, table: Table, where) -> list[dict[str, Any]]:
    return [{k: json_value(v) for k, v in row.items()} for row in fetch_rows(session, table.select().where(where))]


def revive(table: Table, data: dict[str, Any]) -> dict[str, Any]:
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


def lock_records(session: Session, entity: str, ids: list[int]) -> dict[int, Any]:
    model = MODELS[entity]
    found = {r.id: r for r in session.exec(select(model).where(model.id.in_(ids)).order_by(model.id)
                                           .with_for_update()).all()}
    if len(found) != len(set(ids)):
        raise NotFound(f"no such {ONE[entity]}: {sorted(set(ids) - set(found))}")
    return found




def repoint(session: Session, entity: str, survivor, members: list) -> dict[str, Any]:
    """Point everything at the survivor; what moved (per member) and what was folded away, for undo."""
    table = MODELS[entity].__table__
    ids = [m.id for m in members]
    snap: dict[str, Any] = {"members": dump_rows(session, table, table.c.id.in_(ids)), "removed": {},
                            "moved": {str(i): {} for i in ids}, "subscriptions": {}, "access_log": {}, "consents": []}
    groups = DedupCandidateMember.__table__
    snap["removed"]["dedup_candidate_members"] = dump_rows(session, groups, groups.c[f"{ONE[entity]}_id"].in_(ids))
    for member in ids:
        moved = snap["moved"][str(member)]
        if entity == "contacts":
            _fold_contact(session, survivor.id, member, snap, moved)
        for pointing, column in pointers(entity):
            keys = session.execute(update(pointing).where(pointing.c[column] == member)
                                   .values({column: survivor.id}).returning(primary_key(pointing))).scalars().all()
            if keys:
                moved[pointing.name] = [json_value(k) for k in keys]
    return snap


def _fold_contact(session: Session, survivor_id: int, member: int, snap: dict, moved: dict) -> None:
    """Subscriptions (one per list, the most protective status), campaign recipients (one per
    campaign) and the access log (the id replaced in each array)."""
    subs = Subscription.__table__
    kept = {row["list_id"]: row for row in fetch_rows(session, subs.select().where(subs.c.contact_id == survivor_id))}
    for row in fetch_rows(session, subs.select().where(subs.c.contact_id == member).order_by(subs.c.id)):
        mine = kept.get(row["list_id"])
        if mine is None:
            session.execute(update(subs).where(subs.c.id == row["id"]).values(contact_id=survivor_id))
            moved.setdefault("subscriptions", []).append(row["id"])
            continue
        if SUBSCRIPTION_RANK[row["status"]] > SUBSCRIPTION_RANK[mine["status"]]:
            snap["subscriptions"].setdefault(str(mine["id"]), {k: json_value(mine[k]) for k in SUBSCRIPTION_STATE})
            session.execute(update(subs).where(subs.c.id == mine["id"]).values({k: row[k] for k in SUBSCRIPTION_STATE}))
        snap["removed"].setdefault("subscriptions", []).append({k: json_value(v) for k, v in row.items()})
        session.execute(delete(subs).where(subs.c.id == row["id"]))
    recipients = CampaignRecipient.__table__
    taken = set(session.execute(sa_select(recipients.c.campaign_id)
                                .where(recipients.c.contact_id == survivor_id)).scalars())
    for row in fetch_rows(session, recipients.select().where(recipients.c.contact_id == member)):
        if row["campaign_id"] in taken:
            snap["removed"].setdefault("campaign_recipients", []).append({k: json_value(v) for k, v in row.items()})
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


def protect(session: Session, survivor: Contact, addresses: set[str], snap: dict) -> None:
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

