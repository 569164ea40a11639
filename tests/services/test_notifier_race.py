"""The race between a campaign and objections, with a real notifier process, real PostgreSQL and
a real SMTP server (aiosmtpd): no marketing message whose SMTP transaction (MAIL FROM) started
after an objection took the contact row goes out, and transactional mail is never held by that
lock. The helpers here (a recording SMTP handler, bulk audiences, a started campaign) serve the
other campaign tests too (tests/faults/test_campaign_faults.py, test_notifier_compose.py,
test_outbox_review.py).

REKISTERI_RACE_RECIPIENTS sets the campaign's size (default 1,500; the issue's run: 10,000).
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlmodel import Session, select

from shared.campaigns.audience import build_audience
from shared.campaigns.unsubscribe import Choice, sign_token, unsubscribe
from shared.db import get_engine, session_scope
from shared.embedded.ports import free_port
from shared.models import Company, Contact, EmailCategory, EmailMessage, EmailStatus, MailingList
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.outbox.service import enqueue_email
from support import Services, wait_until

TEMPLATES = {"fi": {"subject": "Hei {first_name}", "body_text": "Uutta meiltä, {full_name}.",
                    "body_html": "<p>Uutta meiltä, <b>{full_name}</b>.</p>"}}


class Recorder:
    """An SMTP server's handler that notes, for every accepted message, when its MAIL FROM
    arrived; DATA may be slowed down, and chosen recipients refused."""

    def __init__(self, *, data_delay: float = 0.0, refuse: set[str] | None = None, reply: str = "550 5.1.1 no such user"):
        self.data_delay, self.refuse, self.reply = data_delay, refuse or set(), reply
        self.lock = threading.Lock()
        self.accepted: list[tuple[float, str, bytes]] = []  # (MAIL FROM time, recipient, content)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        envelope.mail_from, envelope.mail_time = address, time.time()
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_delay:
            import asyncio

            await asyncio.sleep(self.data_delay)
        with self.lock:
            self.accepted.append((envelope.mail_time, envelope.rcpt_tos[0], envelope.original_content))
        return "250 2.0.0 Ok: queued"

    def received(self) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        with self.lock:
            for mail_time, rcpt, _ in self.accepted:
                out.setdefault(rcpt, []).append(mail_time)
        return out


@pytest.fixture
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    handler, port = Recorder(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def empty_outbox(engine):
    with Session(engine) as s:
        s.exec(text("DELETE FROM email_outbox"))
        s.commit()


def bulk_audience(n: int, *, consent: bool = True) -> tuple[int, list[tuple[int, str]]]:
    """A committed list with n subscribers at one company: (list id, [(contact id, email)])."""
    tag = uuid.uuid4().hex[:8]
    with session_scope() as s:
        mailing_list = MailingList(name=f"Lista {tag}")
        company = Company(name=f"Asiakas {tag} Oy", legal_basis="customer_relationship",
                          purposes=["sales_marketing"], source="data_subject")
        s.add_all([mailing_list, company])
        s.flush()
        conn = s.connection()
        rows = conn.execute(text("""
            INSERT INTO contacts (company_id, first_name, last_name, email, language, legal_basis, purposes, source,
                                  version, created_at, updated_at)
            SELECT :company, 'Henkilö' || g, 'Suku', 'h' || g || '.' || :tag || '@example.fi', 'fi',
                   'customer_relationship', ARRAY['sales_marketing'], 'data_subject', 1, now(), now()
            FROM generate_series(1, :n) g RETURNING id, email"""), {"company": company.id, "tag": tag, "n": n}).all()
        conn.execute(text("""
            INSERT INTO subscriptions (list_id, contact_id, status, source, subscribed_at, version, updated_at)
            SELECT :list, id, 'subscribed', 'data_subject', now(), 1, now() FROM unnest(CAST(:ids AS integer[])) id"""),
            {"list": mailing_list.id, "ids": [r.id for r in rows]})
        if consent:
            conn.execute(text("""
                INSERT INTO consents (contact_id, purpose, granted_at, channel, evidence)
                SELECT id, 'sales_marketing', now(), 'web', 'form' FROM unnest(CAST(:ids AS integer[])) id"""),
                {"ids": [r.id for r in rows]})
        return mailing_list.id, sorted((r.id, r.email) for r in rows)


def start_campaign(list_id: int, **fields) -> int:
    """A sending campaign with its audience built (committed)."""
    with session_scope() as s:
        campaign = Campaign(name=f"Kampanja {uuid.uuid4().hex[:6]}", category=EmailCategory.marketing,
                            status=CampaignStatus.sending, list_ids=[list_id], sender_name="Jetmasters Oy",
                            sender_email="markkinointi@jetmasters.example",
                            sender_postal_address="Pakkastie 5, 87100 Kajaani", templates=TEMPLATES, **fields)
        s.add(campaign)
        s.flush()
        campaign_id = campaign.id
    with session_scope() as s:
        build_audience(s, campaign_id=campaign_id)
    return campaign_id


def outbox_rows(campaign_id: int) -> list[EmailMessage]:
    with session_scope() as s:
        return list(s.exec(select(EmailMessage).join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
                           .where(CampaignRecipient.campaign_id == campaign_id)).all())


def unfinished(campaign_id: int) -> int:
    return sum(1 for m in outbox_rows(campaign_id) if m.status in (EmailStatus.pending, EmailStatus.sending))


def notifier_env(services_env: dict, port: int, **settings: str) -> dict[str, str]:
    env = {**services_env, "REKISTERI_SMTP_HOST": "127.0.0.1", "REKISTERI_SMTP_PORT": str(port),
           "REKISTERI_NOTIFIER_POLL_SECONDS": "0.1", "REKISTERI_NOTIFIER_BACKOFF_SECONDS": "0.2",
           "REKISTERI_NOTIFIER_CONCURRENCY": "4", "REKISTERI_NOTIFIER_BATCH_SIZE": "50",
           "REKISTERI_LOG_LEVEL": "INFO"}
    env.update({f"REKISTERI_{k.upper()}": v for k, v in settings.items()})
    return env


# --- the race ------------------------------------------------------------------------------------

def test_objections_during_a_campaign_win_the_race(services_env, empty_outbox, tmp_path):
    n = int(os.environ.get("REKISTERI_RACE_RECIPIENTS", "1500"))
    handler, port = Recorder(data_delay=0.008), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    list_id, people = bulk_audience(n)
    campaign_id = start_campaign(list_id)
    services = Services(notifier_env(services_env, port), tmp_path)
    objectors = random.Random(11).sample(people, max(20, n // 10))
    held: dict[str, float] = {}  # address -> when the objection held the contact row (before its commit)
    waited: list[float] = []
    engine = get_engine()

    def object_(contact_id: int, address: str) -> None:
        asked = time.time()
        with Session(engine) as s:
            unsubscribe(s, token=sign_token(campaign_id=campaign_id, contact_id=contact_id, list_id=list_id),
                        choice=Choice.one_click)
            held[address] = time.time()
            waited.append(held[address] - asked)
            s.commit()

    def objecting(share: list[tuple[int, str]], span: float) -> None:
        rng = random.Random(share[0][0])
        for contact_id, address in share:
            time.sleep(rng.uniform(0, 2 * span / len(share)))
            object_(contact_id, address)

    services.start("notifier")
    try:
        wait_until(lambda: handler.accepted, timeout=30, message="the campaign under way")
        span = n / 4 / 120  # most of the campaign's expected duration
        threads = [threading.Thread(target=objecting, args=(objectors[i::4], span)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wait_until(lambda: unfinished(campaign_id) == 0, timeout=max(120, n / 20), message="campaign done")
    finally:
        services.stop_all()
        controller.stop()

    received = handler.received()
    late = {a: [t for t in received.get(a, []) if t > held[a]] for a in held}
    assert not any(late.values()), f"MAIL FROM after the objection held the row: {late}"
    rows = {m.to_address: m for m in outbox_rows(campaign_id)}
    sent_before = [a for a in held if rows[a].status == EmailStatus.sent]
    skipped = [a for a in held if rows[a].status == EmailStatus.skipped]
    assert {rows[a].skip_reason for a in skipped} <= {"objected_direct_marketing", "suppressed"}
    print(f"\nrace: {n} recipients, {len(held)} objections: {len(sent_before)} after their message, {len(skipped)} skipped; longest objection wait {max(waited):.3f}s")
    assert sent_before and skipped, "objections landed both before and after their message (the race was run)"
    with session_scope() as s:  # the notifier's own record: MAIL FROM answered before the objection took the row
        started = dict(s.exec(text("""SELECT m.to_address, a.started_at FROM email_attempts a
                                      JOIN email_outbox m ON m.id = a.email_id
                                      WHERE a.outcome = 'sent' AND m.to_address = ANY(:a)"""),
                              params={"a": sent_before}).all())
    assert all(started[a].timestamp() < held[a] for a in sent_before)
    assert max(waited) < 8, "an objection waits at most for one batch's MAIL FROMs (the lock window)"
    everyone = {a for _, a in people}
    assert all(len(received.get(a, [])) == 1 for a in everyone - set(held)), "everyone else exactly once"
    assert all(len(received.get(a, [])) <= 1 for a in held)


def test_transactional_mail_is_never_held_by_the_contact_lock(services_env, empty_outbox, smtp_server):
    """A contact row held by someone else (a long objection transaction, say) holds back that
    contact's campaign batch, never mail about the person's own request."""
    from test_notifier import RunningNotifier, notifier_settings

    handler, port = smtp_server
    list_id, [(contact_id, address)] = bulk_audience(1)
    campaign_id = start_campaign(list_id)
    blocker = Session(get_engine())
    blocker.exec(select(Contact).where(Contact.id == contact_id).with_for_update()).one()
    with session_scope() as s:
        enqueue_email(s, to_address=address, from_address="rekisteri@jetmasters.example", subject="Vahvista",
                      body_text="Vahvista pyyntösi.")
    notifier = RunningNotifier(notifier_settings(port, notifier_concurrency=2, notifier_lock_seconds=1))
    try:
        started = time.monotonic()
        wait_until(lambda: len(handler.accepted) == 1, timeout=5, message="the transactional message")
        assert time.monotonic() - started < 2
        time.sleep(1.5)  # the campaign's batch tried to lock the contact and gave up (window 1 s)
        assert len(handler.accepted) == 1 and outbox_rows(campaign_id)[0].status == EmailStatus.pending
        blocker.rollback()
        wait_until(lambda: len(handler.accepted) == 2, timeout=15, message="the campaign message after the lock")
    finally:
        blocker.close()
        notifier.stop()
    assert outbox_rows(campaign_id)[0].status == EmailStatus.sent
