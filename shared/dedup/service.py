"""Dedup runs, the incremental check, the review queue — plain functions, the caller commits.

A full run (job `dedup.run`, bulk queue) reads every record of one entity, matches them in
memory (shared.dedup.clustering.match_records) and writes the candidate groups back: a group
already in the queue is updated, a dismissed one stays dismissed, an open one no longer found
is superseded. The incremental check (job `dedup.check`, and `likely_duplicates` when a record
is created) finds each record's twins through indexes without reading the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import insert, text, update
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.dedup.blocking import Probe, register_candidates
from shared.dedup.clustering import Group, cannot_link_for, cluster, match_records, scorer_for
from shared.dedup.merge import merge_records
from shared.dedup.normalize import company_record, contact_record, website_domain
from shared.dedup.scoring import ENGINE
from shared.jobs.runner import JobContext
from shared.jobs.service import create_job
from shared.models import Company, Contact, Job, utcnow
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupCandidateMember, DedupEntity, DedupRun, folded_sql
from shared.pagination import Sort
from shared.register.errors import Conflict, NotFound
from shared.settings import get_settings

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class DedupSettings:
    """From REKISTERI_DEDUP_* (shared/settings.py): automatic merging is off until a threshold is set."""

    auto_merge_threshold: float | None
    link_probability: float


def dedup_settings() -> DedupSettings:
    settings = get_settings()
    return DedupSettings(settings.dedup_auto_merge_threshold, settings.dedup_link_probability)


_LOAD = {
    "contacts": """SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.position, co.name, co.business_id,
                          c.restricted_at IS NOT NULL, c.company_id
                     FROM contacts c LEFT JOIN companies co ON co.id = c.company_id""",
    "companies": """SELECT c.id, c.name, c.business_id, c.website, c.street_address, c.postal_code, c.city
                      FROM companies c""",
}


def _record(entity: str, row) -> Any:
    if entity == "contacts":
        return contact_record(id=row[0], first_name=row[1], last_name=row[2], email=row[3], phone=row[4],
                              position=row[5], company=row[6], business_id=row[7], restricted=row[8])
    return company_record(id=row[0], name=row[1], business_id=row[2], website=row[3], street=row[4],
                          postcode=row[5], city=row[6])


def load_records(session: Session, *, entity: str, ids: Sequence[int] | None = None) -> list:
    """Records of the entity as the matcher sees them (all of them, or these ids), streamed."""
    query = _LOAD[entity] + (" WHERE c.id = ANY(:ids)" if ids is not None else "")
    result = session.execute(text(query).execution_options(yield_per=20_000),
                             {"ids": list(ids)} if ids is not None else {})
    return [_record(entity, row) for row in result]


def start_run(session: Session, *, entity: DedupEntity, auto_merge: bool = False, created_by: int | None = None,
              request_id: str | None = None) -> DedupRun:
    """A full run as a job on the bulk queue; auto_merge only when a threshold is configured."""
    if auto_merge and dedup_settings().auto_merge_threshold is None:
        raise Conflict("automatic merging is off: set REKISTERI_DEDUP_AUTO_MERGE_THRESHOLD to allow it")
    run = DedupRun(entity=entity, auto_merge=auto_merge, created_by=created_by)
    session.add(run)
    session.flush()
    run.job_id = create_job(session, kind="dedup.run", payload={"run_id": run.id}, request_id=request_id,
                            created_by=created_by).id
    return run


def request_check(session: Session, *, entity: DedupEntity, ids: Sequence[int], created_by: int | None = None,
                  request_id: str | None = None) -> DedupRun:
    """Check new or changed records against the register (job `dedup.check`)."""
    run = DedupRun(entity=entity, mode="check", created_by=created_by)
    session.add(run)
    session.flush()
    run.job_id = create_job(session, kind="dedup.check", request_id=request_id, created_by=created_by,
                            payload={"run_id": run.id, "entity": str(entity.value), "ids": sorted(set(ids))}).id
    return run


def get_run(session: Session, *, run_id: int) -> tuple[DedupRun, Job | None]:
    run = session.get(DedupRun, run_id)
    if run is None:
        raise NotFound("no such dedup run")
    return run, session.get(Job, run.job_id) if run.job_id else None


def run_dedup_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """Job `dedup.run`: a full run; running it twice finds it finished."""
    run = session.get(DedupRun, ctx.payload["run_id"], with_for_update=True)
    if run is None or run.finished_at is not None:
        return {"skipped": "run finished or gone"}
    entity = str(run.entity.value)
    records = load_records(session, entity=entity)
    ctx.report_progress(10)
    result = match_records(entity, records, threshold=dedup_settings().link_probability,
                           progress=lambda share: ctx.report_progress(10 + int(70 * share)))
    ctx.report_progress(80)
    saved = save_groups(session, entity=entity, groups=result.groups, run_id=run.id, supersede=True)
    merged = _auto_merge(session, entity=entity, groups=result.groups, records=records) if run.auto_merge else 0
    run.stats = {**result.stats(), **saved, "auto_merged": merged, "engine": ENGINE}
    run.finished_at = utcnow()
    session.add(run)
    log.info("dedup.run_finished", run_id=run.id, entity=entity, records=len(records), groups=len(result.groups))
    return run.stats


def check_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """Job `dedup.check`: the given records against the register."""
    run = session.get(DedupRun, ctx.payload["run_id"], with_for_update=True)
    if run is None or run.finished_at is not None:
        return {"skipped": "run finished or gone"}
    run.stats = check_records(session, entity=ctx.payload["entity"], ids=ctx.payload["ids"], run_id=run.id)
    run.finished_at = utcnow()
    session.add(run)
    return run.stats


def _probe(entity: str, row) -> Probe:
    if entity == "contacts":
        record = _record(entity, row)
        return Probe(id=row[0], email=row[3], phone=row[4], first_f=record.first_f, last_f=record.last_f,
                     company_id=row[9])
    return Probe(id=row[0], business_id=row[2], domain=website_domain(row[3]), name=row[1] or "")


def _match_against_register(session: Session, *, entity: str, ids: Sequence[int]) -> tuple[dict, list, dict]:
    """Scored links from each record to its register candidates: (records by id, links, candidates)."""
    rows = session.execute(text(_LOAD[entity] + " WHERE c.id = ANY(:ids)"), {"ids": list(ids)}).all()
    candidates = register_candidates(session, entity=entity, probes=[_probe(entity, r) for r in rows])
    everyone = set(ids) | {c for found in candidates.values() for c in found}
    records = {r.id: r for r in load_records(session, entity=entity, ids=sorted(everyone))}
    scorer = scorer_for(entity, RegisterFrequencies(session, entity=entity))
    links = [scorer.score(records[p], records[c]) for p, found in candidates.items() for c in sorted(found)
             if c in records and p in records]
    return records, links, candidates


def check_records(session: Session, *, entity: str, ids: Sequence[int], run_id: int | None = None) -> dict[str, Any]:
    """Group the records with their likely twins and put the groups in the review queue."""
    records, links, candidates = _match_against_register(session, entity=entity, ids=ids)
    threshold = dedup_settings().link_probability
    groups = cluster(links, threshold=threshold, cannot_link=cannot_link_for(entity, records))
    saved = save_groups(session, entity=entity, groups=groups, run_id=run_id)
    return {"records": len(ids), "pairs_compared": len(links), "groups": len(groups), **saved}


def likely_duplicates(session: Session, *, contact: Contact | None = None, company: Company | None = None,
                      limit: int = 5) -> list[int]:
    """Ids of the register's likely duplicates of a (flushed) record, most likely first. For a
    warning when a record is created: nothing is blocked or stored."""
    entity, record_id = ("contacts", contact.id) if contact is not None else ("companies", company.id)
    _, links, _ = _match_against_register(session, entity=entity, ids=[record_id])
    threshold = dedup_settings().link_probability
    ranked = sorted((link for link in links if link.probability >= threshold), key=lambda x: -x.weight)
    return [link.b for link in ranked[:limit]]


class RegisterFrequencies:
    """Value counts from the register where an index answers them; the default elsewhere."""

    def __init__(self, session: Session, *, entity: str):
        self.session, self.entity = session, entity
        table = entity
        estimate = session.execute(text("SELECT reltuples::bigint FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                                   {"t": table}).scalar_one()
        if estimate < 50_000:
            estimate = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        self.total = int(estimate)
        self._cache: dict[tuple[str, str], int | None] = {}

    def count(self, field: str, value: str) -> int | None:
        queries = {("contacts", "last_name"): f"SELECT count(*) FROM contacts WHERE {folded_sql('last_name')} = :v",
                   ("contacts", "phone"): "SELECT count(*) FROM contacts WHERE phone = :v",
                   ("companies", "business_id"): "SELECT count(*) FROM companies WHERE business_id = :v"}
        query = queries.get((self.entity, field))
        if query is None:
            return None
        if (field, value) not in self._cache:
            self._cache[(field, value)] = self.session.execute(text(query), {"v": value}).scalar_one()
        return self._cache[(field, value)]


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


def _auto_merge(session: Session, *, entity: str, groups: Sequence[Group], records: list) -> int:
    """Merge the groups above the automatic threshold; never a restricted person."""
    threshold = dedup_settings().auto_merge_threshold
    restricted = {r.id for r in records if getattr(r, "restricted", False)}
    merged = 0
    for group in groups:
        if threshold is None or group.score < threshold or restricted & set(group.members):
            continue
        candidate_id = session.execute(select(DedupCandidate.id).where(
            DedupCandidate.entity == entity, DedupCandidate.member_key == group.key,
            DedupCandidate.status == CandidateStatus.open)).scalar()
        if candidate_id is None:
            continue
        survivor, *others = sorted(group.members)
        try:
            with session.begin_nested():
                merge_records(session, entity=entity, survivor_id=survivor, member_ids=others, automatic=True,
                              candidate_id=candidate_id, actor=Actor(label="system:dedup"))
            merged += 1
        except (Conflict, NotFound) as exc:
            log.info("dedup.auto_merge_skipped", candidate_id=candidate_id, reason=type(exc).__name__)
    return merged


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
