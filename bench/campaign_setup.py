"""The data of the campaign benchmark (bench/campaign_send.py): contacts subscribed to one list
with objectors, restricted and suppressed people among them, the campaign and its audience, and
the pre-rendered messages of the plain aiosmtplib loop it is compared with."""

from __future__ import annotations

import asyncio
import time

import psycopg

from bench.register_data import fill

TEMPLATE_HTML = ("<h1>Syksyn uutiset, {first_name}</h1>\n"
                 + "<p>Jetmastersin huoltopalvelu laajenee: uudet huoltoasemat Kajaanissa ja Oulussa palvelevat "
                   "arkisin 7–19. Varaa aika verkossa ja saat <b>15 % alennuksen</b> syyskuun loppuun.</p>\n" * 18)
TEMPLATE_TEXT = ("Hei {first_name},\n\n"
                 + "Jetmastersin huoltopalvelu laajenee: uudet huoltoasemat Kajaanissa ja Oulussa palvelevat "
                   "arkisin 7–19. Varaa aika verkossa ja saat 15 % alennuksen syyskuun loppuun.\n" * 8)


def prepare(url: str, n: int) -> dict:
    """Contacts subscribed to one list (consent for most), objectors, restricted, suppressed."""
    from shared.common.suppression import email_hash

    fill(url, companies=max(1, n // 20), contacts=n)
    with psycopg.connect(url, autocommit=True) as conn:
        list_id = conn.execute("INSERT INTO mailing_lists (name, owner, version, created_at, updated_at) "
                               "VALUES ('Uutiskirje', 'Jetmasters Oy', 1, now(), now()) RETURNING id").fetchone()[0]
        conn.execute("""INSERT INTO subscriptions (list_id, contact_id, status, source, subscribed_at, version,
                                                   updated_at)
                        SELECT %s, id, 'subscribed', 'data_subject', now(), 1, now() FROM contacts""", (list_id,))
        conn.execute("""INSERT INTO consents (contact_id, purpose, granted_at, channel, evidence)
                        SELECT id, 'sales_marketing', now(), 'web', 'bench form' FROM contacts WHERE id % 10 <> 3""")
        conn.execute("UPDATE contacts SET objects_direct_marketing_at = now() WHERE id % 20 = 7")
        conn.execute("UPDATE contacts SET restricted_at = now(), restriction_reason = 'bench' WHERE id % 100 = 11")
        suppressed = conn.execute("SELECT email FROM contacts WHERE id % 33 = 5").fetchall()
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO suppressions (email_hash, reason, created_at) VALUES (%s, 'unsubscribed', now())",
                            [(email_hash(e),) for (e,) in suppressed])
        blocked = {e for (e,) in conn.execute(
            "SELECT email FROM contacts WHERE id % 20 = 7 OR id % 100 = 11 OR id % 33 = 5").fetchall()}
        conn.execute("ANALYZE")
    return {"list_id": list_id, "blocked": blocked}


def build_campaign(list_id: int) -> tuple[int, float]:
    from shared.campaigns.audience import build_audience
    from shared.db import session_scope
    from shared.models import EmailCategory
    from shared.models.campaigns import Campaign, CampaignStatus

    with session_scope() as s:
        campaign = Campaign(name="Syyskampanja", category=EmailCategory.marketing, status=CampaignStatus.paused,
                            list_ids=[list_id], sender_name="Jetmasters Oy",
                            sender_email="markkinointi@jetmasters.example",
                            sender_postal_address="Pakkastie 5, 87100 Kajaani", relevant_to_role=True,
                            relevance_justification="huoltopalvelut: ostajan ja huoltopäällikön työhön",
                            templates={"fi": {"subject": "Syksyn uutiset, {first_name}", "body_text": TEMPLATE_TEXT,
                                              "body_html": TEMPLATE_HTML}})
        s.add(campaign)
        s.flush()
        campaign_id = campaign.id
    t0 = time.perf_counter()
    with session_scope() as s:
        build_audience(s, campaign_id=campaign_id)
    return campaign_id, time.perf_counter() - t0


def resume(campaign_id: int) -> None:
    from shared.audit.service import Actor
    from shared.campaigns.service import get_campaign
    from shared.campaigns.service import resume as resume_campaign
    from shared.db import session_scope

    with session_scope() as s:
        resume_campaign(s, campaign=get_campaign(s, campaign_id=campaign_id, lock=True), actor=Actor(label="bench"))


# --- 1. the plain loop -------------------------------------------------------------------------

def plain_messages(url: str, limit: int) -> list[tuple[str, str, bytes]]:
    """The campaign's first `limit` messages, rendered as the notifier renders them (the outbox
    holds no body until a message is claimed) and turned into bytes, none of it timed."""
    from psycopg.rows import namedtuple_row

    from services.notifier.compose import message_bytes
    from shared.campaigns.messages import CAMPAIGNS_SQL, RENDER_FACTS_SQL, ClaimRenderer
    from shared.outbox.service import ClaimedEmail

    with psycopg.connect(url, row_factory=namedtuple_row) as conn:
        rows = conn.execute("""SELECT m.id, m.to_address, m.from_address, m.subject, m.message_id, m.category,
                                      r.campaign_id
                               FROM email_outbox m JOIN campaign_recipients r ON r.email_id = m.id
                               WHERE m.category = 'marketing' LIMIT %s""", (limit,)).fetchall()
        ids = [row.id for row in rows]
        facts = {f.email_id: f for f in conn.execute(RENDER_FACTS_SQL, {"ids": ids}).fetchall()}
        renderer = ClaimRenderer()
        renderer.add_campaigns(conn.execute(CAMPAIGNS_SQL, {"ids": sorted({r.campaign_id for r in rows})}).fetchall())
    out = []
    for row in rows:
        claimed = renderer.render(ClaimedEmail(
            id=row.id, to_address=f"plain-{row.to_address}", from_address=row.from_address, subject=row.subject,
            body_text="", body_html=None, headers={}, message_id=row.message_id, request_id=None, attempt=1,
            category=row.category, campaign_id=row.campaign_id), facts[row.id])
        out.append(("markkinointi@jetmasters.example", claimed.to_address, message_bytes(claimed)))
    return out


def plain_loop(port: int, messages: list[tuple[str, str, bytes]], concurrency: int) -> float:
    import aiosmtplib

    async def go() -> float:
        queue = list(reversed(messages))

        async def worker() -> None:
            client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
            await client.connect()
            while queue:
                sender, to, data = queue.pop()
                await client.sendmail(sender, [to], data)
            await client.quit()

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return len(messages) / (time.perf_counter() - t0)

    try:
        import uvloop  # the notifier's own event loop, for a fair comparison
        return uvloop.run(go())
    except ImportError:
        return asyncio.run(go())
