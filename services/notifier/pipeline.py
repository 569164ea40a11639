"""The notifier's send pipeline (one per process).

    bulk feeder ── claim ── commit ──> [a batch claimed ahead]
                   when the bulk lane runs low: share-lock the batch's contacts, check every
                   message again (skip with the reason), queue the rest ─────────┐
    transactional feeder (woken by NOTIFY, else polling) ── claim ──> tx lane (always first)
                                                                               │
    N senders, one SMTP connection each: MAIL FROM ─ (the batch lock is let go once every
    message of its batch got this far) ─ RCPT ─ hand-over mark (group commit) ─ DATA
                                                                               │
    recorder (services/notifier/recording.py): sent / failed / released / skipped, in bulk every
    few dozen milliseconds; a campaign whose error rate crossed the threshold pauses itself.
    housekeeping: lease renewal, recovery of rows left behind by a dead notifier.

The hot path's database work runs on the event loop (services/notifier/db.py); the rare paths
(failures, housekeeping, rate-limit buckets, auto-pause) in a small thread pool with Sessions.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from email.utils import parseaddr
from typing import Any

import structlog
from sqlmodel import Session

from services.notifier import db
from services.notifier.compose import message_bytes
from services.notifier.feeding import Feeding
from services.notifier.parts import Breaker, Handover, Item, Lanes, Limiter
from services.notifier.recording import Recording
from services.notifier.signing import DkimSigner, SigningPool
from services.notifier.smtp import RELEASED, SendOutcome, SmtpConnection
from shared.db import get_engine
from shared.models import utcnow
from shared.outbox import ratelimit

log = structlog.get_logger("rekisteri.notifier")


@functools.lru_cache(maxsize=256)
def _envelope_sender(from_address: str) -> str:
    return parseaddr(from_address)[1]


def smtp_target(settings) -> tuple[str, int]:
    if settings.smtp_host:
        return settings.smtp_host, settings.smtp_port
    return settings.mailcatcher_host, settings.mailcatcher_port


class Notifier(Feeding, Recording):
    def __init__(self, settings, stop: asyncio.Event):
        s = self.settings = settings
        self.stop = stop
        self.host, self.port = smtp_target(settings)
        self.server = f"{self.host}:{self.port}"
        self.engine = get_engine()
        self.url = db.conninfo(self.engine.url)
        self.batch_size = s.notifier_batch_size
        self.lease = s.notifier_lease_seconds
        self.poll = s.notifier_poll_seconds
        self.window = s.notifier_lock_seconds
        self.max_backoff = s.notifier_max_backoff_seconds
        self.record_every = s.notifier_record_seconds
        self.pause_rate = s.campaign_pause_error_rate
        self.pause_window = s.campaign_pause_window
        self.pause_min = s.campaign_pause_min_attempts
        self.signer = DkimSigner.from_settings(s)
        self.signing = None if self.signer is None else SigningPool(
            self.signer, processes=s.notifier_dkim_processes or os.cpu_count() or 2)
        self.lanes = Lanes()
        self.lanes.low_water = max(2 * s.notifier_concurrency, 32)
        self.held: dict = {}  # id -> lease token: renewed until recorded
        self.results: list[tuple[Item, SendOutcome, Any, Any]] = []  # (item, outcome, started, finished)
        self.skips: list[tuple[Any, Any, str]] = []
        self._record_wake = asyncio.Event()
        self._pause_checked: dict[int, float] = {}
        self._refused_since: dict[int, int] = defaultdict(int)
        self.breaker = Breaker(most=s.notifier_outage_max_seconds)
        self.pool = ThreadPoolExecutor(2, thread_name_prefix="notifier-db")
        self.bulk_db = db.Connection(self.url, autocommit=True, durable=False)
        self.tx_db = db.Connection(self.url, autocommit=True, durable=False)
        self.mark_db = db.Connection(self.url, autocommit=True)
        self.record_db = db.Connection(self.url, autocommit=True, durable=False)
        self.lock_dbs: list[db.Connection] = []
        self.handover = Handover(self._write_marks)
        buckets = [
            *ratelimit.limits(scope="global", per_second=s.notifier_rate_per_second,
                              per_minute=s.notifier_rate_per_minute,
                              per_hour=s.notifier_rate_per_hour),
            *ratelimit.limits(scope=f"smtp:{self.server}", per_second=s.smtp_rate_per_second,
                              per_minute=s.smtp_rate_per_minute,
                              per_hour=s.smtp_rate_per_hour),
        ]
        self.limiter = Limiter(buckets, take=self._take_tokens, give_back=self._give_back)
        self.tx_wake = asyncio.Event()
        self.counts: dict[str, int] = defaultdict(int)
        self.let_go_tasks: set[asyncio.Task] = set()
        self.senders_done = False
        self.connections = [SmtpConnection(s, host=self.host, port=self.port) for _ in range(s.notifier_concurrency)]

    # --- helpers ------------------------------------------------------------------------------

    async def _thread(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    async def _sleep(self, seconds: float, event: asyncio.Event | None = None) -> None:
        waiters = [asyncio.ensure_future(self.stop.wait())]
        if event is not None:
            waiters.append(asyncio.ensure_future(event.wait()))
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _items(self, claimed, *, bulk: bool) -> list[Item]:
        """Items for claimed messages; with DKIM a bulk batch is built and signed now, in the
        signing processes (otherwise each sender builds its message right before it goes, and
        transactional mail never queues behind a campaign's signatures)."""
        items = [Item(c) for c in claimed]
        for item in items:
            self.held[item.claimed.id] = item.claimed.lease_token
        if bulk and self.signing is not None and items:
            try:
                for item, data in zip(items, await self.signing.build(claimed), strict=True):
                    item.data = data
            except Exception:
                self._release(items, delay=1.0)
                raise
        return items

    async def _write_marks(self, held) -> set:
        self.counts["mark_groups"] += 1
        return await db.mark_handed_over(self.mark_db, held=held)

    def _take_sync(self, want: int, force: bool):
        with self._session() as session:
            grant = ratelimit.take(session, buckets=self.limiter.buckets, want=want, force=force)
            session.commit()
        return grant

    async def _take_tokens(self, want: int, force: bool):
        return await self._thread(self._take_sync, want, force)

    def _give_back_sync(self, n: int) -> None:
        with self._session() as session:
            ratelimit.give_back(session, buckets=self.limiter.buckets, n=n)
            session.commit()

    async def _give_back(self, n: int) -> None:
        await self._thread(self._give_back_sync, n)

    # --- sending ----------------------------------------------------------------------------

    async def _hand_over(self, item: Item) -> bool:
        item.handed_over = await self.handover.mark(item.claimed)
        return item.handed_over

    async def sender(self, conn: SmtpConnection) -> None:
        while True:
            item = await self.lanes.get()
            if item is None:
                break
            picked = utcnow()
            try:
                outcome = await self._deliver(conn, item)
            except Exception as exc:  # a bug must not lose the message, nor send it twice
                log.error("notifier.send_crashed", error=type(exc).__name__, detail=str(exc)[:200])
                if item.batch is not None and not item.batch.released:
                    item.batch.one_started()
                outcome = SendOutcome(False, unknown=True, error=f"notifier error {type(exc).__name__}") \
                    if item.handed_over else RELEASED
            self.results.append((item, outcome, item.mail_at or picked, utcnow()))
            if len(self.results) >= self.batch_size:
                self._record_wake.set()

    async def _deliver(self, conn: SmtpConnection, item: Item) -> SendOutcome:
        batch, claimed = item.batch, item.claimed
        if batch is not None and (batch.window_closed or batch.released):
            batch.one_started()
            return RELEASED
        if self.breaker.open_for():
            if batch is not None:
                batch.one_started()
            return SendOutcome(False, released=True, reached=False, error="smtp unreachable",
                               delay=self.breaker.open_for())

        def after_mail(started: bool) -> bool:
            item.mail_at = utcnow()
            if batch is None:
                return True
            if batch.released:  # the lock is already gone: this transaction must not go on
                return False
            batch.one_started()
            return True

        if item.data is None:
            item.data = message_bytes(claimed)
            if self.signer is not None:
                item.data = self.signer.sign(item.data)
        outcome = await conn.transaction(
            sender=_envelope_sender(claimed.from_address), recipient=claimed.to_address, data=item.data,
            start_timeout=batch.start_timeout() if batch is not None else None,
            after_mail=after_mail, handover=lambda: self._hand_over(item),
        )
        if outcome.connect_failed:
            self.breaker.trip()
        elif outcome.reached:
            self.breaker.reset()
        return outcome

    # --- the whole ----------------------------------------------------------------------------

    async def run(self) -> None:
        log.info("notifier.started", smtp_port=self.port, concurrency=len(self.connections),
                 batch_size=self.batch_size, dkim=self.signer is not None, rate_limits=len(self.limiter.buckets))
        handover = asyncio.create_task(self.handover.run())
        recorder = asyncio.create_task(self.recorder())
        senders = [asyncio.create_task(self.sender(conn)) for conn in self.connections]
        feeders = [asyncio.create_task(self.bulk_feeder()), asyncio.create_task(self.tx_feeder()),
                   asyncio.create_task(self.housekeeping())]
        listener = asyncio.create_task(self.listener())
        try:
            await self.stop.wait()
        finally:
            await asyncio.gather(*feeders, return_exceptions=True)
            listener.cancel()
            left = self.lanes.drain()  # queued, never started: back to pending
            for item in left:
                if item.batch is not None:
                    item.batch.one_started()
            self._release(left)
            for _ in senders:
                self.lanes.tx.append(None)  # type: ignore[arg-type]
            self.lanes.wake()
            await asyncio.wait(senders, timeout=self.settings.smtp_timeout + 5)
            if self.let_go_tasks:
                await asyncio.wait(list(self.let_go_tasks), timeout=self.window + 5)
            self.senders_done = True
            self._record_wake.set()
            await asyncio.wait([recorder], timeout=30)
            self.handover.close()
            await asyncio.gather(handover, listener, return_exceptions=True)
            await asyncio.gather(*(conn.close() for conn in self.connections), return_exceptions=True)
            for conn in (self.bulk_db, self.tx_db, self.mark_db, self.record_db, *self.lock_dbs):
                await conn.close()
            self.pool.shutdown(wait=False)
            if self.signing is not None:
                self.signing.close()
            log.info("notifier.stopped", **dict(self.counts))
