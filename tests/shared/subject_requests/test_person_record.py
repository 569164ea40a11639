"""The desk's person page data: the access answer's own collection and notice texts, in its order,
plus the campaigns the person received with the mail server's answers."""

from __future__ import annotations

import pytest

import factories
import register_rows
from shared.common.errors import NotFound
from shared.models import EmailStatus, Purpose, utcnow
from shared.subject_requests.access_export import collect_person_data
from shared.subject_requests.answer_html import section_body
from shared.subject_requests.notice import ORDER
from shared.subject_requests.person_record import person_record


def test_the_record_is_the_access_answer_in_its_order_with_campaigns_and_smtp_answers(session):
    person = factories.contact(session, company=factories.company(session), consent=Purpose.sales_marketing,
                               restricted_at=utcnow(),
                               restriction_reason="kiistää tietojen oikeellisuuden")
    register_rows.campaign_message(session, to=person, name="Syyskampanja", smtp_reply="250 2.0.0 Ok: queued as X1")
    register_rows.campaign_message(session, to=person, name="Talvikampanja", status=EmailStatus.failed,
                                   smtp_reply="550 5.1.1 no such user")
    record = person_record(session, contact_id=person.id, language="fi")
    assert list(record.sections) == [c for c in ORDER if c in record.sections]
    assert list(record.sections)[:2] == ["contact", "company"]
    assert list(record.sections).index("campaigns") == list(record.sections).index("emails") + 1
    collected = collect_person_data(session, contact_id=person.id, email=None)
    for category in ("consents", "subscriptions", "change_history", "disclosures", "subject_requests"):
        assert record.sections[category]["data"] == collected[category]  # the same collection, not a copy
    contact = record.sections["contact"]
    assert contact["legal_basis"].startswith("Asiakassuhde (") and contact["source"]  # labelled, as in the answer
    replies = {row["campaign"]: row["smtp_reply"] for row in record.sections["campaigns"]["data"]}
    assert replies == {"Syyskampanja": "250 2.0.0 Ok: queued as X1", "Talvikampanja": "550 5.1.1 no such user"}
    assert record.restricted and not record.lift_notified and not record.objects_direct_marketing
    html = section_body("campaigns", record.sections["campaigns"], "sv")
    assert "550 5.1.1 no such user" in html and "E-postserverns svar" in html and "Kampanj" in html


def test_no_such_person(session):
    with pytest.raises(NotFound):
        person_record(session, contact_id=2_000_000_000, language="en")
