"""Accountability documents generated from the register's configuration: the published privacy
notice and its immutable versions (render.py builds the text), the records of processing
(Art. 30), and the breach register (Art. 33) with its estimate from the access and disclosure
logs."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

import structlog
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import func, literal_column, text
from sqlmodel import Session, select

from shared.models import AccessRecord, Disclosure, utcnow
from shared.models.partners import Breach, BreachStatus, Partner, PrivacyNoticeVersion, Transfer
from shared.notice import render
from shared.notice.config import LANGUAGES, current_config
from shared.partners.service import agreement_valid
from shared.common.errors import Conflict, NotFound
from shared.common.schemas import DbId, PastMoment, StrictInput, text_field
from shared.retention.policy import current_policy
from shared.settings import get_settings

log = structlog.get_logger(__name__)
PUBLISH_LOCK = 7_305_112_007
REPORT_WITHIN = timedelta(hours=72)


def _sources(session: Session, *, today: date) -> dict[str, Any]:
    settings = get_settings()
    partners = [p for p in session.exec(select(Partner).where(Partner.active).order_by(Partner.name)).all()
                if agreement_valid(p, today=today)]
    return {"policy": current_policy(), "partners": partners, "base_url": settings.public_base_url.rstrip("/"),
            "privacy_email": settings.privacy_email}


def draft(session: Session, *, now: datetime | None = None) -> dict[str, tuple[str, str]]:
    """The notice as it would be published now: language -> (Markdown, HTML)."""
    now = now or utcnow()
    sources, config = _sources(session, today=now.date()), current_config()
    latest = session.exec(select(func.max(PrivacyNoticeVersion.version))).one() or 0
    return {lang: render.render(config, language=lang, version=latest + 1, published=now.date(), **sources)
            for lang in LANGUAGES}


def _content_hash(session: Session, *, today: date) -> str:
    """What the notice says, without its version line: equal hashes mean nothing changed."""
    sources, config = _sources(session, today=today), current_config()
    digest = hashlib.sha256()
    for lang in LANGUAGES:
        body = render.sections(config, language=lang, **sources)
        digest.update(render.to_markdown(body, title="", subtitle="").encode())
    return digest.hexdigest()


def publish(session: Session, *, changes: str, published_by: int | None,
            now: datetime | None = None) -> PrivacyNoticeVersion:
    """Render the notice from the configuration in fi/sv/en and store it as the next version."""
    now = now or utcnow()
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLISH_LOCK})
    latest = current_version(session)
    digest = _content_hash(session, today=now.date())
    if latest is not None and latest.sha256 == digest:
        raise Conflict(f"nothing has changed since version {latest.version}")
    rendered = draft(session, now=now)
    version = PrivacyNoticeVersion(version=(latest.version if latest else 0) + 1, changes=changes, sha256=digest,
                                   markdown={k: v[0] for k, v in rendered.items()},
                                   html={k: v[1] for k, v in rendered.items()}, published_by=published_by,
                                   published_at=now)
    session.add(version)
    session.flush()
    log.info("privacy_notice.published", version=version.version)
    return version


FIRST_VERSION_CHANGES = "Ensimmäinen versio – Första versionen – First version"


def publish_first(session: Session, *, now: datetime | None = None) -> PrivacyNoticeVersion | None:
    """Publish version 1 from the configuration unless a version exists (run when the database is
    migrated), so the public notice answers from the first start; None if there already was one."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLISH_LOCK})
    if current_version(session) is not None:
        return None
    return publish(session, changes=FIRST_VERSION_CHANGES, published_by=None, now=now)


def current_version(session: Session) -> PrivacyNoticeVersion | None:
    return session.exec(select(PrivacyNoticeVersion).order_by(PrivacyNoticeVersion.version.desc()).limit(1)).first()


def get_version(session: Session, *, version: int | None) -> PrivacyNoticeVersion:
    """A published version (the current one when `version` is None); NotFound if there is none."""
    found = current_version(session) if version is None else session.exec(
        select(PrivacyNoticeVersion).where(PrivacyNoticeVersion.version == version)).first()
    if found is None:
        raise NotFound("no such privacy notice version" if version else "no privacy notice has been published yet")
    return found


def list_versions(session: Session) -> list[PrivacyNoticeVersion]:
    return list(session.exec(select(PrivacyNoticeVersion).order_by(PrivacyNoticeVersion.version.desc())).all())


def records_of_processing(session: Session, *, language: str) -> dict[str, Any]:
    """Art. 30 records from the configuration, the retention policy and every registered partner."""
    settings = get_settings()
    partners = list(session.exec(select(Partner).order_by(Partner.name)).all())
    return render.records_of_processing(current_config(), language=language, policy=current_policy(),
                                        partners=partners, privacy_email=settings.privacy_email)


# -- breaches (Art. 33) --------------------------------------------------------------------------

class BreachCreate(StrictInput):
    summary: text_field(3, 300)
    description: text_field(3, 20000)
    discovered_at: PastMoment = Field(description="when it became known: the 72 hours run from here")
    occurred_from: PastMoment | None = None
    occurred_until: PastMoment | None = None
    categories: list[text_field(2, 40)] = Field(default_factory=list, max_length=30)
    estimated_people: int | None = Field(default=None, ge=0)
    estimated_records: int | None = Field(default=None, ge=0)
    consequences: text_field(1, 20000) | None = None
    measures: text_field(1, 20000) | None = None
    high_risk: bool = False

    @model_validator(mode="after")
    def _window(self):
        if self.occurred_from and self.occurred_until and self.occurred_until < self.occurred_from:
            raise ValueError("occurred_until is before occurred_from")
        return self


class BreachUpdate(StrictInput):
    description: text_field(3, 20000) | None = None
    occurred_from: PastMoment | None = None
    occurred_until: PastMoment | None = None
    categories: list[text_field(2, 40)] | None = Field(default=None, max_length=30)
    estimated_people: int | None = Field(default=None, ge=0)
    estimated_records: int | None = Field(default=None, ge=0)
    consequences: text_field(1, 20000) | None = None
    measures: text_field(1, 20000) | None = None
    high_risk: bool | None = None
    authority_notified_at: PastMoment | None = None
    subjects_notified_at: PastMoment | None = None
    delay_reason: text_field(3, 2000) | None = None
    status: BreachStatus | None = None


class BreachEstimate(StrictInput):
    """A window (and optionally one staff user's doing — reads and the transfers they started —,
    or one recipient's disclosures) to count."""

    since: PastMoment
    until: PastMoment
    user_id: DbId | None = None
    recipient: text_field(1, 200) | None = None


class BreachPublic(BaseModel):
    id: int
    summary: str
    description: str
    occurred_from: datetime | None
    occurred_until: datetime | None
    discovered_at: datetime
    report_deadline: datetime
    overdue: bool
    categories: list[str]
    estimated_people: int | None
    estimated_records: int | None
    computed: dict[str, Any] | None
    consequences: str | None
    measures: str | None
    high_risk: bool
    authority_notified_at: datetime | None
    subjects_notified_at: datetime | None
    delay_reason: str | None
    status: BreachStatus
    version: int
    created_at: datetime
    updated_at: datetime


def breach_public(breach: Breach, *, now: datetime) -> BreachPublic:
    deadline = breach.discovered_at + REPORT_WITHIN
    overdue = (breach.authority_notified_at or now) > deadline and not breach.delay_reason
    return BreachPublic(**breach.model_dump(), report_deadline=deadline, overdue=overdue)


def create_breach(session: Session, *, data: BreachCreate, created_by: int | None) -> Breach:
    breach = Breach(**data.model_dump(), created_by=created_by)
    session.add(breach)
    session.flush()
    log.info("breach.recorded", breach_id=breach.id)
    return breach


def get_breach(session: Session, *, breach_id: int) -> Breach:
    breach = session.get(Breach, breach_id)
    if breach is None:
        raise NotFound("no such breach")
    return breach


def list_breaches(session: Session, *, status: BreachStatus | None = None) -> list[Breach]:
    query = select(Breach).order_by(Breach.discovered_at.desc())
    return list(session.exec(query.where(Breach.status == status) if status else query).all())


def update_breach(session: Session, *, breach: Breach, data: BreachUpdate) -> Breach:
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(breach, name, value)
    breach.version, breach.updated_at = breach.version + 1, utcnow()
    session.add(breach)
    session.flush()
    return breach


def estimate_affected(session: Session, *, data: BreachEstimate) -> dict[str, Any]:
    """People and records in the access log (reads) and the disclosure log within the window."""
    if data.until < data.since:
        raise Conflict("the window ends before it starts")
    reads = select(AccessRecord.id, AccessRecord.contact_ids).where(AccessRecord.at >= data.since,
                                                                    AccessRecord.at <= data.until)
    disclosed = select(Disclosure.contact_id).where(Disclosure.at >= data.since, Disclosure.at <= data.until)
    if data.user_id is not None:
        # Only what that user did: their reads, and the partner transfers they started (an
        # authority disclosure and an Art. 19 follow-up name no user, so they are left out).
        reads = reads.where(AccessRecord.user_id == data.user_id)
        disclosed = disclosed.where(Disclosure.request_id.in_(
            select(Transfer.id).where(Transfer.created_by == data.user_id)))
    if data.recipient is not None:
        disclosed = disclosed.where(Disclosure.recipient == data.recipient)
    reads, disclosed = reads.subquery(), disclosed.subquery()
    read_people = select(func.unnest(reads.c.contact_ids).label("contact_id"))
    people = select(func.count(func.distinct(literal_column("contact_id")))).select_from(
        read_people.union(select(disclosed.c.contact_id).where(disclosed.c.contact_id.is_not(None))).subquery())
    return {"since": data.since.isoformat(), "until": data.until.isoformat(), "user_id": data.user_id,
            "recipient": data.recipient, "people": session.execute(people).scalar_one(),
            "reads": session.execute(select(func.count()).select_from(reads)).scalar_one(),
            "disclosures": session.execute(select(func.count()).select_from(disclosed)).scalar_one(),
            "disclosures_of_erased_people": session.execute(select(func.count()).select_from(disclosed).where(
                disclosed.c.contact_id.is_(None))).scalar_one(),
            "computed_at": utcnow().isoformat()}


def record_estimate(session: Session, *, breach: Breach, data: BreachEstimate) -> Breach:
    """Compute the estimate and keep it on the breach (the people and records fields too, if empty)."""
    computed = estimate_affected(session, data=data)
    breach.computed = computed
    if breach.estimated_people is None:
        breach.estimated_people = computed["people"]
    if breach.estimated_records is None:
        breach.estimated_records = computed["reads"] + computed["disclosures"]
    breach.version, breach.updated_at = breach.version + 1, utcnow()
    session.add(breach)
    session.flush()
    return breach
