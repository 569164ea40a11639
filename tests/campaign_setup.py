"""Campaigns made through the API for tests: an audience committed in the database, a campaign created and its audience built, and the messages it queued."""

from __future__ import annotations

import uuid
from sqlmodel import select
from support import auth
from shared.campaigns.audience import run_build_audience
from shared.db import session_scope
from shared.jobs.runner import run_job
from shared.models import (
    Channel,
    Company,
    Consent,
    Contact,
    EmailMessage,
    MailingList,
    Purpose,
    Subscription,
)
from shared.models.campaigns import CampaignRecipient


TEMPLATES = {"fi": {"subject": "Hei {first_name}", "body_text": "Uutta meiltä, {full_name}."},
             "en": {"subject": "Hello {first_name}", "body_text": "News from us, {full_name}."}}


def make_audience(n: int = 3, **contact_fields) -> tuple[int, list[int]]:
    """A committed list with n consenting subscribers at a company: (list id, contact ids)."""
    with session_scope() as s:
        mailing_list = MailingList(name=f"Uutiskirje {uuid.uuid4().hex[:8]}")
        company = Company(name=f"Asiakas {uuid.uuid4().hex[:6]} Oy", legal_basis="customer_relationship",
                          purposes=["sales_marketing"], source="data_subject")
        s.add_all([mailing_list, company])
        s.flush()
        ids = []
        for i in range(n):
            tag = uuid.uuid4().hex[:8]
            contact = Contact(first_name=f"Henkilö{i}", last_name=f"Suku{tag}", email=f"h{i}.{tag}@example.fi",
                              company_id=company.id, legal_basis="customer_relationship",
                              purposes=["sales_marketing"], source="data_subject", **contact_fields)
            s.add(contact)
            s.flush()
            s.add(Subscription(list_id=mailing_list.id, contact_id=contact.id, source="data_subject"))
            s.add(Consent(contact_id=contact.id, purpose=Purpose.sales_marketing, channel=Channel.web, evidence="form"))
            ids.append(contact.id)
        return mailing_list.id, ids


def campaign_body(list_ids: list[int], **fields) -> dict:
    return {"name": f"Kampanja {uuid.uuid4().hex[:6]}", "category": "marketing", "list_ids": list_ids,
            "sender_name": "Jetmasters Oy", "sender_email": "markkinointi@jetmasters.example",
            "sender_postal_address": "Pakkastie 5, 87100 Kajaani", "templates": TEMPLATES, **fields}


def create_campaign(api, token: str, list_ids: list[int], **fields) -> dict:
    response = api.post("/v1/campaigns", json=campaign_body(list_ids, **fields), headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()


def run_build(campaign: dict) -> str:
    return run_job(campaign["build_job_id"], run_build_audience)


def campaign_messages(campaign_id: int) -> list[EmailMessage]:
    with session_scope() as s:
        return list(s.exec(select(EmailMessage).join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
                           .where(CampaignRecipient.campaign_id == campaign_id)).all())
