"""A campaign's outbox rows against an erasure that commits while the audience is being built
(the fault suite found the erased person's address left in `email_outbox`), and campaigns that
complete by themselves once nothing is left to send. Real PostgreSQL, separate sessions."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import text
from sqlmodel import Session

import factories
from shared.campaigns import audience as audience_module
from shared.campaigns.audience import build_audience
from shared.campaigns.service import complete_finished
from shared.models import EmailStatus
from shared.models.campaigns import Campaign, CampaignStatus
from shared.subject_requests.erasure import erase_person


def _committed_register(engine, people: int, *, built: bool = False) -> tuple[int, list[int], list[str]]:
    """A committed list of `people` subscribers and a sending campaign on it (its audience built)."""
    with Session(engine, expire_on_commit=False) as s:
        mailing_list = factories.mailing_list(s)
        contacts = [factories.subscriber(s, lists=(mailing_list,)) for _ in range(people)]
        campaign = factories.campaign(s, [mailing_list])
        s.commit()
        if built:
            build_audience(s, campaign_id=campaign.id)
            s.commit()
        return campaign.id, [c.id for c in contacts], [c.email for c in contacts]


def _outbox_rows(engine, *, campaign_id: int, contact_id: int, email: str) -> tuple[int, int]:
    with engine.connect() as conn:
        recipients = conn.execute(text("SELECT count(*) FROM campaign_recipients WHERE campaign_id = :c "
                                       "AND contact_id = :p"), {"c": campaign_id, "p": contact_id}).scalar()
        mail = conn.execute(text("SELECT count(*) FROM email_outbox WHERE lower(to_address) = lower(:e)"),
                            {"e": email}).scalar()
    return recipients, mail


def test_an_erasure_committing_during_the_build_leaves_no_outbox_row(engine, monkeypatch):
    monkeypatch.setattr(audience_module, "CHUNK", 2)  # several chunks, the erasure lands between two
    campaign_id, ids, emails = _committed_register(engine, 5)
    victim, victim_email = ids[0], emails[0]  # in the first chunk, written before the erasure
    erased = threading.Event()
    errors: list[BaseException] = []

    def erase() -> None:
        try:
            with Session(engine) as s:
                erase_person(s, contact_id=victim, email=victim_email, request_id=uuid.uuid4())
                s.commit()
            erased.set()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    def progress(_percent: int) -> None:
        if not erased.is_set() and not errors:  # the first chunk is written, not yet committed
            eraser = threading.Thread(target=erase)
            eraser.start()
            eraser.join(30)

    with Session(engine) as s:
        result = build_audience(s, campaign_id=campaign_id, progress=progress)
        s.commit()
    assert not errors and erased.is_set(), errors
    assert result["recipients"] == 4, "the erased person is not counted as a recipient"
    assert _outbox_rows(engine, campaign_id=campaign_id, contact_id=victim, email=victim_email) == (0, 0)
    assert _outbox_rows(engine, campaign_id=campaign_id, contact_id=ids[-1], email=emails[-1]) == (1, 1)


def test_an_erasure_after_the_build_still_removes_the_row(engine):
    campaign_id, ids, emails = _committed_register(engine, 2, built=True)
    with Session(engine) as s:
        erase_person(s, contact_id=ids[0], email=emails[0], request_id=uuid.uuid4())
        s.commit()
    assert _outbox_rows(engine, campaign_id=campaign_id, contact_id=ids[0], email=emails[0]) == (0, 0)


def test_a_campaign_with_nothing_left_to_send_completes_on_schedule(engine):
    campaign_id, ids, _ = _committed_register(engine, 2, built=True)
    with Session(engine) as s:
        complete_finished(s)  # other tests' campaigns may complete here; this one may not
        s.commit()
        assert s.get(Campaign, campaign_id).status == CampaignStatus.sending, "two messages still pending"
    with engine.begin() as conn:
        conn.execute(text("UPDATE email_outbox SET status = :sent WHERE contact_id = ANY(:ids)"),
                     {"sent": EmailStatus.sent.name, "ids": ids})
    with Session(engine) as s:
        assert complete_finished(s) >= 1
        s.commit()
    with Session(engine) as s:
        campaign = s.get(Campaign, campaign_id)
        assert campaign.status == CampaignStatus.completed and campaign.completed_at is not None
