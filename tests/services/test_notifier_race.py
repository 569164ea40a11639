"""The race between a campaign and objections, with a real notifier process, real PostgreSQL and
a real SMTP server (aiosmtpd): no marketing message whose SMTP transaction (MAIL FROM) started
after an objection took the contact row goes out. Also here: the batch check asks exactly the
rules of shared.campaigns.eligibility, transactional mail is never held by the lock, and what
goes on the wire (the fast message bytes, DKIM over the final bytes).

REKISTERI_RACE_RECIPIENTS sets the campaign's size (default 1,500; the issue's run: 10,000).
"""

from __future__ import annotations

import base64
import email
import email.policy
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlmodel import Session, select

from services.notifier.compose import DkimSigner, build_message, fast_bytes, message_bytes
from shared.campaigns.audience import build_audience
from shared.campaigns.eligibility import check_marketing
from shared.campaigns.unsubscribe import Choice, sign_token, unsubscribe
from shared.db import get_engine, session_scope
from shared.embedded.ports import free_port
from shared.models import (
    Channel,
    Company,
    Consent,
    Contact,
    EmailCategory,
    EmailMessage,
    EmailStatus,
    MailingList,
    Purpose,
    Subscription,
    SubscriptionStatus,
    utcnow,
)
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.outbox.eligibility import bulk_ref, check_batch
from shared.outbox.service import ClaimedEmail, enqueue_email
from shared.register.suppression import suppress
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
        wait_until(lambda: unfinished(campaign_id) == 0, timeout=120, message="campaign done")
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


def test_transactional_mail_is_never_held_by_the_contact_lock(services_env, empty_outbox, smtp_server, monkeypatch):
    """A contact row held by someone else (a long objection transaction, say) holds back that
    contact's campaign batch, never mail about the person's own request."""
    from test_notifier import RunningNotifier, notifier_settings

    handler, port = smtp_server
    monkeypatch.setenv("REKISTERI_NOTIFIER_LOCK_SECONDS", "1")
    list_id, [(contact_id, address)] = bulk_audience(1)
    campaign_id = start_campaign(list_id)
    blocker = Session(get_engine())
    blocker.exec(select(Contact).where(Contact.id == contact_id).with_for_update()).one()
    with session_scope() as s:
        enqueue_email(s, to_address=address, from_address="rekisteri@jetmasters.example", subject="Vahvista",
                      body_text="Vahvista pyyntösi.")
    notifier = RunningNotifier(notifier_settings(port, notifier_concurrency=2))
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


# --- the batch check asks check_marketing's rules ------------------------------------------------

def _contact(s: Session, mailing_list: MailingList, *, company: Company | None, consent: bool = True,
             subscribed: bool = True, local: str | None = None, **fields) -> Contact:
    tag = uuid.uuid4().hex[:8]
    contact = Contact(first_name="Testi", last_name=f"Suku{tag}", email=f"{local or 'matti.' + tag}@example.fi",
                      company_id=company.id if company else None, legal_basis="customer_relationship",
                      purposes=["sales_marketing"], source="data_subject", **fields)
    s.add(contact)
    s.flush()
    s.add(Subscription(list_id=mailing_list.id, contact_id=contact.id, source="data_subject",
                       status=SubscriptionStatus.subscribed if subscribed else SubscriptionStatus.unsubscribed))
    if consent:
        s.add(Consent(contact_id=contact.id, purpose=Purpose.sales_marketing, channel=Channel.web, evidence="form"))
    s.flush()
    return contact


@pytest.mark.parametrize("category", [EmailCategory.marketing, EmailCategory.research])
@pytest.mark.parametrize("relevant", [False, True])
def test_the_batch_check_asks_exactly_the_campaign_rules(session, category, relevant):
    mailing_list = MailingList(name=f"Lista {uuid.uuid4().hex[:8]}")
    company = Company(name=f"Yritys {uuid.uuid4().hex[:6]} Oy", legal_basis="customer_relationship",
                      purposes=["sales_marketing"], source="data_subject")
    session.add_all([mailing_list, company])
    session.flush()
    now = utcnow()
    people = [
        _contact(session, mailing_list, company=company),
        _contact(session, mailing_list, company=company, objects_direct_marketing_at=now),
        _contact(session, mailing_list, company=company, objects_research_at=now),
        _contact(session, mailing_list, company=company, restricted_at=now),
        _contact(session, mailing_list, company=company, consent=False),
        _contact(session, mailing_list, company=None, consent=False),
        _contact(session, mailing_list, company=company, consent=False, local=f"info{uuid.uuid4().hex[:4]}"),
        _contact(session, mailing_list, company=company, consent=False, local="info"),
        _contact(session, mailing_list, company=company),  # suppressed below
        _contact(session, mailing_list, company=company),  # leaves the list below
        _contact(session, mailing_list, company=company),  # changes address below
        _contact(session, mailing_list, company=company),  # deleted below
    ]
    campaign = Campaign(name="Vertailu", category=category, status=CampaignStatus.sending, list_ids=[mailing_list.id],
                        sender_name="Jetmasters Oy", sender_email="m@jetmasters.example",
                        sender_postal_address="Pakkastie 5", templates=TEMPLATES, relevant_to_role=relevant,
                        relevance_justification="työhön liittyvä" if relevant else None)
    session.add(campaign)
    session.flush()
    build_audience(session, campaign_id=campaign.id)
    suppress(session, email=people[8].email, reason="complained")
    session.exec(select(Subscription).where(Subscription.contact_id == people[9].id)).one().status = \
        SubscriptionStatus.unsubscribed
    people[10].email = f"uusi.{uuid.uuid4().hex[:6]}@example.fi"
    session.delete(people[11])
    session.flush()
    messages = list(session.exec(select(EmailMessage).join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
                                 .where(CampaignRecipient.campaign_id == campaign.id)).all())
    stray = enqueue_email(session, to_address="x@example.fi", from_address="m@jetmasters.example", subject="s",
                          body_text="b", category=category, contact_id=people[0].id)
    nobody = enqueue_email(session, to_address="y@example.fi", from_address="m@jetmasters.example", subject="s",
                           body_text="b", category=category)
    messages += [stray, nobody]
    refs = [bulk_ref(id=m.id, contact_id=m.contact_id, category=m.category.value, to_address=m.to_address)
            for m in messages]
    expected = {m.id: reason for m in messages if (reason := check_marketing(session, m)) is not None}
    assert len(set(expected.values())) >= 7
    assert check_batch(session, refs) == expected
    assert check_batch(session, refs, lock=True) == expected
    campaign.status = CampaignStatus.cancelled
    session.flush()
    assert check_batch(session, refs) == {m.id: r for m in messages if (r := check_marketing(session, m))}


# --- on the wire -------------------------------------------------------------------------------

def _claimed(**fields) -> ClaimedEmail:
    values = dict(id=uuid.uuid4(), to_address="maija.meikalainen@example.fi",
                  from_address="Jetmasters Oy <markkinointi@jetmasters.example>", subject="Hei Maija",
                  body_text="Hei!\n.piste rivin alussa\n" + "pitkä rivi " * 120, body_html="<p>Hei <b>Maija</b></p>",
                  headers={"List-Unsubscribe": "<https://rekisteri.jetmasters.example/public/unsubscribe/"
                                               + "1" * 60 + ">",
                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Precedence": "bulk"},
                  message_id=f"<{uuid.uuid4().hex}@jetmasters.example>", request_id=None, attempt=1)
    return ClaimedEmail(**{**values, **fields})


@pytest.mark.parametrize("fields", [
    {},
    {"body_html": None},
    {"subject": "Syksyn uutiset – ääkköset ja € " * 4, "from_address": "Jetmästers Öy <markkinointi@jetmasters.example>"},
    {"body_text": "ascii only\n" * 10, "body_html": None, "subject": "x" * 300},
    {"headers": {"Reply-To": "Myynti Äyräs <myynti@jetmasters.example>", "X-Note": "ääkkönen"}},
])
def test_the_fast_bytes_read_as_the_email_library_writes_them(fields):
    claimed = _claimed(**fields)
    fast = email.message_from_bytes(fast_bytes(claimed), policy=email.policy.default)
    slow = email.message_from_bytes(bytes(build_message(claimed)), policy=email.policy.default)
    for name in ("From", "To", "Subject", "Message-ID", *claimed.headers):
        assert str(fast[name]) == str(slow[name]), name
    for kind in ("plain", "html"):
        part, expected = fast.get_body((kind,)), slow.get_body((kind,))
        assert (part and part.get_content().replace("\r\n", "\n")) == (expected and expected.get_content())
    raw = fast_bytes(claimed)
    assert b"\n" not in raw.replace(b"\r\n", b"") and all(len(line) <= 998 for line in raw.split(b"\r\n"))


def _der_int(value: int) -> bytes:
    body = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return b"\x02" + _der_len(len(body)) + body


def _der_len(n: int) -> bytes:
    if n < 128:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _der_seq(*items: bytes) -> bytes:
    body = b"".join(items)
    return b"\x30" + _der_len(len(body)) + body


def _prime(bits: int, rng: random.Random) -> int:
    def probable(n: int) -> bool:
        d, r = n - 1, 0
        while d % 2 == 0:
            d, r = d // 2, r + 1
        for _ in range(24):
            x = pow(rng.randrange(2, n - 2), d, n)
            if x in (1, n - 1):
                continue
            for _ in range(r - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                return False
        return True

    while True:
        candidate = rng.getrandbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if all(candidate % p for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)) and probable(candidate):
            return candidate


def rsa_key(bits: int = 1024) -> tuple[bytes, bytes]:
    """A throwaway RSA key: (PKCS#1 private key in PEM, the DNS record's p= value)."""
    rng, e = random.Random(20261125), 65537
    while True:
        p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e:
            break
    n, d = p * q, pow(e, -1, (p - 1) * (q - 1))
    der = _der_seq(*(_der_int(v) for v in (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))))
    lines = [base64.b64encode(der)[i:i + 64] for i in range(0, len(base64.b64encode(der)), 64)]
    pem = b"-----BEGIN RSA PRIVATE KEY-----\n" + b"\n".join(lines) + b"\n-----END RSA PRIVATE KEY-----\n"
    return pem, base64.b64encode(_der_seq(_der_int(n), _der_int(e)))


@pytest.fixture(scope="module")
def dkim_key(tmp_path_factory) -> tuple[str, bytes]:
    pem, public = rsa_key()
    path = tmp_path_factory.mktemp("dkim") / "rekisteri.pem"
    path.write_bytes(pem)
    return str(path), public


def _dns(public: bytes):
    def dnsfunc(name: bytes, timeout: int = 5) -> bytes | None:
        return b"v=DKIM1; k=rsa; p=" + public if name == b"rk2026._domainkey.jetmasters.example." else None
    return dnsfunc


def test_dkim_signs_the_final_bytes_with_the_opt_out_headers(dkim_key, monkeypatch):
    import dkim

    path, public = dkim_key
    for name, value in {"DKIM_SELECTOR": "rk2026", "DKIM_DOMAIN": "jetmasters.example",
                        "DKIM_PRIVATE_KEY_PATH": path}.items():
        monkeypatch.setenv(f"REKISTERI_{name}", value)
    from shared.settings import get_settings

    signer = DkimSigner.from_settings(get_settings())
    assert signer is not None
    data = message_bytes(_claimed(subject="Syksyn uutiset – ääkköset"), signer=signer)
    assert data.startswith(b"DKIM-Signature:") and dkim.verify(data, dnsfunc=_dns(public))
    signature = email.message_from_bytes(data, policy=email.policy.default)["DKIM-Signature"]
    signed = {h.strip().lower() for h in signature.split("h=")[1].split(";")[0].replace("\r\n", "").split(":")}
    assert {"from", "to", "subject", "message-id", "list-unsubscribe", "list-unsubscribe-post"} <= signed
    forged = data.replace(b"/public/unsubscribe/1111", b"/public/unsubscribe/2222")
    assert not dkim.verify(forged, dnsfunc=_dns(public)), "a changed opt-out link breaks the signature"


def test_the_notifier_sends_dkim_signed_mail_that_verifies(services_env, empty_outbox, smtp_server, dkim_key,
                                                          monkeypatch):
    import dkim
    from test_notifier import RunningNotifier, notifier_settings

    path, public = dkim_key
    monkeypatch.setenv("REKISTERI_DKIM_SELECTOR", "rk2026")
    monkeypatch.setenv("REKISTERI_DKIM_DOMAIN", "jetmasters.example")
    monkeypatch.setenv("REKISTERI_DKIM_PRIVATE_KEY_PATH", path)
    handler, port = smtp_server
    list_id, _ = bulk_audience(3)
    start_campaign(list_id)
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: len(handler.accepted) == 3, timeout=20, message="the campaign")
    finally:
        notifier.stop()
    for _, _, content in handler.accepted:
        assert b"List-Unsubscribe:" in content and dkim.verify(content, dnsfunc=_dns(public))


def test_every_attempt_answer_is_logged_per_recipient(services_env, empty_outbox, smtp_server):
    """The per-recipient log: who received the campaign, when, with what SMTP answer."""
    from shared.campaigns.service import get_campaign, recipient_log
    from shared.outbox.service import attempt_log
    from test_notifier import RunningNotifier, notifier_settings

    handler, port = smtp_server
    list_id, people = bulk_audience(3)
    refused = people[0][1]
    handler.refuse = {refused}
    campaign_id = start_campaign(list_id)
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: unfinished(campaign_id) == 0, timeout=20, message="the campaign")
    finally:
        notifier.stop()
    with session_scope() as s:
        entries = recipient_log(s, campaign=get_campaign(s, campaign_id=campaign_id))
        by_address = {m.to_address: m for m in outbox_rows(campaign_id)}
        log = {a: attempt_log(s, email_id=m.id) for a, m in by_address.items()}
    assert sorted(e["smtp_reply"] for e in entries) == ["250 2.0.0 Ok: queued"] * 2 + ["550 5.1.1 no such user"]
    assert [a["outcome"] for a in log[refused]] == ["bounced"] and by_address[refused].status == EmailStatus.failed
    for address in {a for _, a in people} - {refused}:
        [attempt] = log[address]
        assert attempt["outcome"] == "sent" and attempt["smtp_reply"].startswith("250")
        assert attempt["smtp_server"] == f"127.0.0.1:{port}" and attempt["started_at"] <= attempt["finished_at"]
    assert datetime.now(UTC) > by_address[people[1][1]].sent_at
