"""Runs, the review queue, the incremental check and automatic merges on the real database."""

from __future__ import annotations

import random
import string
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, select

import shared.models  # noqa: F401
from factories import PROVENANCE
from shared.audit.service import Actor
from shared.companies.schemas import CompanyCreate
from shared.companies.service import create_company
from shared.contacts.schemas import ContactCreate
from shared.contacts.service import create_contact, restrict
from shared.dedup import service
from shared.jobs.runner import JobContext
from shared.models import Contact, metadata
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupCandidateMember, DedupEntity, DedupRun
from shared.common.errors import Conflict
from testdata.business_ids import valid_business_id

ACTOR = Actor(label="user:test")


def tag() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=8))


def person(s: Session, first: str, last: str, **fields) -> Contact:
    values = {"email": f"{first.lower()}.{uuid.uuid4().hex[:10]}@example.fi", **PROVENANCE, **fields}
    return create_contact(s, data=ContactCreate(first_name=first, last_name=last, **values), actor=ACTOR)


def twins(s: Session) -> tuple[Contact, Contact, Contact]:
    """Maija Mäkinen… twice (diacritics, a private address, the same phone), and someone else."""
    last = f"Mäkinen{tag()}"
    company = create_company(s, data=CompanyCreate(name=f"Kone {tag()} Oy", **PROVENANCE), actor=ACTOR)
    phone = f"+35840{random.randrange(1_000_000, 9_999_999)}"
    local = f"maija.{last.lower().replace('ä', 'a')}"
    a = person(s, "Maija", last, phone=phone, company_id=company.id, email=f"{local}@example.fi")
    b = person(s, "MAIJA", last.replace("ä", "a"), phone=phone, company_id=company.id, email=f"{local}@gmail.com")
    c = person(s, "Eero", f"Virtanen{tag()}", company_id=company.id)
    return a, b, c


def bid() -> str:
    return valid_business_id(random.randrange(10**6, 9 * 10**6))


def run(s: Session, entity: DedupEntity = DedupEntity.contacts, **kwargs) -> DedupRun:
    started = service.start_run(s, entity=entity, **kwargs)
    service.run_dedup_job(s, JobContext(started.job_id, "dedup.run", {"run_id": started.id}, 1, None))
    return started


def group_of(s: Session, *ids: int) -> DedupCandidate | None:
    return s.exec(select(DedupCandidate).where(DedupCandidate.entity == "contacts",
                                               DedupCandidate.member_key == ",".join(map(str, sorted(ids))))).first()


def test_the_dedup_tables_and_indexes_match_the_migration(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    ours = [d for d in diff if "dedup" in str(d)]
    added = {d[1].name for d in ours if d[0] == "add_index"}
    assert [d for d in ours if not (d[0] in ("add_index", "remove_index") and d[1].name in added)] == []


def test_a_full_run_queues_groups_with_explanations(session):
    a, b, c = twins(session)
    done = run(session)
    assert done.finished_at is not None and done.stats["pairs_compared"] >= 1 and done.stats["engine"]
    group = group_of(session, a.id, b.id)
    assert group is not None and group.status == CandidateStatus.open and group.score > 0.99
    [link] = group.explanation
    levels = {f["field"]: f["level"] for f in link["fields"]}
    assert (levels["phone"], levels["last_name"], levels["company"], levels["email"]) == (
        "exact", "diacritics", "exact_with_phone", "local_part")
    assert "Maija" not in str(group.explanation) and not any(c.id in map(int, g.member_key.split(","))
                                                            for g in session.exec(select(DedupCandidate)).all())
    members = service.candidate_members(session, candidates=[group])[group.id]
    assert {m["id"] for m in members} == {a.id, b.id} and sum(m["centre"] for m in members) == 1
    assert done.stats["new"] >= 1 and run(session).stats["updated"] >= 1  # the same group again: updated


def test_a_dismissed_group_stays_dismissed_and_a_vanished_one_is_superseded(session):
    a, b, _ = twins(session)
    run(session)
    group = group_of(session, a.id, b.id)
    service.dismiss_candidate(session, candidate=group, reason="different_records", actor=ACTOR)
    with pytest.raises(Conflict):
        service.dismiss_candidate(session, candidate=group, reason="not_sure", actor=ACTOR)
    again = run(session)
    assert group_of(session, a.id, b.id).status == CandidateStatus.dismissed and again.stats["kept_dismissed"] >= 1
    x, y, _ = twins(session)
    run(session)
    session.delete(session.get(Contact, y.id))
    session.flush()
    assert session.exec(select(DedupCandidateMember).where(DedupCandidateMember.contact_id == y.id)).first() is None
    run(session)
    assert group_of(session, x.id, y.id).status == CandidateStatus.superseded


def test_the_incremental_check_and_the_warning_on_create(session):
    a, b, c = twins(session)
    [found] = service.likely_duplicates(session, contact=b)
    assert found.id == a.id and found.score > 0.9
    agreed = {r["field"]: r["level"] for r in found.reasons}
    assert agreed["phone"] == "exact" and agreed["last_name"] == "diacritics" and agreed["email"] == "local_part"
    assert "Maija" not in str(found) and "kinen" not in str(found)  # what agreed, never the values
    assert service.likely_duplicates(session, contact=c) == []
    started = service.request_check(session, entity=DedupEntity.contacts, ids=[b.id])
    stats = service.check_job(session, JobContext(started.job_id, "dedup.check", {
        "run_id": started.id, "entity": "contacts", "ids": [b.id]}, 1, None))
    assert stats["groups"] == 1 and group_of(session, a.id, b.id).run_id == started.id
    assert service.check_job(session, JobContext(started.job_id, "dedup.check", {"run_id": started.id}, 2, None)) \
        == {"skipped": "run finished or gone"}


def test_likely_duplicate_companies_never_across_business_ids(session):
    name = f"Kajaanin Kone {tag()}"
    site = f"https://www.{tag()}.fi"
    first = create_company(session, data=CompanyCreate(name=f"{name} Oy", website=site, city="Kajaani",
                                                       business_id=bid(),
                                                       **PROVENANCE), actor=ACTOR)
    again = create_company(session, data=CompanyCreate(name=f"{name.upper()} OYJ", city="Kajaani", **PROVENANCE),
                           actor=ACTOR)
    other = create_company(session, data=CompanyCreate(name=f"{name} Oy", website=site, city="Kajaani",
                                                       business_id=bid(),
                                                       **PROVENANCE), actor=ACTOR)
    assert {d.id for d in service.likely_duplicates(session, company=again)} == {first.id, other.id}
    # never `first`: another business ID
    assert [d.id for d in service.likely_duplicates(session, company=other)] == [again.id]
    done = run(session, DedupEntity.companies)
    groups = session.exec(select(DedupCandidate).where(DedupCandidate.run_id == done.id)).all()
    assert not any({first.id, other.id} <= set(map(int, g.member_key.split(","))) for g in groups)


def test_automatic_merges_are_off_by_default_and_never_touch_a_restricted_person(session, monkeypatch):
    with pytest.raises(Conflict, match="off"):
        service.start_run(session, entity=DedupEntity.contacts, auto_merge=True)
    monkeypatch.setenv("REKISTERI_DEDUP_AUTO_MERGE_THRESHOLD", "0.99")
    from shared.settings import get_settings

    get_settings.cache_clear()
    try:
        a, b, _ = twins(session)
        x, y, _ = twins(session)
        restrict(session, contact=y, reason="kiistetty", actor=ACTOR)
        done = run(session, auto_merge=True)
        assert done.stats["auto_merged"] >= 1
        assert session.get(Contact, b.id) is None and group_of(session, a.id, b.id).status == CandidateStatus.merged
        assert session.get(Contact, y.id) is not None and group_of(session, x.id, y.id).status == CandidateStatus.open

    finally:
        get_settings.cache_clear()
