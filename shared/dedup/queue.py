"""The review queue: candidate groups written back, listed, shown, dismissed and merged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.dedup.clustering import Group
from shared.dedup.merge import merge_records
from shared.models import Company, Contact, utcnow
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupCandidateMember, DedupEntity
from shared.pagination import Sort
from shared.register.errors import Conflict, NotFound


def save_groups(session: Session, *, entity: str, groups: Sequence[Group], run_id: int | None,
                supersede: bool = False) -> dict[str, int]:
    """Put groups in the review queue: new ones open, known ones updated, dismissed ones left so."""
    model = Contact if entity == "contacts" else Company
    members = sorted({m for g in groups for m in g.members})
    alive = set(session.execute(select(model.id).where(model.id.in_(members))).scalars()) if members else set()
    groups = [g for g in groups if all(m in alive for m in g.members)]  # merged or deleted meanwhile
    known = {}
    if groups:
        keys = [g.key for g in groups]
        for chunk in range(0, len(keys), 50_000):
            known |= {row[0]: (row[1], row[2]) for row in session.execute(
                select(DedupCandidate.member_key, DedupCandidate.id, DedupCandidate.status)
                .where(DedupCandidate.entity == entity, DedupCandidate.member_key.in_(keys[chunk:chunk + 50_000])))}
    now, table = utcnow(), DedupCandidate.__table__
    fresh = [g for g in groups if g.key not in known]
    updates = [(known[g.key][0], g) for g in groups if g.key in known and known[g.key][1] == CandidateStatus.open]
    for candidate_id, g in updates:
        session.execute(update(table).where(table.c.id == candidate_id).values(
            score=g.score, centre_id=g.centre, explanation=[link.explain() for link in g.links], run_id=run_id,
            updated_at=now))
    if fresh:
        ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), [
            {"entity": entity, "member_key": g.key, "status": CandidateStatus.open, "score": g.score,
             "centre_id": g.centre, "explanation": [link.explain() for link in g.links], "run_id": run_id,
             "created_at": now, "updated_at": now} for g in fresh]).scalars().all()
        column = "contact_id" if entity == "contacts" else "company_id"
        probability = {}
        for g in fresh:
            probability[g.key] = {g.centre: 1.0} | {(l.b if l.a == g.centre else l.a): l.probability for l in g.links}
        session.execute(insert(DedupCandidateMember.__table__), [
            {"candidate_id": cid, column: m, "probability": probability[g.key][m], "centre": m == g.centre}
            for cid, g in zip(ids, fresh, strict=True) for m in g.members])
    superseded = 0
    if supersede:
        superseded = session.execute(update(table).where(
            table.c.entity == entity, table.c.status == CandidateStatus.open,
            table.c.run_id.is_distinct_from(run_id)).values(status=CandidateStatus.superseded, updated_at=now)).rowcount
    return {"new": len(fresh), "updated": len(updates), "kept_dismissed": len(groups) - len(fresh) - len(updates),
            "superseded": superseded}



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
