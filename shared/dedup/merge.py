"""Merging duplicates into one record, in the caller's transaction (undo: shared.dedup.undo).

- Survivorship per field: the reviewer's choice, else the most recent non-empty value (by the
  change history) — in its most complete spelling when another record writes the same name with
  its diacritics or case ('Mäkinen' is never replaced by 'Makinen'), provenance (legal basis, purposes, source …) as one unit from the best source;
  every choice is recorded with its rule.
- Everything re-points to the survivor and the most protective state wins (shared.dedup.repoint):
  the earliest objection of each kind, any restriction, a withdrawal of consent, any suppression.
- A restricted person is merged only when the caller allows it (the privacy officer), never
  automatically. Two companies with different business IDs are never merged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy import select as sa_select
from sqlmodel import Session

from shared.audit.service import Actor, _text, record
from shared.dedup.normalize import clean, fold
from shared.dedup.repoint import OBJECTIONS, ONE, json_value, lock_records, protect, repoint
from shared.models import ChangeRecord, SourceKind, utcnow
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupEntity, DedupMerge
from shared.common.errors import Conflict, InvalidReference

PROVENANCE = ("legal_basis", "purposes", "source", "source_provider", "source_received")
FIELDS = {
    "contacts": ("first_name", "last_name", "position", "email", "phone", "company_id", "language"),
    "companies": ("name", "business_id", "status", "owner", "street_address", "postal_code", "city", "country",
                  "website", "sole_trader"),
}
CHOOSABLE = {entity: frozenset(fields + PROVENANCE) for entity, fields in FIELDS.items()}
SOURCE_PRIORITY = [SourceKind.data_subject, SourceKind.controller, SourceKind.sister_company, SourceKind.stakeholder,
                   SourceKind.public_register, SourceKind.directory_service]


def _recency(session: Session, entity: str, ids: list[int]) -> dict[tuple[int, str], datetime]:
    """When each field of each record last got its value, from the change history."""
    rows = session.execute(sa_select(ChangeRecord.entity_id, ChangeRecord.field, text("max(at)"))
                           .where(ChangeRecord.entity == entity, ChangeRecord.entity_id.in_(ids),
                                  ChangeRecord.field.is_not(None))
                           .group_by(ChangeRecord.entity_id, ChangeRecord.field)).all()
    return {(row[0], row[1]): row[2] for row in rows}


# Text whose spellings fold to one value ('Mäkinen', 'Makinen', 'MÄKINEN'): the most complete form
# survives, whichever record is newer — a merge never trades diacritics or case for their loss.
WRITTEN = frozenset({"first_name", "last_name", "position", "name", "street_address", "city"})


def _completeness(value: str) -> tuple[int, int, int]:
    """Letters with diacritics kept, mixed case over one case, then length."""
    return (sum(not c.isascii() for c in value), int(value != value.upper() and value != value.lower()), len(value))


def _most_complete(field: str, newest, filled: list):
    """The newest record's value, or the same value in a more complete form from another record."""
    if field not in WRITTEN:
        return newest
    folded = fold(clean(getattr(newest, field)))
    same = [r for r in filled if r is newest or fold(clean(getattr(r, field))) == folded]
    best = max(same, key=lambda r: _completeness(getattr(r, field)))
    return newest if _completeness(getattr(best, field)) == _completeness(getattr(newest, field)) else best


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
        if field in reviewer:  # the reviewer's value, in its most complete spelling ('Mäkinen', not 'Makinen')
            chosen = by_id[reviewer[field]]
            spelled = [r for r in records if getattr(r, field) not in (None, "", [])]
            fuller = _most_complete(field, chosen, spelled) if getattr(chosen, field) not in (None, "") else chosen
            take(field, fuller, "reviewer" if fuller is chosen else "more_complete")
            continue
        filled = [r for r in records if getattr(r, field) not in (None, "", [])]
        if filled:
            newest = max(filled, key=lambda r: (recency.get((r.id, field)) or r.updated_at, r is survivor, -r.id))
            fuller = _most_complete(field, newest, filled)
            take(field, fuller, "most_recent" if fuller is newest else "more_complete")
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
    records = lock_records(session, entity, [survivor_id, *member_ids])
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
    snapshot = repoint(session, entity, survivor, members)
    unique = "email" if entity == "contacts" else "business_id"
    for member in members:  # frees the unique value the survivor may take
        setattr(member, unique, None)
        session.add(member)
    session.flush()
    old = {f: json_value(getattr(survivor, f)) for f in values}
    changed = {}
    for field, new in values.items():
        if _text(getattr(survivor, field)) != _text(new):
            record(session, entity=survivor, action="merge", actor=by, field=field, old=getattr(survivor, field),
                   new=new)
            setattr(survivor, field, new)
            changed[field] = [old[field], json_value(new)]
    survivor.version += 1
    survivor.updated_at = utcnow()
    session.add(survivor)
    if entity == "contacts":
        protect(session, survivor, addresses, snapshot)
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

