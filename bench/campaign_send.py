"""A 100,000-recipient campaign through the real notifier process to a local aiosmtpd sink.

    python -m bench.campaign_send [--recipients 100000 --concurrency 100 --batch 500 --plain 30000]

Starts a throwaway embedded PostgreSQL, fills contacts (bench/register_data.py) subscribed to one
list, with a share of objectors (5 %), restricted (1 %) and suppressed addresses (3 %), builds the
campaign's audience (paused), and starts a sink (aiosmtpd in its own process; it logs the time of
each MAIL FROM and each accepted message).

1. plain: a plain aiosmtplib loop (`--concurrency` connections, the notifier's event loop) sends
   `--plain` of the campaign's pre-rendered messages to the sink: the ceiling on this machine
   (measured again with 50 connections, the handbook's reference, and reported beside).
2. end to end: the notifier (`python -m services.notifier.main`, a real process) sends the campaign
   from the moment it is resumed: claim + check, share-lock + re-check, render the bytes, SMTP,
   hand-over marks, record. Meanwhile a transactional email is queued every 100 ms (its latency:
   commit -> accepted by the sink), and people object through the one-click opt-out at random
   moments (the time their objection holds the contact row is noted).

Checks: no message reached an objector, a restricted or suppressed address, and no message to a
live objector had its MAIL FROM after the objection took the row. Last line: the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from bench.register_data import fill

TEMPLATE_HTML = ("<h1>Syksyn uutiset, {first_name}</h1>\n"
                 + "<p>Jetmastersin huoltopalvelu laajenee: uudet huoltoasemat Kajaanissa ja Oulussa palvelevat "
                   "arkisin 7–19. Varaa aika verkossa ja saat <b>15 % alennuksen</b> syyskuun loppuun.</p>\n" * 18)
TEMPLATE_TEXT = ("Hei {first_name},\n\n"
                 + "Jetmastersin huoltopalvelu laajenee: uudet huoltoasemat Kajaanissa ja Oulussa palvelevat "
                   "arkisin 7–19. Varaa aika verkossa ja saat 15 % alennuksen syyskuun loppuun.\n" * 8)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))] if ordered else float("nan")


# --- the sink (its own process) ----------------------------------------------------------------

def run_sink(port: int, log_path: str) -> None:
    from aiosmtpd.controller import Controller

    out = open(log_path, "a", buffering=1)  # noqa: SIM115 (lives as long as the process)

    class Handler:
        async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
            envelope.mail_from = address
            envelope.mail_options.extend(mail_options)
            envelope.mail_time = time.time()
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            data = envelope.original_content or envelope.content
            at = data.find(b"Subject: bench-tx-")
            tag = data[at + 9:data.find(b"\r\n", at)].decode() if at >= 0 else "-"
            out.write(f"{envelope.mail_time:.6f} {time.time():.6f} {envelope.rcpt_tos[0]} {tag}\n")
            return "250 2.0.0 Ok: queued"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    print("sink ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    out.close()


def read_sink(log_path: Path) -> list[tuple[float, float, str, str]]:
    rows = []
    for line in log_path.read_text().splitlines():
        mail_t, end_t, rcpt, tag = line.split(" ")
        rows.append((float(mail_t), float(end_t), rcpt, tag))
    return rows


# --- data --------------------------------------------------------------------------------------

def prepare(url: str, n: int) -> dict:
    """Contacts subscribed to one list (consent for most), objectors, restricted, suppressed."""
    from shared.register.suppression import email_hash

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
    from services.notifier.compose import message_bytes
    from shared.outbox.service import ClaimedEmail

    with psycopg.connect(url) as conn:
        rows = conn.execute("""SELECT id, to_address, from_address, subject, body_text, body_html, headers, message_id
                               FROM email_outbox WHERE category = 'marketing' LIMIT %s""", (limit,)).fetchall()
    out = []
    for i, to, frm, subject, text, html, headers, mid in rows:
        claimed = ClaimedEmail(id=i, to_address=f"plain-{to}", from_address=frm, subject=subject, body_text=text,
                               body_html=html, headers=headers, message_id=mid, request_id=None, attempt=1)
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


# --- 2. end to end -------------------------------------------------------------------------------

class Transactional(threading.Thread):
    """A verification email every `every` seconds; notes when each committed."""

    def __init__(self, every: float):
        super().__init__(daemon=True)
        self.every, self.stop, self.committed = every, threading.Event(), {}

    def run(self) -> None:
        from sqlmodel import Session

        from shared.db import get_engine
        from shared.outbox.service import enqueue_email

        n = 0
        while not self.stop.wait(self.every):
            n += 1
            with Session(get_engine()) as s:
                enqueue_email(s, to_address=f"asiakas{n}@example.fi", from_address="rekisteri@jetmasters.example",
                              subject=f"bench-tx-{n}", body_text="Vahvista sähköpostiosoitteesi: https://x.example/v")
                t = time.time()
                s.commit()
            self.committed[f"bench-tx-{n}"] = t


class Objections(threading.Thread):
    """One-click opt-outs of random recipients at random moments; notes when each held the row."""

    def __init__(self, campaign_id: int, list_id: int, candidates: list[tuple[int, str]], count: int, span: float):
        super().__init__(daemon=True)
        self.campaign_id, self.list_id = campaign_id, list_id
        self.picked = random.Random(5).sample(candidates, min(count, len(candidates)))
        self.span, self.held, self.waited = span, {}, []

    def run(self) -> None:
        from sqlmodel import Session

        from shared.campaigns.unsubscribe import Choice, sign_token, unsubscribe
        from shared.db import get_engine

        rng = random.Random(6)
        for contact_id, address in self.picked:
            time.sleep(rng.uniform(0, 2 * self.span / len(self.picked)))
            with Session(get_engine()) as s:
                token = sign_token(campaign_id=self.campaign_id, contact_id=contact_id, list_id=self.list_id)
                asked = time.time()
                unsubscribe(s, token=token, choice=Choice.one_click)
                self.held[address] = time.time()  # the contact row is ours from here to the commit
                self.waited.append(self.held[address] - asked)
                s.commit()


def wait_campaign(url: str, campaign_id: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            left = conn.execute("""SELECT 1 FROM email_outbox WHERE status IN ('pending', 'sending')
                                   AND category <> 'transactional' LIMIT 1""").fetchone()  # the partial index
            if left is None:
                return
            time.sleep(0.5)
    raise SystemExit("the campaign did not finish in time")


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU of a process (and, for PostgreSQL, of its backends)."""
    tick = os.sysconf("SC_CLK_TCK")

    def one(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    total = one(pid)
    if children:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == pid:
                    total += one(int(entry.name))
    return total


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=100, help="SMTP connections (notifier and plain loop)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--plain", type=int, default=30_000, help="messages for the plain aiosmtplib loop")
    parser.add_argument("--objections", type=int, default=200, help="live one-click opt-outs during the run")
    parser.add_argument("--dkim", action="store_true", help="sign every message (a 2048-bit key made with openssl)")
    parser.add_argument("--pg-stats", action="store_true", help="print the statements PostgreSQL spent most time on")
    parser.add_argument("--sink", nargs=2, metavar=("PORT", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink(int(args.sink[0]), args.sink[1])
        return

    from shared.embedded.ports import free_port
    from shared.embedded.postgres import start_postgres
    from shared.migrations import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="bench-campaign-send-"))
    pg = start_postgres(tmp / "pg")
    procs: list[subprocess.Popen] = []
    try:
        url = pg.create_database("bench")
        if args.pg_stats:
            with psycopg.connect(pg.admin_url, autocommit=True) as conn:
                conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
            pg.stop()
            pg.start()
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION pg_stat_statements")
        upgrade(url)
        t0 = time.perf_counter()
        data = prepare(url, args.recipients)
        port, sink_log = free_port(), tmp / "sink.log"
        os.environ.update({
            "REKISTERI_DATABASE_URL": url, "REKISTERI_ENVIRONMENT": "development", "REKISTERI_LOG_LEVEL": "WARNING",
            "REKISTERI_LOG_FORMAT": "json", "REKISTERI_VAR_DIR": str(tmp / "var"),
            "REKISTERI_SMTP_HOST": "127.0.0.1", "REKISTERI_SMTP_PORT": str(port),
            "REKISTERI_NOTIFIER_CONCURRENCY": str(args.concurrency), "REKISTERI_NOTIFIER_BATCH_SIZE": str(args.batch),
            "REKISTERI_NOTIFIER_POLL_SECONDS": "0.2",
        })
        if args.dkim:
            key = tmp / "dkim.pem"
            subprocess.run(["openssl", "genrsa", "-traditional", "-out", str(key), "2048"], check=True,
                           capture_output=True)
            os.environ.update({"REKISTERI_DKIM_SELECTOR": "bench", "REKISTERI_DKIM_DOMAIN": "jetmasters.example",
                               "REKISTERI_DKIM_PRIVATE_KEY_PATH": str(key)})
        from shared.logging import configure_logging
        from shared.settings import get_settings

        get_settings.cache_clear()
        configure_logging(service="bench", level="WARNING", fmt=get_settings().effective_log_format)
        campaign_id, build_s = build_campaign(data["list_id"])
        print(f"filled {args.recipients} contacts in {time.perf_counter() - t0 - build_s:.1f}s, "
              f"built the audience in {build_s:.1f}s", flush=True)

        sink = subprocess.Popen([sys.executable, "-m", "bench.campaign_send", "--sink", str(port), str(sink_log)],
                                stdout=subprocess.PIPE, start_new_session=True)
        procs.append(sink)
        sink.stdout.readline()

        messages = plain_messages(url, args.plain)  # unsigned even with --dkim (the signature is ~0.5 KB)
        plain_rate = plain_loop(port, messages, args.concurrency)
        plain_50 = plain_loop(port, messages, 50) if args.concurrency != 50 else plain_rate
        del messages
        print(f"plain aiosmtplib loop: {plain_rate:.0f} msg/s ({args.plain} messages, {args.concurrency} connections); "
              f"{plain_50:.0f} msg/s with 50 connections", flush=True)
        plain_lines = len(read_sink(sink_log))

        notifier_log = (tmp / "notifier.log").open("ab")
        notifier = subprocess.Popen([sys.executable, "-m", "services.notifier.main"], stdout=notifier_log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(notifier)
        time.sleep(3)  # started and idle
        with psycopg.connect(url) as conn:
            candidates = [(c, e) for c, e in conn.execute(
                "SELECT id, email FROM contacts WHERE NOT (id % 20 = 7 OR id % 100 = 11 OR id % 33 = 5)").fetchall()]
        transactional = Transactional(0.1)
        objections = Objections(campaign_id, data["list_id"], candidates, args.objections,
                                span=args.recipients / max(plain_rate, 1))
        pg_pid = pg.pid
        if args.pg_stats:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SELECT pg_stat_statements_reset()")
        cpu0 = (cpu_seconds(notifier.pid), cpu_seconds(sink.pid), cpu_seconds(pg_pid, children=True))
        start = time.time()
        resume(campaign_id)
        transactional.start()
        objections.start()
        wait_campaign(url, campaign_id, timeout=3600)
        cpu1 = (cpu_seconds(notifier.pid), cpu_seconds(sink.pid), cpu_seconds(pg_pid, children=True))
        if args.pg_stats:
            with psycopg.connect(url, autocommit=True) as conn:
                for query, calls, total, rows in conn.execute(
                        "SELECT query, calls, total_exec_time, rows FROM pg_stat_statements "
                        "ORDER BY total_exec_time DESC LIMIT 12").fetchall():
                    print(f"  {total / 1000:7.2f}s {calls:7d} calls {rows:8d} rows  {' '.join(query.split())[:110]}")
        transactional.stop.set()
        transactional.join()
        objections.join()
        time.sleep(1.5)
        peak = peak_rss_mib(notifier.pid)
        os.killpg(notifier.pid, signal.SIGTERM)
        notifier.wait(60)

        rows = read_sink(sink_log)[plain_lines:]
        campaign = [r for r in rows if r[3] == "-"]
        end = max(r[1] for r in campaign)
        rate = len(campaign) / (end - start)
        latency = [rows_end - transactional.committed[tag] for _, rows_end, _, tag in rows
                   if tag in transactional.committed]
        received = {}
        for mail_t, _, rcpt, tag in campaign:
            received.setdefault(rcpt, []).append(mail_t)
        to_blocked = sum(len(received.get(a, [])) for a in data["blocked"])
        late = sum(1 for a, held in objections.held.items() for mail_t in received.get(a, []) if mail_t > held)
        twice = sum(1 for times in received.values() if len(times) > 1)
        with psycopg.connect(url) as conn:
            status = dict(conn.execute("""SELECT m.status, count(*) FROM email_outbox m
                                          JOIN campaign_recipients r ON r.email_id = m.id
                                          WHERE r.campaign_id = %s GROUP BY 1""", (campaign_id,)).fetchall())
            skipped_live = conn.execute("""SELECT count(*) FROM email_outbox WHERE to_address = ANY(%s)
                                           AND status = 'skipped'""", (list(objections.held),)).fetchone()[0]
        print(f"end to end: {len(campaign)} messages in {end - start:.1f}s = {rate:.0f} msg/s; outbox {status}; "
              f"transactional {len(latency)} p50 {_pct(latency, .5):.3f}s p95 {_pct(latency, .95):.3f}s "
              f"max {max(latency, default=float('nan')):.3f}s; live objections {len(objections.held)} "
              f"({skipped_live} skipped, {late} sent after the objection, longest wait for the row "
              f"{max(objections.waited, default=0):.3f}s); notifier peak RSS {peak:.0f} MiB; "
              f"CPU s notifier {cpu1[0] - cpu0[0]:.1f} sink {cpu1[1] - cpu0[1]:.1f} postgres {cpu1[2] - cpu0[2]:.1f}",
              flush=True)
        print(f"campaign_send recipients={args.recipients} sent={len(campaign)} e2e_msg_s={rate:.0f} "
              f"plain_msg_s={plain_rate:.0f} ratio={rate / plain_rate:.2f} ratio_vs_plain50={rate / plain_50:.2f} tx_p95_s={_pct(latency, .95):.3f} "
              f"notifier_peak_rss_mib={peak:.0f} to_objectors={to_blocked + late} duplicates={twice}")
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        pg.destroy()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
