"""The review queue: candidate groups written back, listed, shown, dismissed and merged."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text, update
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.dedup.clustering import Group
from shared.dedup.merge import merge_records
from shared.models import Company, Contact, utcnow
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupCandidateMember, DedupEntity
from shared.pagination import Sort
from shared.common.errors import Conflict, NotFound


def save_groups(session: Session, *, entity: str, groups: Sequence[Group], run_id: int | None,
                supersede: bool = False) -> dict[str, int]:
    """Put groups in the review queue: new ones open, known ones updated, dismissed ones left so."""
    members = sorted({m for g in groups for m in g.members})
    alive = set(session.execute(text(f"SELECT id FROM {entity} WHERE id = ANY(:ids)"), {"ids": members}).scalars())
    groups = [g for g in groups if all(m in alive for m in g.members)]  # merged or deleted meanwhile
    known = {row[0]: (row[1], row[2]) for row in session.execute(text(
        "SELECT member_key, id, status FROM dedup_candidates WHERE entity = :entity AND member_key = ANY(:keys)"),
        {"entity": entity, "keys": [g.key for g in groups]})} if groups else {}
    now, table = utcnow(), DedupCandidate.__table__
    fresh = [g for g in groups if g.key not in known]
    updates = [(known[g.key][0], g) for g in groups if g.key in known and known[g.key][1] == CandidateStatus.open]
    if updates:  # one statement for all of them
        session.execute(text(
            "UPDATE dedup_candidates d SET score = u.score, centre_id = u.centre, explanation = CAST(u.why AS json), "
            "run_id = :run_id, updated_at = :now FROM unnest(CAST(:ids AS integer[]), CAST(:scores AS float8[]), "
            "CAST(:centres AS integer[]), CAST(:whys AS text[])) AS u(id, score, centre, why) WHERE d.id = u.id"),
            {"run_id": run_id, "now": now, "ids": [cid for cid, _ in updates],
             "scores": [g.score for _, g in updates], "centres": [g.centre for _, g in updates],
             "whys": [json.dumps([link.explain() for link in g.links]) for _, g in updates]})
    if fresh:
        _copy_fresh(session, entity=entity, groups=fresh, run_id=run_id, now=now)
    superseded = 0
    if supersede:
        superseded = session.execute(update(table).where(
            table.c.entity == entity, table.c.status == CandidateStatus.open,
            table.c.run_id.is_distinct_from(run_id)).values(status=CandidateStatus.superseded, updated_at=now)).rowcount
    return {"new": len(fresh), "updated": len(updates), "kept_dismissed": len(groups) - len(fresh) - len(updates),
            "superseded": superseded}



def _copy_fresh(session: Session, *, entity: str, groups: Sequence[Group], run_id: int | None, now) -> None:
    """New groups and their members with COPY, in the session's transaction: ids are taken from
    the sequence first, so the members can name their group without a round trip per row."""
    ids = session.execute(text("SELECT nextval(pg_get_serial_sequence('dedup_candidates', 'id')) "
                               "FROM generate_series(1, :n)"), {"n": len(groups)}).scalars().all()
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy("COPY dedup_candidates (id, entity, member_key, status, score, centre_id, explanation, run_id, "
                     "created_at, updated_at) FROM STDIN") as copy:
        for cid, g in zip(ids, groups, strict=True):
            copy.write_row((cid, entity, g.key, CandidateStatus.open.value, g.score, g.centre,
                            json.dumps([link.explain() for link in g.links]), run_id, now, now))
    column = "contact_id" if entity == "contacts" else "company_id"
    with cursor.copy(f"COPY dedup_candidate_members (candidate_id, {column}, probability, centre) FROM STDIN") as copy:
        for cid, g in zip(ids, groups, strict=True):
            probability = {g.centre: 1.0} | {(link.b if link.a == g.centre else link.a): link.probability
                                             for link in g.links}
            for m in g.members:
                copy.write_row((cid, m, probability[m], m == g.centre))


QUEUE_SORT = Sort(DedupCandidate.score, DedupCandidate.id, descending=True)


def list_candidates(session: Session, *, entity: DedupEntity | None = None,
                    status: CandidateStatus | None = CandidateStatus.open, min_score: float = 0.0,
                    cursor: str | None = None, limit: int = 50) -> tuple[list[DedupCandidate], str | None]:
    """The review queue, most certain first, one keyset page at a time."""
    query = QUEUE_SORT.select(DedupCandidate).where(DedupCandidate.score >= min_score)
    if entity is not None:
        query = query.where(DedupCandidate.entity == entity)
    if status is not None:
        query = query.where(DedupCandidate.status == status)
    return Sort.page(session.exec(QUEUE_SORT.apply(query, cursor=cursor, limit=limit)).all(), limit=limit)


def get_candidate(session: Session, *, candidate_id: int) -> DedupCandidate:
    candidate = session.get(DedupCandidate, candidate_id)
    if candidate is None:
        raise NotFound("no such candidate group")
    return candidate


def candidate_members(session: Session, *, candidates: Sequence[DedupCandidate]) -> dict[int, list[dict[str, Any]]]:
    """Each group's members with what a reviewer compares and their protective state."""
    rows = session.exec(select(DedupCandidateMember).where(
        DedupCandidateMember.candidate_id.in_([c.id for c in candidates]))).all()
    contacts = {c.id: c for c in session.exec(select(Contact).where(
        Contact.id.in_([r.contact_id for r in rows if r.contact_id])))} if rows else {}
    companies = {c.id: c for c in session.exec(select(Company).where(
        Company.id.in_([r.company_id for r in rows if r.company_id])))} if rows else {}
    out: dict[int, list[dict[str, Any]]] = {c.id: [] for c in candidates}
    for row in sorted(rows, key=lambda r: (not r.centre, -r.probability)):
        record = contacts.get(row.contact_id) or companies.get(row.company_id)
        if record is None:
            continue
        shown = REVIEW_FIELDS[record.__tablename__]
        out[row.candidate_id].append({
            "id": record.id, "centre": row.centre, "probability": row.probability,
            "restricted": getattr(record, "restricted_at", None) is not None,
            "objects_direct_marketing": getattr(record, "objects_direct_marketing_at", None) is not None,
            "objects_research": getattr(record, "objects_research_at", None) is not None,
            "record": {f: getattr(record, f) for f in shown}})
    return out


REVIEW_FIELDS = {
    "contacts": ("first_name", "last_name", "email", "phone", "position", "company_id", "source", "updated_at"),
    "companies": ("name", "business_id", "street_address", "postal_code", "city", "website", "source", "updated_at"),
}


def dismiss_candidate(session: Session, *, candidate: DedupCandidate, reason: str, actor: Actor) -> DedupCandidate:
    """Not duplicates: the group stays dismissed when later runs find it again."""
    if candidate.status != CandidateStatus.open:
        raise Conflict(f"the group is {candidate.status.value}, not open")
    candidate.status, candidate.decision_reason = CandidateStatus.dismissed, reason
    candidate.decided_by, candidate.decided_at, candidate.updated_at = actor.user_id, utcnow(), utcnow()
    session.add(candidate)
    session.flush()
    return candidate


def merge_candidate(session: Session, *, entity: DedupEntity, actor: Actor, candidate_id: int | None = None,
                    survivor_id: int | None = None, member_ids: Sequence[int] = (),
                    choices: dict[str, int] | None = None, allow_restricted: bool = False):
    """Merge a group from the queue (its centre survives unless another is named) or given records."""
    if candidate_id is not None:
        candidate = get_candidate(session, candidate_id=candidate_id)
        if candidate.status != CandidateStatus.open:
            raise Conflict(f"the group is {candidate.status.value}, not open")
        entity = candidate.entity
        if not member_ids:
            group = [m["id"] for m in candidate_members(session, candidates=[candidate])[candidate.id]]
            survivor_id = survivor_id or candidate.centre_id
            member_ids = [i for i in group if i != survivor_id]
            if len(group) < 2 or survivor_id not in group:
                raise Conflict("the group no longer holds two records, or the survivor is not in it")
    return merge_records(session, entity=str(DedupEntity(entity).value), survivor_id=survivor_id,
                         member_ids=list(member_ids), choices=choices, candidate_id=candidate_id, actor=actor,
                         allow_restricted=allow_restricted)
