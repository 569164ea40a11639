"""The notifier's hot-path database work on asynchronous psycopg connections, on the event loop.

Threads would do (and the rare paths still use them: failures, housekeeping, rate limits), but
a thread's every round trip must win the GIL back from a busy event loop, which turned a 0.2 ms
commit into 5–10 ms; here a round trip costs a round trip. The SQL is shared.outbox's own
(shared/outbox/sql.py, and the send-time rule's in shared/outbox/eligibility.py); the rare paths
run the same statements through Sessions (shared/outbox/outcomes.py).

Commits: claims and records are single statements on autocommit connections that do not wait
for the disk (`synchronous_commit off`); the hand-over marks do wait for it. A mark that is
durable implies every earlier commit is (the WAL is written in order), so a PostgreSQL crash can
lose a claim or a "sent" but never a mark whose message then went: the recovery rule stays safe.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import timedelta

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy.engine import make_url

from shared.outbox.service import FAR_FUTURE
from shared.models import utcnow
from shared.outbox import outcomes, sql
from shared.outbox import service as outbox
from shared.outbox.eligibility import FACTS_SQL, LOCK_CONTACTS_SQL, BatchCheck
from shared.outbox.outcomes import AttemptRecord
from shared.outbox.service import ClaimedEmail

def conninfo(engine_url) -> str:
    """The libpq form of the engine's URL."""
    return make_url(engine_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Connection:
    """One connection, opened when first needed and again after it broke. `autocommit`: every
    statement is its own transaction (one round trip); `durable` False: its commits do not wait
    for the disk."""

    def __init__(self, url: str, *, autocommit: bool = False, durable: bool = True):
        self.url, self.autocommit, self.durable = url, autocommit, durable
        self.conn: psycopg.AsyncConnection | None = None

    async def get(self) -> psycopg.AsyncConnection:
        if self.conn is None or self.conn.closed or self.conn.broken:
            conn = await psycopg.AsyncConnection.connect(self.url, row_factory=namedtuple_row, connect_timeout=5,
                                                         autocommit=True)
            if not self.durable:
                await conn.execute("SET synchronous_commit = off")
            await conn.set_autocommit(self.autocommit)
            self.conn = conn
        return self.conn

    async def reset(self) -> None:
        """After an error: roll back, or drop the connection if it is gone."""
        if self.conn is None:
            return
        try:
            await self.conn.rollback()
        except Exception:
            await self.close()

    async def close(self) -> None:
        if self.conn is not None:
            try:
                await self.conn.close()
            except Exception:
                pass
            self.conn = None


async def _rows(conn: psycopg.AsyncConnection, statement: str, params: dict) -> list:
    cursor = await conn.execute(statement, params, binary=True)
    return await cursor.fetchall()


async def claim(db: Connection, *, bulk: bool, limit: int, lease_seconds: int) -> list[ClaimedEmail]:
    """Lease up to `limit` due messages of one lane, in one statement (autocommit, not durable).
    Bulk mail is checked by `lock_and_check` right before it goes, with the contacts locked."""
    conn = await db.get()
    try:
        now, token = utcnow(), uuid.uuid4()
        rows = await _rows(conn, sql.CLAIM_AND_MARK_SQL.format(only=sql.ONLY[bulk]), {
            "now": now, "limit": limit, "token": token, "lease": now + timedelta(seconds=lease_seconds)})
    except Exception:
        await db.reset()
        raise
    rows.sort(key=lambda row: (row.priority, row.next_attempt_at))
    claimed = []
    for start in range(0, len(rows), 50):  # a few milliseconds at a time: the senders go on meanwhile
        chunk = rows[start:start + 50]
        claimed += outbox.claimed_from_rows(chunk, token=token, refs=outbox.bulk_refs(chunk))
        await asyncio.sleep(0)
    return claimed


async def fetch(db: Connection, statement: str, params: dict) -> list:
    """The rows of one read-only statement (such as what claimed campaign messages are rendered with)."""
    conn = await db.get()
    try:
        return await _rows(conn, statement, params)
    except Exception:
        await db.reset()
        raise


async def lock_and_check(db: Connection, *, claimed: Sequence[ClaimedEmail],
                         lock_timeout_ms: int) -> tuple[dict, set]:
    """Share-lock the batch's contacts and ask the rules again, leaving the transaction open:
    the caller ends it (`unlock`) once every SMTP transaction of the batch has started. Returns
    the skip reasons, and the messages whose campaign is paused (held, not sent)."""
    conn = await db.get()
    check = BatchCheck([c.ref for c in claimed if c.ref is not None])
    try:
        await conn.execute("SELECT set_config('lock_timeout', %(t)s, true)", {"t": f"{lock_timeout_ms}ms"})
        if not check.checked:
            return check.known, set()
        await conn.execute(LOCK_CONTACTS_SQL, check.lock_params, binary=True)
        reasons = check.reasons(await _rows(conn, FACTS_SQL, check.facts_params))
        return reasons, check.paused
    except Exception:
        await db.reset()
        raise


async def unlock(db: Connection) -> None:
    conn = await db.get()
    try:
        await conn.commit()
    except Exception:
        await db.reset()
        raise


async def mark_handed_over(db: Connection, *, held: outcomes.Held) -> set[uuid.UUID]:
    """One statement on an autocommit connection, committed durably before it returns: the
    messages may go once it has."""
    try:
        return {row.id for row in await _rows(await db.get(), sql.MARK_HANDED_OVER_SQL, outcomes.held_params(held))}
    except Exception:
        await db.reset()
        raise


async def record(db: Connection, *, sent: Sequence[AttemptRecord], released: dict[float | None, list],
                 skipped: Sequence[tuple]) -> None:
    """Sent messages (with their answers, in the attempt log: one statement), released (due
    after a delay in seconds; None: held until their campaign is resumed) and skipped ones.
    Each statement stands alone (autocommit): they touch different rows."""
    conn = await db.get()
    try:
        if sent:
            await conn.execute(sql.RECORD_SENT_AND_LOG_SQL, outcomes.sent_params(sent), binary=True)
        for delay, held in released.items():
            due = FAR_FUTURE if delay is None else utcnow() + timedelta(seconds=delay)
            await conn.execute(sql.RELEASE_SQL, {**outcomes.held_params(held), "due": due}, binary=True)
        if skipped:
            await conn.execute(sql.SKIP_CLAIMED_SQL, outcomes.skipped_params(skipped), binary=True)
    except Exception:
        await db.reset()
        raise
