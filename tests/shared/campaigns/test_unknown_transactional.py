"""Unknown outcomes of transactional messages (no campaign): listed apart from the campaigns',
resolved as delivered or sent again, each decision in the person's history."""

from __future__ import annotations

import pytest
from sqlmodel import select

import factories
import register_rows
from shared.audit.service import Actor
from shared.campaigns import review
from shared.common.errors import Conflict, NotFound
from shared.models import ChangeRecord, EmailStatus, utcnow

OFFICER = Actor(label="user:privacy", user_id=None)


def test_transactional_unknown_outcomes_are_listed_and_resolved_apart_from_campaigns(session):
    person = factories.contact(session)
    mail = register_rows.message(session, to=person, unknown=True)
    campaign_mail = register_rows.campaign_message(session, to=person, unknown=True)
    transactional = {r["email_id"] for r in review.unknown_outcomes(session, transactional=True, limit=500)}
    campaigns = {r["email_id"] for r in review.unknown_outcomes(session, limit=500)}
    assert mail.id in transactional and mail.id not in campaigns
    assert campaign_mail.id in campaigns and campaign_mail.id not in transactional
    [row] = [r for r in review.unknown_outcomes(session, transactional=True, limit=500) if r["email_id"] == mail.id]
    assert row["campaign_id"] is None and row["contact_id"] == person.id and row["message_id"] == mail.message_id
    with pytest.raises(NotFound):  # each kind resolved as its own kind
        review.resolve_unknown(session, email_id=campaign_mail.id, decision=review.Decision.requeue,
                               reason="palvelimen lokissa ei ole viestiä", actor=OFFICER, transactional=True)
    before = utcnow()
    review.resolve_unknown(session, email_id=mail.id, decision=review.Decision.requeue,
                           reason="palvelimen lokissa ei ole viestiä", actor=OFFICER, transactional=True)
    assert mail.status == EmailStatus.pending and not mail.outcome_unknown and mail.next_attempt_at >= before
    history = session.exec(select(ChangeRecord).where(ChangeRecord.contact_id == person.id,
                                                      ChangeRecord.action == "review")).all()
    assert [(h.old_value, h.new_value, h.reason) for h in history] == [
        ("unknown", "requeued", "palvelimen lokissa ei ole viestiä")]
    with pytest.raises(Conflict):  # resolved once
        review.resolve_unknown(session, email_id=mail.id, decision=review.Decision.delivered,
                               reason="palvelimen lokissa on viesti", actor=OFFICER, transactional=True)


def test_a_transactional_message_confirmed_delivered_is_sent_when_it_was_handed_over(session):
    mail = register_rows.message(session, unknown=True)  # to an address with no contact: no history row
    review.resolve_unknown(session, email_id=mail.id, decision=review.Decision.delivered,
                           reason="lokissa: status=sent 250 ok", actor=OFFICER, transactional=True)
    assert mail.status == EmailStatus.sent and mail.sent_at == mail.handed_over_at
