"""What the campaign benchmark (bench/campaign_send.py) measures with: the SMTP sink (aiosmtpd in
its own process, logging the time of each MAIL FROM and each accepted message), transactional
mail and live objections during the campaign, CPU and memory of the processes, and the DKIM
signing rate with dkimpy alone and with the notifier's signer (services/notifier/signing.py)."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path

import psycopg


def pct(values: list[float], q: float) -> float:
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


def dkim_sign_rates(messages: list[bytes], key: Path, seconds: float = 3.0) -> tuple[float, float]:
    """Signatures per second in one process over the same messages and key: dkimpy alone (its RSA
    step in pure Python) and the notifier's signer (dkimpy's canonicalization, RSA by cryptography)."""
    import dkim

    from services.notifier.signing import DKIM_HEADERS, DkimSigner

    pem = key.read_bytes()
    signer = DkimSigner(selector="bench", domain="jetmasters.example", private_key=pem)
    headers, _ = dkim.rfc822_parse(messages[0])
    include = [h for h in DKIM_HEADERS if h in {name.lower() for name, _ in headers}]

    def dkimpy(data: bytes) -> bytes:
        return dkim.sign(data, b"bench", b"jetmasters.example", pem, canonicalize=(b"relaxed", b"relaxed"),
                         include_headers=include) + data

    def rate(sign) -> float:
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            sign(messages[n % len(messages)])
            n += 1
        return n / (time.perf_counter() - t0)

    return rate(dkimpy), rate(signer.sign)
