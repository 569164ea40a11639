"""After a round: wait until the system has settled, then read the database, the SMTP server's
record and the partner's and list every broken promise (an empty list: the round passed)."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, text

from fault_harness import Delivered
from fault_workload import Ledger, Workload
from shared.common.suppression import email_hash

UNFINISHED = {
    "jobs": "SELECT count(*) FROM jobs WHERE status IN ('pending', 'running')",
    "emails": "SELECT count(*) FROM email_outbox WHERE status IN ('pending', 'sending')",
    "requests": "SELECT count(*) FROM subject_requests WHERE status NOT IN ('completed', 'rejected', 'cancelled')",
    "transfers": "SELECT count(*) FROM transfers WHERE status = 'pending'",
}
FINAL_REQUEST = ("completed", "rejected", "cancelled")


def unfinished(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        counts = {name: conn.execute(text(sql)).scalar_one() for name, sql in UNFINISHED.items()}
    return {name: n for name, n in counts.items() if n}


def settle(engine: Engine, workload: Workload, *, timeout: float) -> dict[str, int]:
    """Wait until nothing is pending (rectifications approved, jobs, mail, transfers done), doing
    what staff would: approving rectifications, resuming a campaign that paused itself.
    Returns what is still unfinished at the timeout (empty when settled)."""
    deadline, left = time.monotonic() + timeout, {"start": 1}
    while time.monotonic() < deadline:
        try:
            workload.resume_paused()
            approved = workload.approve_pending()
            left = unfinished(engine)
        except Exception as exc:  # noqa: BLE001 (the database may still be coming back)
            left = {"error": type(exc).__name__}
            approved = False
        if approved and not left:
            return {}
        time.sleep(0.5)
    return left


def effects(engine: Engine) -> dict[str, object]:
    """What the faults did, as the database tells it (cumulative over rounds)."""
    with engine.connect() as conn:
        events = dict(conn.execute(text("SELECT event, count(*) FROM job_events GROUP BY event")).all())
        attempts = dict(conn.execute(text("SELECT outcome, count(*) FROM email_attempts GROUP BY outcome")).all())
        unknown = conn.execute(text("SELECT count(*) FROM email_outbox WHERE outcome_unknown")).scalar_one()
        retried = conn.execute(text("SELECT count(*) FROM jobs WHERE attempts > 1")).scalar_one()
        transfers = conn.execute(text("SELECT max(attempts) FROM transfers")).scalar_one()
    return {"job events": events, "jobs run more than once": retried, "smtp attempts": attempts,
            "outcome unknown": unknown, "most transfer attempts": transfers}


@dataclass
class Evidence:
    ledger: Ledger
    audience: list[tuple[int, str]]
    delivered: list[Delivered]
    partner: list[tuple[str, str, bool]]  # what the partner received: (transfer id, sha256, signed right)


def check(engine: Engine, ev: Evidence) -> list[str]:
    with engine.connect() as conn:
        return check_on(conn, ev)


def check_on(conn, ev: Evidence) -> list[str]:
    return _jobs(conn) + _requests(conn, ev.ledger) + _erasures(conn, ev) + _mail(conn, ev) + _promises(conn, ev)


def _jobs(conn) -> list[str]:
    """Every job succeeded, once: one claim won, one `succeeded` event."""
    problems = []
    rows = conn.execute(text("""
        SELECT j.id, j.kind, j.status, j.attempts, j.error,
               count(*) FILTER (WHERE e.event IN ('succeeded', 'failed', 'cancelled')) AS finals
        FROM jobs j LEFT JOIN job_events e ON e.job_id = j.id GROUP BY j.id""")).all()
    for job in rows:
        if job.status != "succeeded" or job.finals != 1:
            problems.append(f"job {job.kind} {job.id}: {job.status} after {job.attempts} attempts, "
                            f"{job.finals} final events ({job.error})")
    return problems


def _requests(conn, ledger: Ledger) -> list[str]:
    problems = []
    rows = {str(r.id): r for r in conn.execute(text("""
        SELECT r.id, r.kind, r.status, r.contact_id,
               (SELECT count(*) FROM subject_request_events e WHERE e.request_id = r.id
                AND e.to_status IN ('completed', 'rejected', 'cancelled')) AS finals
        FROM subject_requests r""")).all()}
    for row in rows.values():
        if row.status not in FINAL_REQUEST or row.finals != 1:
            problems.append(f"subject request {row.kind} {row.id}: {row.status}, {row.finals} final transitions")
    for request_id, promised in ledger.requests.items():
        if request_id not in rows:
            problems.append(f"{promised['kind']} request {request_id} was answered 2xx but is not in the database")
            continue
        contact = conn.execute(text("SELECT objects_direct_marketing_at, restricted_at, position FROM contacts "
                                    "WHERE id = :id"), {"id": promised["contact_id"]}).first()
        kind = promised["kind"]
        if kind == "objection" and (contact is None or contact.objects_direct_marketing_at is None):
            problems.append(f"objection {request_id}: answered 2xx, but the contact does not object")
        if kind == "restriction" and (contact is None or contact.restricted_at is None):
            problems.append(f"restriction {request_id}: answered 2xx, but the contact is not restricted")
        if promised.get("approved") and (contact is None or contact.position != "Oikaistu tehtävä"):
            problems.append(f"rectification {request_id}: approval answered 2xx, the contact is not corrected")
    return problems


def _erasures(conn, ev: Evidence) -> list[str]:
    """Nobody is half-erased: a person whose erasure was asked for is either whole or gone from
    every table (their address on the suppression list); everybody else on the list is whole."""
    problems = []
    tables = conn.execute(text("""
        SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'contact_id' AND data_type = 'integer'""")).scalars().all()
    ids = [cid for cid, _ in ev.audience]
    whole = set(conn.execute(text("""
        SELECT c.id FROM contacts c WHERE c.id = ANY(:ids)
        AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.contact_id = c.id)
        AND EXISTS (SELECT 1 FROM consents k WHERE k.contact_id = c.id)"""), {"ids": ids}).scalars())
    present = set(conn.execute(text("SELECT id FROM contacts WHERE id = ANY(:ids)"), {"ids": ids}).scalars())
    for contact_id, email in ev.audience:
        if ev.ledger.named.get(contact_id) != "erasure":
            if contact_id not in whole:
                problems.append(f"contact {contact_id}, whom nobody asked to erase, lost their contact, "
                                "list or consent")
            continue
        if contact_id in present:
            if contact_id not in whole:
                problems.append(f"contact {contact_id} half-erased: the contact is there, its list or consent gone")
            continue
        left = [t for t in tables if conn.execute(text(f'SELECT 1 FROM "{t}" WHERE contact_id = :id LIMIT 1'),
                                                  {"id": contact_id}).first()]
        if conn.execute(text("SELECT 1 FROM contacts WHERE lower(email) = :email"), {"email": email}).first():
            left.append("contacts (by email)")
        if left:
            problems.append(f"contact {contact_id} half-erased: gone, but still in {sorted(left)}")
        if not conn.execute(text("SELECT 1 FROM suppressions WHERE email_hash = :h"), {"h": email_hash(email)}).first():
            problems.append(f"contact {contact_id} erased, but the address is not on the suppression list")
    for contact_id, request_id in ev.ledger.erased.items():
        done = conn.execute(text("SELECT status = 'completed' FROM subject_requests WHERE id = :id"),
                            {"id": request_id}).scalar()
        if done and contact_id in present:
            problems.append(f"erasure {request_id} completed, but contact {contact_id} is still there")
    return problems


def _mail(conn, ev: Evidence) -> list[str]:
    problems = []
    got: dict[str, list[Delivered]] = defaultdict(list)
    for d in ev.delivered:
        got[d.message_id.strip("<>")].append(d)
    for message_id, copies in got.items():
        if len(copies) > 1:
            problems.append(f"message {message_id} to {copies[0].recipient} arrived {len(copies)} times")
    rows = conn.execute(text("SELECT id, message_id, status, outcome_unknown, skip_reason, to_address, contact_id, "
                             "category, last_error FROM email_outbox")).all()
    for row in rows:
        n = len(got.get(row.message_id.strip("<>"), []))
        if row.status == "sent" and n != 1:
            problems.append(f"outbox {row.id} ({row.category}) is sent but arrived {n} times")
        if row.status == "failed" and not row.outcome_unknown:
            problems.append(f"outbox {row.id} ({row.category}) was given up: {row.last_error}")
        if row.status == "failed" and row.outcome_unknown and n > 1:
            problems.append(f"outbox {row.id}: outcome unknown, yet arrived {n} times")
    # No marketing after an objection or restriction was answered, or after the erasure job finished.
    erased_at = {email: finished for email, finished in conn.execute(text("""
        SELECT lower(r.email), extract(epoch FROM j.finished_at) FROM subject_requests r JOIN jobs j ON j.id = r.job_id
        WHERE r.kind = 'erasure' AND j.status = 'succeeded'""")).all()}
    for rule, after in (("objection", ev.ledger.objected), ("restriction", ev.ledger.restricted),
                        ("erasure", erased_at)):
        for d in ev.delivered:
            if d.marketing and d.recipient in after and d.mail_time > float(after[d.recipient]):
                problems.append(f"marketing to {d.recipient} {d.mail_time - float(after[d.recipient]):.3f}s "
                                f"after the {rule} committed")
    # Every recipient still eligible got each campaign once (or once at most, outcome unknown); an
    # access or rectification request does not make anyone ineligible.
    touched = {cid for cid, kind in ev.ledger.named.items() if kind in ("objection", "restriction", "erasure")}
    for campaign_id in ev.ledger.campaigns:
        states = dict(conn.execute(text("""
            SELECT r.contact_id, m.status || CASE WHEN m.outcome_unknown THEN '-unknown' ELSE '' END
            FROM campaign_recipients r JOIN email_outbox m ON m.id = r.email_id WHERE r.campaign_id = :c"""),
            {"c": campaign_id}).all())
        for contact_id, email in ev.audience:
            if contact_id not in touched and states.get(contact_id) not in ("sent", "failed-unknown"):
                problems.append(f"campaign {campaign_id}: eligible contact {contact_id} missed "
                                f"({states.get(contact_id, 'no outbox row')})")
    return problems


def _promises(conn, ev: Evidence) -> list[str]:
    """Everything answered 2xx is in the database as answered."""
    problems = []
    for contact_id, promised in ev.ledger.contacts.items():
        row = conn.execute(text("SELECT email, version, position FROM contacts WHERE id = :id"),
                           {"id": contact_id}).first()
        if row is None or row.email != promised["email"] or row.version < promised["version"] or (
                row.version == promised["version"] and row.position != promised["position"]):
            problems.append(f"contact {contact_id}: the API answered 2xx for version {promised['version']}, "
                            f"the database holds {tuple(row) if row else None}")
    for campaign_id in ev.ledger.campaigns:
        status = conn.execute(text("SELECT status FROM campaigns WHERE id = :id"), {"id": campaign_id}).scalar()
        if status not in ("sending", "completed"):  # nothing marks a campaign completed yet (issue 5)
            problems.append(f"campaign {campaign_id}: {status}")
    for run_id in ev.ledger.dedup_runs:
        status = conn.execute(text("SELECT j.status FROM dedup_runs d LEFT JOIN jobs j ON j.id = d.job_id "
                                   "WHERE d.id = :id"), {"id": run_id}).scalar()
        if status != "succeeded":
            problems.append(f"dedup run {run_id}: {status}")
    arrived = Counter((tid, sha) for tid, sha, valid in ev.partner if valid)
    if any(not valid for _, _, valid in ev.partner):
        problems.append("the partner received a delivery whose signature did not verify")
    for transfer_id in ev.ledger.transfers:
        row = conn.execute(text("SELECT status, reason, sha256 FROM transfers WHERE id = :id"),
                           {"id": transfer_id}).first()
        if row is None or row.status != "delivered":
            problems.append(f"transfer {transfer_id}: {tuple(row) if row else 'not in the database'}")
        elif not arrived[(transfer_id, row.sha256)]:
            problems.append(f"transfer {transfer_id}: delivered, but the partner never got that file")
    return problems


def broken_promises(ev: Evidence) -> dict[str, tuple[Evidence, str]]:
    """The checker's own test: each kind of broken promise, forged into a copy of a good round's
    evidence, with the words the checker must answer it with."""
    import copy
    import uuid

    forged: dict[str, tuple[Evidence, str]] = {}
    sent = next(d for d in ev.delivered if d.marketing)
    twice = copy.deepcopy(ev)
    twice.delivered.append(copy.copy(sent))
    forged["duplicate"] = (twice, "arrived 2 times")
    if ev.ledger.objected:
        email, at = next(iter(ev.ledger.objected.items()))
        late = copy.deepcopy(ev)
        late.delivered.append(Delivered(at + 0.5, email, f"<{uuid.uuid4()}@forged>", True))
        forged["after objection"] = (late, "after the objection committed")
    untouched = [cid for cid, _ in ev.audience if cid not in ev.ledger.named]
    phantom = copy.deepcopy(ev)
    phantom.ledger.contacts[10**9] = {"email": "ei.ole@example.fi", "version": 1, "position": None}
    forged["2xx not committed"] = (phantom, "the API answered 2xx for version 1")
    request = copy.deepcopy(ev)
    request.ledger.requests[str(uuid.uuid4())] = {"kind": "objection", "contact_id": untouched[0], "email": "x",
                                                  "at": 0.0}
    forged["request not committed"] = (request, "is not in the database")
    missed = copy.deepcopy(ev)
    missed.audience.append((10**9 + 1, "puuttuu@example.fi"))
    forged["recipient missed"] = (missed, "missed (no outbox row)")
    transfer = copy.deepcopy(ev)
    transfer.ledger.transfers.append(str(uuid.uuid4()))
    forged["transfer lost"] = (transfer, "not in the database")
    return forged
