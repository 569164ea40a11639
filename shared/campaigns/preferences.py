"""The preference page behind every marketing message's link: the same signed token as the
opt-out link (shared/campaigns/unsubscribe.py), so whoever holds the message can manage what it
was sent to — and nothing else.

It shows which company sends, to which address (masked), the lists the person is on and their
consents; it lets them leave a list, join one again (pending until they confirm by an emailed
link: a double opt-in), object to direct marketing or research (through `unsubscribe`), and
withdraw a consent. Everything happens in the caller's transaction; a test send's token
(contact 0) shows an empty page and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.campaigns.unsubscribe import parse_token
from shared.contacts.service import withdraw_consent
from shared.i18n import t
from shared.lists.service import change_subscription
from shared.models import (
    Consent, Contact, EmailCategory, MailingList, Subscription, SubscriptionStatus, utcnow,
)
from shared.models.campaigns import Campaign
from shared.outbox.service import enqueue_email
from shared.settings import get_settings
from shared.subject_requests.notice import CONTROLLER
from shared.subject_requests.tracking import centre_url, mask_email

log = structlog.get_logger(__name__)


class NotYours(LookupError):
    """The list or consent is not the token's person's (404, like a forged token)."""


class JoinLinkInvalid(LookupError):
    """A double opt-in link that is forged or past its time."""


@dataclass(frozen=True)
class ListEntry:
    list_id: int
    name: str
    status: str  # subscribed, pending, unsubscribed


@dataclass(frozen=True)
class ConsentEntry:
    id: int
    purpose: str
    granted_at: datetime


@dataclass(frozen=True)
class Preferences:
    test: bool
    sender: str
    controller: str
    masked_email: str
    lists: list[ListEntry]
    consents: list[ConsentEntry]
    objects_direct_marketing: bool
    objects_research: bool
    restricted: bool


def _actor(campaign_id: int) -> Actor:
    return Actor(label="subject", reason=f"preference-page:campaign:{campaign_id}")


def preferences(session: Session, *, token: str) -> Preferences:
    """What the page shows for a genuine token (InvalidUnsubscribeToken otherwise)."""
    ref = parse_token(token)
    campaign = session.get(Campaign, ref.campaign_id)
    contact = session.get(Contact, ref.contact_id) if ref.contact_id else None
    sender = campaign.sender_name if campaign is not None else CONTROLLER["name"]
    if contact is None:
        return Preferences(test=ref.contact_id == 0, sender=sender, controller=CONTROLLER["name"],
                           masked_email="•••", lists=[], consents=[], objects_direct_marketing=False,
                           objects_research=False, restricted=False)
    rows = session.exec(select(Subscription, MailingList).join(MailingList, MailingList.id == Subscription.list_id)
                        .where(Subscription.contact_id == contact.id).order_by(MailingList.name)).all()
    consents = session.exec(select(Consent).where(Consent.contact_id == contact.id, Consent.withdrawn_at.is_(None))
                            .order_by(Consent.granted_at)).all()
    return Preferences(
        test=False, sender=sender, controller=CONTROLLER["name"], masked_email=mask_email(contact.email),
        lists=[ListEntry(m.id, m.name, s.status.value) for s, m in rows],
        consents=[ConsentEntry(c.id, c.purpose.value, c.granted_at) for c in consents],
        objects_direct_marketing=contact.objects_direct_marketing_at is not None,
        objects_research=contact.objects_research_at is not None, restricted=contact.restricted_at is not None)


def _subscription(session: Session, *, token: str, list_id: int) -> tuple[Subscription | None, int]:
    ref = parse_token(token)
    if ref.contact_id == 0:
        return None, ref.campaign_id
    subscription = session.exec(select(Subscription).where(Subscription.contact_id == ref.contact_id,
                                                           Subscription.list_id == list_id)
                                .with_for_update()).first()
    if subscription is None:
        raise NotYours()
    return subscription, ref.campaign_id


def leave_list(session: Session, *, token: str, list_id: int) -> None:
    """Unsubscribe from one of the person's lists (again: nothing more happens)."""
    subscription, campaign_id = _subscription(session, token=token, list_id=list_id)
    if subscription is not None and subscription.status != SubscriptionStatus.unsubscribed:
        change_subscription(session, subscription=subscription, changes={"status": SubscriptionStatus.unsubscribed},
                            actor=_actor(campaign_id))
        log.info("preferences.left_list", list_id=list_id, contact_id=subscription.contact_id)


def _join_signature(token: str, list_id: int, expires: int) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, f"join:{token}:{list_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def join_again(session: Session, *, token: str, list_id: int, language: str, now: datetime | None = None) -> None:
    """Ask to be on a list again: the subscription waits (pending) until the person follows the
    emailed link. Conflict if they have objected to direct marketing or are restricted."""
    subscription, campaign_id = _subscription(session, token=token, list_id=list_id)
    if subscription is None or subscription.status != SubscriptionStatus.unsubscribed:
        return
    change_subscription(session, subscription=subscription, changes={"status": SubscriptionStatus.pending},
                        actor=_actor(campaign_id))
    contact, mailing_list = session.get(Contact, subscription.contact_id), session.get(MailingList, list_id)
    hours = get_settings().verification_ttl_hours
    expires = int(((now or utcnow()) + timedelta(hours=hours)).timestamp())
    link = centre_url(f"/privacy/preferences/{token}/join/{list_id}", lang=language, expires=expires,
                      sig=_join_signature(token, list_id, expires))
    enqueue_email(session, to_address=contact.email, from_address=get_settings().mail_from,
                  subject=t("centre.mail.join_subject", language, list=mailing_list.name),
                  body_text=t("centre.mail.join_body", language, list=mailing_list.name, link=link, hours=hours,
                              controller=CONTROLLER["name"]),
                  category=EmailCategory.transactional, headers={"Auto-Submitted": "auto-generated"},
                  contact_id=contact.id)
    log.info("preferences.join_requested", list_id=list_id, contact_id=contact.id)


def check_join_link(*, token: str, list_id: int, expires: str | None, sig: str | None,
                    now: datetime | None = None) -> None:
    """JoinLinkInvalid unless the double opt-in link is genuine and in time."""
    parse_token(token)
    if not expires or not expires.isdigit() or len(expires) > 12 or not sig:
        raise JoinLinkInvalid()
    if not hmac.compare_digest(_join_signature(token, list_id, int(expires)).encode(), sig.lower().encode()):
        raise JoinLinkInvalid()
    if (now or utcnow()).timestamp() >= int(expires):
        raise JoinLinkInvalid()


def confirm_join(session: Session, *, token: str, list_id: int, expires: str | None, sig: str | None,
                 now: datetime | None = None) -> None:
    """The double opt-in: a pending subscription becomes subscribed (once; again changes nothing)."""
    check_join_link(token=token, list_id=list_id, expires=expires, sig=sig, now=now)
    subscription, campaign_id = _subscription(session, token=token, list_id=list_id)
    if subscription is not None and subscription.status == SubscriptionStatus.pending:
        change_subscription(session, subscription=subscription, changes={"status": SubscriptionStatus.subscribed},
                            actor=_actor(campaign_id))
        log.info("preferences.joined", list_id=list_id, contact_id=subscription.contact_id)


def withdraw(session: Session, *, token: str, consent_id: int) -> None:
    """Withdraw one of the person's consents."""
    ref = parse_token(token)
    contact = session.get(Contact, ref.contact_id) if ref.contact_id else None
    if contact is None:
        return
    consent = session.get(Consent, consent_id)
    if consent is None or consent.contact_id != contact.id:
        raise NotYours()
    withdraw_consent(session, contact=contact, consent_id=consent_id, actor=_actor(ref.campaign_id))
