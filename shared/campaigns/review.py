"""Campaign messages whose outcome is unknown, for a person to review and resolve.

The notifier marks a message `failed` with `outcome_unknown` when the SMTP server may have accepted
it but no answer came back (the notifier died after handing the content over, or the connection
broke while waiting for the answer to DATA; see shared/outbox/outcomes.py). Such a message is
never resent by itself: a duplicate marketing message is worse than one to check by hand.
Marketing or privacy staff look at the mail server's log and decide, one message at a time:

- `delivered`: the server did accept it: the row becomes `sent` (at the moment it was handed over);
- `requeue`: the server did not: the row goes back to `pending` and is sent again — checked
  again right before it goes like any other message, so an objection made meanwhile still wins. A
  message of a paused campaign waits for the campaign to resume; a cancelled campaign's message
  cannot be requeued.

Each decision, with who made it and their reason, is a change-history row on the recipient
(entity `campaign_recipients`, so it appears in the person's history).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from enum import StrEnum
from typing import Any

import structlog
from sqlmodel import Session, select

from shared.audit.service import Actor, record
from shared.outbox.service import FAR_FUTURE
from shared.models import Contact, EmailAttempt, EmailMessage, EmailStatus, utcnow
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.common.errors import Conflict, NotFound

log = structlog.get_logger(__name__)


class Decision(StrEnum):
    delivered = "delivered"
    requeue = "requeue"


def _unresolved():
    return (EmailMessage.status == EmailStatus.failed) & EmailMessage.outcome_unknown.is_(True)


def unknown_outcomes(session: Session, *, campaign_id: int | None = None, after: uuid.UUID | None = None,
                     limit: int = 100, transactional: bool = False) -> list[dict[str, Any]]:
    """Unresolved unknown outcomes (of one campaign, or of all), with every SMTP attempt of each;
    page with the last `email_id` seen. `transactional`: those of the messages that belong to no
    campaign instead (answers to requests, notices), with `campaign_id` None."""
    query = (select(EmailMessage, CampaignRecipient)
             .join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id, isouter=transactional)
             .where(_unresolved()).order_by(EmailMessage.id).limit(limit))
    if transactional:
        query = query.where(CampaignRecipient.id.is_(None))
    if campaign_id is not None:
        query = query.where(CampaignRecipient.campaign_id == campaign_id)
    if after is not None:
        query = query.where(EmailMessage.id > after)
    rows = session.exec(query).all()
    attempts: dict[uuid.UUID, list[dict[str, Any]]] = {m.id: [] for m, _ in rows}
    if attempts:
        for a in session.exec(select(EmailAttempt).where(EmailAttempt.email_id.in_(list(attempts)))
                              .order_by(EmailAttempt.id)).all():
            attempts[a.email_id].append(a.model_dump(include={"attempt", "outcome", "smtp_reply", "smtp_server",
                                                              "started_at", "finished_at"}))
    return [{"email_id": m.id, "campaign_id": r.campaign_id if r else None, "contact_id": r.contact_id if r else m.contact_id,
             "category": m.category, "to_address": m.to_address,
             "subject": m.subject, "message_id": m.message_id, "attempts": m.attempts,
             "handed_over_at": m.handed_over_at, "last_error": m.last_error, "attempt_log": attempts[m.id]}
            for m, r in rows]


def resolve_unknown(session: Session, *, email_id: uuid.UUID, decision: Decision, reason: str,
                    actor: Actor, transactional: bool = False) -> EmailMessage:
    """Apply a person's decision on one unknown outcome (see the module's docstring). With
    `transactional` the message is one that belongs to no campaign (`requeue` sends it at once)."""
    query = select(EmailMessage, CampaignRecipient, Campaign)
    if transactional:
        query = (query.outerjoin(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
                 .outerjoin(Campaign, Campaign.id == CampaignRecipient.campaign_id)
                 .where(CampaignRecipient.id.is_(None)))
    else:
        query = (query.join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
                 .join(Campaign, Campaign.id == CampaignRecipient.campaign_id))
    found = session.exec(query.where(EmailMessage.id == email_id)
                         .with_for_update(of=EmailMessage).execution_options(populate_existing=True)).first()
    if found is None:
        raise NotFound("no such transactional message" if transactional else "no such campaign message")
    message, recipient, campaign = found
    if message.status != EmailStatus.failed or not message.outcome_unknown:
        raise Conflict("this message's outcome is not unknown (or it was resolved already)")
    if decision == Decision.delivered:
        message.status, message.sent_at = EmailStatus.sent, message.handed_over_at or utcnow()
        message.last_error = f"confirmed delivered on review by {actor.label}"
    else:
        if campaign is not None and campaign.status == CampaignStatus.cancelled:
            raise Conflict("the campaign is cancelled: its messages are not sent again")
        paused = campaign is not None and campaign.status == CampaignStatus.paused
        message.status, message.handed_over_at, message.lease_token = EmailStatus.pending, None, None
        message.next_attempt_at = FAR_FUTURE if paused else utcnow()
        message.max_attempts = max(message.max_attempts, message.attempts + 1)  # at least one more try
        message.last_error = f"requeued on review by {actor.label}"
    message.outcome_unknown = False
    session.add(message)
    # the decision in the person's history: on the campaign's recipient row, else on the contact
    entity = recipient if recipient is not None else (
        session.get(Contact, message.contact_id) if message.contact_id else None)
    if entity is not None:
        record(session, entity=entity, action="review", actor=replace(actor, reason=reason), field="outcome",
               old="unknown", new="delivered" if decision == Decision.delivered else "requeued")
    session.flush()
    log.info("campaign.unknown_outcome_resolved", campaign_id=campaign.id if campaign else None,
             email_id=str(message.id), decision=decision.value)
    return message
