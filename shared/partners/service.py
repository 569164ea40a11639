"""The partner registry: who may receive what, for which purpose, under which written agreement,
and through which channel. The shared secret is sealed before it is stored and never shown."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import structlog
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes, record, record_created
from shared.models import Contact, Disclosure, utcnow
from shared.models.partners import DeliveryMethod, Partner, SubjectRef
from shared.partners import crypto
from shared.partners.schemas import AuthorityDisclosureCreate, PartnerCreate, PartnerPublic, PartnerUpdate
from shared.common.errors import Conflict, InvalidReference, NotFound

log = structlog.get_logger(__name__)


def _check_unique(session: Session, *, name: str | None, business_id: str | None, except_id: int | None) -> None:
    if name is not None:
        found = session.exec(select(Partner.id).where(Partner.name == name)).first()
        if found is not None and found != except_id:
            raise Conflict("a partner with this name is already registered")
    if business_id is not None:
        found = session.exec(select(Partner.id).where(Partner.business_id == business_id)).first()
        if found is not None and found != except_id:
            raise Conflict("a partner with this business ID is already registered")


def create_partner(session: Session, *, data: PartnerCreate, actor: Actor) -> Partner:
    """Register a partner; its secret is sealed (encrypted) before it reaches the database."""
    _check_unique(session, name=data.name, business_id=data.business_id, except_id=None)
    partner = Partner(**data.model_dump(exclude={"secret"}))
    session.add(partner)
    record_created(session, entity=partner, actor=actor)
    if data.secret is not None:  # after the history rows: they say a secret was set, never what it is
        partner.secret_sealed = crypto.seal(data.secret.get_secret_value())
        record(session, entity=partner, action="create", actor=actor, field="secret", new="(set)")
    log.info("partner.created", partner_id=partner.id, delivery=partner.delivery.value)
    return partner


def update_partner(session: Session, *, partner: Partner, data: PartnerUpdate, actor: Actor) -> Partner:
    """Change the given fields (each in the history; a new secret only as 'changed')."""
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude={"secret"})
    _check_unique(session, name=None, business_id=changes.get("business_id"), except_id=partner.id)
    if data.secret is not None:
        changes["secret_sealed"] = crypto.seal(data.secret.get_secret_value())
    merged = {**partner.model_dump(), **changes}
    if merged["delivery"] == DeliveryMethod.https and not (merged["endpoint_url"] and merged["secret_sealed"]):
        raise Conflict("HTTPS delivery needs endpoint_url and secret")
    if merged["agreement_expires_on"] and merged["agreement_expires_on"] < merged["agreement_signed_on"]:
        raise Conflict("the agreement cannot expire before it was signed")
    sealed = changes.pop("secret_sealed", None)
    changed = apply_changes(session, entity=partner, changes=changes, actor=actor)
    if sealed is not None:  # the history says that it changed, never what it is
        partner.secret_sealed, partner.updated_at = sealed, utcnow()
        partner.version += 0 if changed else 1
        record(session, entity=partner, action="update", actor=actor, field="secret", new="(changed)")
        session.add(partner)
        session.flush()
        log.info("partner.secret_changed", partner_id=partner.id)
    return partner


def get_partner(session: Session, *, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound("no such partner")
    return partner


def partner_by_name(session: Session, *, name: str) -> Partner | None:
    return session.exec(select(Partner).where(Partner.name == name)).first()


def list_partners(session: Session, *, active: bool | None = None) -> list[Partner]:
    query = select(Partner).order_by(Partner.name)
    if active is not None:
        query = query.where(Partner.active == active)
    return list(session.exec(query).all())


def agreement_valid(partner: Partner, *, today: date) -> bool:
    """Signed, not expired."""
    expires = partner.agreement_expires_on
    return partner.agreement_signed_on <= today and (expires is None or expires >= today)


REFUSALS = {  # why a transfer is refused, as the record keeps it (the desk shows desk.refusal.<code>)
    "inactive": "the partner is not active",
    "not_in_force": "the written agreement {reference} is not in force until {date}",
    "expired": "the written agreement {reference} expired on {date}",
    "purpose": "the agreement does not cover the purpose '{purpose}' (it covers: {covered})",
    "fields": "the partner may not receive: {fields}",
    "channel": "the partner's HTTPS delivery has no endpoint or no secret",
}


def refusal_cause(partner: Partner, *, purpose: str, fields: list[str], today: date) -> tuple[str, dict[str, Any]] | None:
    """Why this partner may not receive these fields for this purpose today, as a code of REFUSALS
    and its values (None: it may)."""
    if not partner.active:
        return "inactive", {}
    if partner.agreement_signed_on > today:
        return "not_in_force", {"reference": partner.agreement_reference, "date": partner.agreement_signed_on}
    if partner.agreement_expires_on is not None and partner.agreement_expires_on < today:
        return "expired", {"reference": partner.agreement_reference, "date": partner.agreement_expires_on}
    if purpose not in partner.purposes:
        return "purpose", {"purpose": purpose, "covered": ", ".join(partner.purposes)}
    extra = sorted(set(fields) - set(partner.fields))
    if extra:
        return "fields", {"fields": ", ".join(extra)}
    return ("channel", {}) if channel_problem(partner) else None


def refusal(partner: Partner, *, purpose: str, fields: list[str], today: date) -> str | None:
    """Why this partner may not receive these fields for this purpose today (None: it may)."""
    cause = refusal_cause(partner, purpose=purpose, fields=fields, today=today)
    return None if cause is None else REFUSALS[cause[0]].format(**cause[1])


def channel_problem(partner: Partner) -> str | None:
    """Why nothing can be delivered to this partner (None: the channel is complete)."""
    if partner.delivery == DeliveryMethod.https and not (partner.endpoint_url and partner.secret_sealed):
        return REFUSALS["channel"]
    return None


def partner_secret(partner: Partner) -> bytes:
    """The shared secret, unsealed for signing one delivery (never logged, never returned)."""
    if not partner.secret_sealed:
        raise Conflict("the partner has no secret")
    return crypto.unseal(partner.secret_sealed).encode()


def rotate_secrets(session: Session, *, actor: Actor) -> dict[str, Any]:
    """Re-seal every stored partner secret under the current sealing key (`REKISTERI_SEALING_KEY_ID`).
    Counts only; a secret that does not open under any configured key is left as it is and counted.
    The partners' versions stay (the secret itself did not change); the history says it was re-sealed."""
    ring = crypto.keyring()
    counts: dict[str, Any] = {"key_id": ring.current, "resealed": 0, "current": 0, "unreadable": 0}
    partners = session.exec(select(Partner).where(Partner.secret_sealed.is_not(None)).order_by(Partner.id)
                            .with_for_update()).all()
    for partner in partners:
        try:
            token = crypto.reseal(partner.secret_sealed, ring=ring)
        except crypto.SealError:
            counts["unreadable"] += 1
            log.warning("partner.secret_unreadable", partner_id=partner.id)
            continue
        if token is None:
            counts["current"] += 1
            continue
        old_key = crypto.key_id(partner.secret_sealed)
        partner.secret_sealed = token
        record(session, entity=partner, action="update", actor=actor, field="secret",
               old=f"(sealed under key {old_key})", new=f"(sealed under key {ring.current})")
        session.add(partner)
        counts["resealed"] += 1
    session.flush()
    log.info("partner.secrets_rotated", **counts)
    return counts


def to_public(partner: Partner, *, today: date) -> PartnerPublic:
    return PartnerPublic(**partner.model_dump(exclude={"secret_sealed"}), has_secret=bool(partner.secret_sealed),
                         agreement_valid=agreement_valid(partner, today=today))


def remember_subject_refs(session: Session, *, contact_id: int, request_id: uuid.UUID) -> int:
    """Before a person is erased: keep, by the erasure's request id, the ref each partner that got
    their data knows them by, so that the deletion notice can name them. Call it before the
    disclosures are unlinked (shared/subject_requests/erasure.py, the retention sweep)."""
    recipients = session.exec(select(Disclosure.recipient).distinct().where(
        Disclosure.contact_id == contact_id, Disclosure.recipient_kind == "partner",
        Disclosure.kind == "transfer")).all()
    partners = session.exec(select(Partner.name, Partner.id).where(Partner.name.in_(recipients))).all()
    if not partners:
        return 0
    key = crypto.derived_key("partner-subject-ref")
    rows = [{"request_id": request_id, "recipient": name, "ref": crypto.subject_ref(partner_id, contact_id, key=key),
             "created_at": utcnow()} for name, partner_id in partners]
    session.execute(insert(SubjectRef).values(rows).on_conflict_do_nothing())
    return len(rows)


def record_authority_disclosure(session: Session, *, data: AuthorityDisclosureCreate) -> list[Disclosure]:
    """Data given to an authority under a law: one disclosure row per person (their access answers list it)."""
    ids = sorted(set(data.contact_ids))
    found = set(session.exec(select(Contact.id).where(Contact.id.in_(ids))).all())
    if missing := [i for i in ids if i not in found]:
        raise InvalidReference("contact_ids", f"no contact has the id {missing[0]}")
    rows = [Disclosure(contact_id=i, recipient=data.authority, recipient_kind="authority", purpose=data.purpose,
                       legal_ground=data.legal_ground, fields=list(data.fields), kind="transfer", status="done",
                       at=data.disclosed_at) for i in ids]
    session.add_all(rows)
    session.flush()
    log.info("disclosure.authority_recorded", people=len(rows))
    return rows


def list_disclosures(session: Session, *, contact_id: int | None = None, recipient_kind: str | None = None,
                     status: str | None = None, limit: int = 200) -> list[Disclosure]:
    query = select(Disclosure).order_by(Disclosure.id.desc()).limit(limit)
    if contact_id is not None:
        query = query.where(Disclosure.contact_id == contact_id)
    if recipient_kind is not None:
        query = query.where(Disclosure.recipient_kind == recipient_kind)
    if status is not None:
        query = query.where(Disclosure.status == status)
    return list(session.exec(query).all())
