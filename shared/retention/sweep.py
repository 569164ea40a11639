"""The retention sweep (GDPR Art. 5(1)(e)): what each rule of the policy removes, as a plan
(counts per rule, no names) and as a run that does exactly that.

`plan(session, now=…)` and `sweep(session, now=…)` share every query, and the sweep takes its
list of people to erase before it touches anything, so on an unchanged register a sweep removes
exactly what the plan said. People are erased through the erasure machinery of subject requests
(`erase_person`: everything everywhere, partners told); bulk rules update or delete in one
statement each. Held records (legal holds) are skipped and restricted; restricted people (Art. 18)
are never erased by the sweep — the privacy officer decides — and are counted apart.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import ARRAY, Integer, and_, cast, delete, exists, false, func, null, or_, update
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.jobs import kinds
from shared.jobs.runner import JobContext
from shared.jobs.service import create_job
from shared.models import (AccessExport, AccessRecord, ChangeRecord, Company, CompanyStatus, Consent, Contact,
                           Feedback, ImportUpload, Interaction, Job, JobStatus, SubjectRequest, Subscription,
                           VerificationToken, WebEvent, utcnow)
from shared.models.partners import RetentionRun
from shared.partners.service import remember_subject_refs
from shared.retention.holds import held_company_ids, held_contact_ids, restrict_held
from shared.retention.policy import Rule, current_policy
from shared.subject_requests.erasure import erase_person
from shared.subject_requests.states import FINAL
from shared.transfers.service import expire_downloads

log = structlog.get_logger(__name__)
ACTOR = Actor(label="retention")
ANONYMOUS_VISITOR = "anonymous"
ERASE_RULES = ("prospects", "former_customers")


@dataclass(frozen=True)
class Held:
    contacts: list[int]
    companies: list[int]


@dataclass(frozen=True)
class Bulk:
    """A rule that touches many rows of one table in one statement."""

    model: Any
    due: Callable[[datetime], Any]  # cutoff -> rows past their time (and not yet done)
    held: Callable[[Held], Any]  # the rows a legal hold covers
    anonymized: dict[str, Any]  # what `anonymize` sets


def _in(column, ids: list[int]):
    """`column IN ids`, false (never NULL) for a NULL column: its negation must hold there."""
    return and_(column.is_not(None), column.in_(ids)) if ids else false()


BULK: dict[str, Bulk] = {
    "web_events": Bulk(
        WebEvent, lambda cut: (WebEvent.occurred_at < cut) & or_(WebEvent.contact_id.is_not(None),
                                                                   WebEvent.visitor_id != ANONYMOUS_VISITOR),
        lambda held: _in(WebEvent.contact_id, held.contacts),
        {"contact_id": None, "visitor_id": ANONYMOUS_VISITOR, "referrer": None,
         "page": func.split_part(WebEvent.page, "?", 1)}),
    "feedback": Bulk(
        Feedback, lambda cut: (Feedback.received_at < cut) & or_(
            Feedback.contact_id.is_not(None), Feedback.company_id.is_not(None), Feedback.text != ""),
        lambda held: or_(_in(Feedback.contact_id, held.contacts), _in(Feedback.company_id, held.companies)),
        {"contact_id": None, "company_id": None, "text": "", "resolution": None, "handled_by": None}),
    "access_exports": Bulk(AccessExport, lambda cut: AccessExport.created_at < cut, lambda held: false(), {}),
    "verification_tokens": Bulk(VerificationToken, lambda cut: VerificationToken.created_at < cut,
                                lambda held: false(), {}),
    "access_log": Bulk(
        AccessRecord, lambda cut: AccessRecord.at < cut,
        lambda held: AccessRecord.contact_ids.overlap(cast(held.contacts, ARRAY(Integer)))
        if held.contacts else false(),
        {}),
    "finished_requests": Bulk(
        SubjectRequest, lambda cut: SubjectRequest.status.in_(list(FINAL)) & (func.coalesce(
            SubjectRequest.completed_at, SubjectRequest.updated_at) < cut) & or_(
            SubjectRequest.email.is_not(None), SubjectRequest.name.is_not(None), SubjectRequest.contact_id.is_not(None),
            SubjectRequest.free_text.is_not(None), SubjectRequest.note.is_not(None)),
        lambda held: _in(SubjectRequest.contact_id, held.contacts),
        {"email": None, "name": None, "free_text": None, "note": None, "contact_id": None, "client_hash": None,
         "proposed_changes": null(), "approved_changes": null()}),
    "import_files": Bulk(ImportUpload, lambda cut: ImportUpload.created_at < cut, lambda held: false(), {}),
}


def _holds(session: Session, now: datetime) -> Held:
    return Held(contacts=sorted(session.execute(held_contact_ids(now)).scalars().all()),
                companies=sorted(session.exec(held_company_ids(now)).all()))


def _last_interaction():
    """The latest sign of a relationship with the person: created, an interaction (theirs or
    their company's), feedback, a subscription, a consent."""
    company_interaction = and_(Contact.company_id.is_not(None), Interaction.company_id == Contact.company_id)
    return func.greatest(
        Contact.created_at, Contact.last_activity_at,
        select(func.max(Interaction.occurred_at)).where(or_(Interaction.contact_id == Contact.id,
                                                            company_interaction)).scalar_subquery(),
        select(func.max(Feedback.received_at)).where(Feedback.contact_id == Contact.id).scalar_subquery(),
        select(func.max(func.greatest(Subscription.subscribed_at, Subscription.confirmed_at)))
        .where(Subscription.contact_id == Contact.id).scalar_subquery(),
        select(func.max(Consent.granted_at)).where(Consent.contact_id == Contact.id).scalar_subquery())


def _people_due(session: Session, rule: Rule, *, now: datetime, held: Held) -> dict[str, list[int]]:
    """The people an erase rule is due for: {"erase": […], "held": […], "restricted": […]}."""
    cutoff, last = rule.period.before(now), _last_interaction()
    if rule.name == "prospects":
        condition = or_(Contact.company_id.is_(None), Company.status == CompanyStatus.prospect) & (last < cutoff)
    else:
        ended = func.coalesce(Company.relationship_ended_at, Company.updated_at)
        condition = (Company.status == CompanyStatus.former_customer) & (func.greatest(last, ended) < cutoff)
    asking = exists().where(SubjectRequest.contact_id == Contact.id, SubjectRequest.status.not_in(list(FINAL)))
    rows = session.execute(select(Contact.id, Contact.restricted_at.is_not(None))
                           .outerjoin(Company, Company.id == Contact.company_id)
                           .where(condition, ~asking).order_by(Contact.id)).all()
    held_ids = set(held.contacts)
    groups: dict[str, list[int]] = {"erase": [], "held": [], "restricted": []}
    for contact_id, restricted in rows:
        groups["held" if contact_id in held_ids else "restricted" if restricted else "erase"].append(contact_id)
    return groups


def _bulk_counts(session: Session, rule: Rule, *, now: datetime, held: Held) -> tuple[int, int]:
    bulk = BULK[rule.name]
    due = bulk.due(rule.period.before(now))
    row = session.execute(select(func.count().filter(~bulk.held(held)), func.count().filter(bulk.held(held)))
                          .select_from(bulk.model).where(due)).one()
    return int(row[0]), int(row[1])


def _entry(rule: Rule, count: int, held: int, restricted: int = 0) -> dict[str, Any]:
    return {"action": rule.action, "period": str(rule.period), "count": count, "held": held, "restricted": restricted}


def plan(session: Session, *, now: datetime, policy: dict[str, Rule] | None = None) -> dict[str, Any]:
    """What a sweep at `now` would remove, per rule: counts only."""
    policy, held, rules = policy or current_policy(), _holds(session, now), {}
    for name, rule in policy.items():
        if name in ERASE_RULES:
            people = _people_due(session, rule, now=now, held=held)
            rules[name] = _entry(rule, len(people["erase"]), len(people["held"]), len(people["restricted"]))
        else:
            rules[name] = _entry(rule, *_bulk_counts(session, rule, now=now, held=held))
    return {"as_of": now.isoformat(), "rules": rules}


def _apply_bulk(session: Session, rule: Rule, *, now: datetime, held: Held) -> int:
    bulk = BULK[rule.name]
    where = (bulk.due(rule.period.before(now)), ~bulk.held(held))
    table = bulk.model.__table__
    if rule.action == "anonymize":
        statement = update(table).where(*where).values(**bulk.anonymized)
    else:
        statement = delete(table).where(*where)
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount


def _erase(session: Session, contact_ids: list[int], *, run_id: uuid.UUID) -> None:
    """Each person through erase_person, under its own request id (their partners' deletion notices)."""
    for contact_id in contact_ids:
        request_id = uuid.uuid4()
        remember_subject_refs(session, contact_id=contact_id, request_id=request_id)
        erase_person(session, contact_id=contact_id, email=None, request_id=request_id)
        session.execute(update(ChangeRecord.__table__).where(
            ChangeRecord.reason == str(request_id), ChangeRecord.action == "erasure").values(
            actor=ACTOR.label, reason=f"retention:{run_id}"))


def sweep(session: Session, *, now: datetime, trigger: str = "api", job_id: uuid.UUID | None = None,
          policy: dict[str, Rule] | None = None) -> dict[str, Any]:
    """Apply the policy as of `now` in the caller's transaction and record the run."""
    policy, held = policy or current_policy(), _holds(session, now)
    run = RetentionRun(trigger=trigger, as_of=now, job_id=job_id, started_at=utcnow())
    people = {name: _people_due(session, rule, now=now, held=held) for name, rule in policy.items()
              if name in ERASE_RULES}  # taken first: the bulk rules below must not change who is due
    rules: dict[str, Any] = {}
    for name, rule in policy.items():
        if name not in ERASE_RULES:
            held_count = _bulk_counts(session, rule, now=now, held=held)[1]
            rules[name] = _entry(rule, _apply_bulk(session, rule, now=now, held=held), held_count)
    restricted_now = 0
    for name, groups in people.items():
        _erase(session, groups["erase"], run_id=run.id)
        rules[name] = _entry(policy[name], len(groups["erase"]), len(groups["held"]), len(groups["restricted"]))
        held_people = list(session.exec(select(Contact).where(Contact.id.in_(groups["held"]))).all())
        restricted_now += restrict_held(session, contacts=held_people, reason="retention period over", actor=ACTOR)
    housekeeping = {"restricted_under_hold": restricted_now,
                    "download_files_removed": expire_downloads(session, now=now)}
    run.counts, run.finished_at = {"rules": rules, "housekeeping": housekeeping}, utcnow()
    session.add(run)
    session.flush()
    log.info("retention.swept", run_id=str(run.id), trigger=trigger,
             **{name: entry["count"] for name, entry in rules.items()})
    return {"run_id": str(run.id), "as_of": now.isoformat(), "rules": rules, "housekeeping": housekeeping}


def run_sweep_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """The `retention.sweep` job (bulk queue): sweep as of now; commits with the job's success."""
    return sweep(session, now=utcnow(), trigger=str(ctx.payload.get("trigger", "schedule")), job_id=ctx.job_id)


def schedule_sweep(session: Session, *, trigger: str = "schedule", created_by: int | None = None,
                   request_id: str | None = None, reason: str | None = None) -> Job:
    """Queue a sweep unless one is already pending or running (then that one is returned); a person's
    reason for running it now is kept in the job's payload (the record of who asked and why)."""
    running = session.exec(select(Job).where(Job.kind == kinds.RETENTION_SWEEP, Job.status.in_([JobStatus.pending,
                                                                                   JobStatus.running]))).first()
    if running is not None:
        return running
    payload = {"trigger": trigger, **({"reason": reason} if reason else {})}
    return create_job(session, kind=kinds.RETENTION_SWEEP, payload=payload, created_by=created_by,
                      request_id=request_id, max_attempts=3)


def list_runs(session: Session, *, limit: int = 50) -> list[RetentionRun]:
    return list(session.exec(select(RetentionRun).order_by(RetentionRun.started_at.desc()).limit(limit)).all())
