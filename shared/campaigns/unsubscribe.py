"""The opt-out link of every campaign message: a signed token, no login, idempotent.

A token is `{campaign}.{contact}.{list}.{sig}`: sig is HMAC-SHA256 under the server secret over
those ids (128 bits shown). It never expires — a way out must keep working. Contact 0 marks a
test send: the link is genuine but does nothing.

What following it does (all in the caller's transaction, which commits before the answer):
- one-click (RFC 8058 POST, or the page's default): an objection for the campaign's category
  (direct marketing for marketing and sister_marketing, research for research) and a
  suppression entry for the address the message went to and the contact's current address;
- leave the list the message came through (the subscription becomes unsubscribed);
- object to all direct marketing (objection + suppression `objected`);
- object to research (the research objection; the suppression list is about marketing).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum

import structlog
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.contacts.service import record_objection
from shared.lists.service import change_subscription
from shared.models import Channel, Contact, EmailCategory, EmailMessage, Subscription, SubscriptionStatus
from shared.models.campaigns import Campaign, CampaignRecipient
from shared.common.errors import NotFound
from shared.common.suppression import suppress
from shared.settings import get_settings

log = structlog.get_logger(__name__)
TOKEN_PATTERN = r"^[0-9]{1,10}\.[0-9]{1,10}\.[0-9]{1,10}\.[0-9a-f]{32}$"
_TOKEN = re.compile(TOKEN_PATTERN)


class InvalidUnsubscribeToken(NotFound):
    """The token was not made by us (404; the caller learns nothing more)."""


class Choice(StrEnum):
    one_click = "one_click"
    leave_list = "leave_list"
    direct_marketing = "direct_marketing"
    research = "research"


@dataclass(frozen=True)
class TokenRef:
    campaign_id: int
    contact_id: int
    list_id: int


def _signature(campaign_id: int, contact_id: int, list_id: int) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    message = f"unsubscribe:{campaign_id}.{contact_id}.{list_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def sign_token(*, campaign_id: int, contact_id: int, list_id: int) -> str:
    """The token for one recipient of one campaign (contact 0: a test send)."""
    return f"{campaign_id}.{contact_id}.{list_id}.{_signature(campaign_id, contact_id, list_id)}"


def parse_token(token: str) -> TokenRef:
    """The ids in a genuine token; InvalidUnsubscribeToken otherwise (constant-time check)."""
    if not _TOKEN.fullmatch(token or ""):
        raise InvalidUnsubscribeToken()
    campaign_id, contact_id, list_id, sig = token.split(".")
    ref = TokenRef(int(campaign_id), int(contact_id), int(list_id))
    if not hmac.compare_digest(_signature(ref.campaign_id, ref.contact_id, ref.list_id), sig):
        raise InvalidUnsubscribeToken()
    return ref


def _addresses(session: Session, ref: TokenRef, contact: Contact | None) -> set[str]:
    sent_to = session.exec(
        select(EmailMessage.to_address)
        .join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
        .where(CampaignRecipient.campaign_id == ref.campaign_id, CampaignRecipient.contact_id == ref.contact_id)
    ).first()
    return {a for a in (sent_to, contact.email if contact else None) if a}


def _object(session: Session, *, contact: Contact | None, direct_marketing: bool, research: bool,
            actor: Actor) -> None:
    if contact is not None:
        record_objection(session, contact=contact, direct_marketing=direct_marketing, research=research,
                         channel=Channel.unsubscribe_link, actor=actor)


def _leave_list(session: Session, *, ref: TokenRef, campaign: Campaign | None, actor: Actor) -> None:
    lists = [ref.list_id] if ref.list_id else list(campaign.list_ids if campaign else [])
    subscriptions = session.exec(
        select(Subscription).where(Subscription.contact_id == ref.contact_id, Subscription.list_id.in_(lists),
                                   Subscription.status != SubscriptionStatus.unsubscribed)
        .with_for_update()
    ).all()
    for subscription in subscriptions:
        change_subscription(session, subscription=subscription, changes={"status": SubscriptionStatus.unsubscribed},
                            actor=actor)


def unsubscribe(session: Session, *, token: str, choice: Choice) -> str:
    """Act on an opt-out link; doing it twice changes nothing more. Returns what it did."""
    ref = parse_token(token)
    if ref.contact_id == 0:
        log.info("campaign.unsubscribe_test_link", campaign_id=ref.campaign_id)
        return "test"
    campaign = session.get(Campaign, ref.campaign_id)
    contact = session.get(Contact, ref.contact_id, with_for_update=True)
    actor = Actor(label="subject", reason=f"unsubscribe-link:campaign:{ref.campaign_id}")
    if choice == Choice.leave_list:
        _leave_list(session, ref=ref, campaign=campaign, actor=actor)
    elif choice == Choice.research:
        _object(session, contact=contact, direct_marketing=False, research=True, actor=actor)
    else:
        research = (choice == Choice.one_click and campaign is not None
                    and campaign.category == EmailCategory.research)
        _object(session, contact=contact, direct_marketing=not research, research=research, actor=actor)
        reason = "unsubscribed" if choice == Choice.one_click else "objected"
        for address in _addresses(session, ref, contact):
            suppress(session, email=address, reason=reason)
    session.flush()
    log.info("campaign.unsubscribed", campaign_id=ref.campaign_id, contact_id=ref.contact_id, choice=choice.value)
    return choice.value
