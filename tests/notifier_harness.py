"""Running the notifier in-process against a real SMTP server (aiosmtpd) for tests: the server, the notifier's thread, its settings, an emptied outbox and a committed bulk audience with its campaign."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session
from services.notifier.main import run
from shared.db import session_scope
from shared.embedded.ports import free_port
from shared.models import EmailCategory, EmailMessage, EmailStatus
from shared.settings import Settings, get_settings
from support import wait_until
import time
import uuid
from sqlalchemy import text
from sqlmodel import select
from shared.campaigns.audience import build_audience
from shared.models import Company, MailingList
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus


class ScriptedHandler:
    """Answers DATA from a script of SMTP replies, then accepts; counts connections."""

    def __init__(self, replies: list[str] | None = None):
        self.replies = list(replies or [])
        self.accepted: list[bytes] = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.replies:
            return self.replies.pop(0)
        self.accepted.append(envelope.original_content or envelope.content)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[ScriptedHandler, int]]:
    handler, port = ScriptedHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


class RunningNotifier:
    def __init__(self, settings: Settings):
        self.loop = asyncio.new_event_loop()
        self.stop_event: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._main, args=(settings,), daemon=True)
        self.thread.start()

    def _main(self, settings: Settings) -> None:
        asyncio.set_event_loop(self.loop)

        async def go():
            self.stop_event = asyncio.Event()
            await run(settings, self.stop_event)

        self.loop.run_until_complete(go())

    def stop(self) -> None:
        wait_until(lambda: self.stop_event is not None)
        self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(10)


def notifier_settings(port: int, **overrides) -> Settings:
    base = get_settings().model_dump()
    base.update(smtp_host="127.0.0.1", smtp_port=port, notifier_poll_seconds=0.05,
                notifier_backoff_seconds=0.05, notifier_concurrency=3)
    base.update(overrides)
    return Settings(_env_file=None, **base)


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
