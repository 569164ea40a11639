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

Small parts, each handed what it needs: the Feeder (services/notifier/feeding.py), the rate
Limiter and the Breaker (services/notifier/parts.py), a Sender per SMTP connection (here), the
Recorder; `Notifier` only builds them and runs them. The hot path's database work runs on the
event loop (services/notifier/db.py); the rare paths (failures, housekeeping, rate-limit buckets,
auto-pause) in a small thread pool with Sessions (services/notifier/runtime.py).
"""

from __future__ import annotations

import asyncio
import functools
import os
from email.utils import parseaddr

import structlog

from services.notifier import db
from services.notifier.compose import message_bytes
from services.notifier.feeding import Feeder
from services.notifier.parts import Breaker, Handover, Item, Lanes, Limiter
from services.notifier.recording import Recorder
from services.notifier.runtime import Runtime
from services.notifier.signing import DkimSigner, SigningPool
from services.notifier.smtp import RELEASED, SendOutcome, SmtpConnection
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


def rate_limiter(rt: Runtime, settings, *, server: str) -> Limiter:
    """The token buckets (global and per SMTP server) in PostgreSQL, taken in the thread pool."""
    buckets = [
        *ratelimit.limits(scope="global", per_second=settings.notifier_rate_per_second,
                          per_minute=settings.notifier_rate_per_minute, per_hour=settings.notifier_rate_per_hour),
        *ratelimit.limits(scope=f"smtp:{server}", per_second=settings.smtp_rate_per_second,
                          per_minute=settings.smtp_rate_per_minute, per_hour=settings.smtp_rate_per_hour),
    ]

    def take(want: int, force: bool):
        with rt.session() as session:
            grant = ratelimit.take(session, buckets=buckets, want=want, force=force)
            session.commit()
        return grant

    def give_back(n: int) -> None:
        with rt.session() as session:
            ratelimit.give_back(session, buckets=buckets, n=n)
            session.commit()

    async def take_async(want: int, force: bool):
        return await rt.thread(take, want, force)

    async def give_back_async(n: int) -> None:
        await rt.thread(give_back, n)

    return Limiter(buckets, take=take_async, give_back=give_back_async)


class Sender:
    """Takes items from the lanes and sends each over its SMTP connection: MAIL FROM (the batch
    lock may be let go once every message of the batch got this far), RCPT, the hand-over mark,
    DATA; the outcome goes to the recorder."""

    def __init__(self, *, lanes: Lanes, breaker: Breaker, handover: Handover, recorder: Recorder,
                 signer: DkimSigner | None):
        self.lanes, self.breaker, self.handover = lanes, breaker, handover
        self.recorder, self.signer = recorder, signer

    async def run(self, conn: SmtpConnection) -> None:
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
            self.recorder.add(item, outcome, item.mail_at or picked, utcnow())

    async def _hand_over(self, item: Item) -> bool:
        item.handed_over = await self.handover.mark(item.claimed)
        return item.handed_over

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


class Notifier:
    """Builds the parts and runs them until `stop` is set."""

    def __init__(self, settings, stop: asyncio.Event):
        self.settings = settings
        self.rt = rt = Runtime(stop)
        self.host, self.port = smtp_target(settings)
        server = f"{self.host}:{self.port}"
        url = db.conninfo(rt.engine.url)
        self.lanes = Lanes()
        self.lanes.low_water = max(2 * settings.notifier_concurrency, 32)
        self.breaker = Breaker(most=settings.notifier_outage_max_seconds)
        self.signer = DkimSigner.from_settings(settings)
        self.signing = None if self.signer is None else SigningPool(
            self.signer, processes=settings.notifier_dkim_processes or os.cpu_count() or 2)
        self.recorder = Recorder(rt, settings, url=url, server=server, lanes=self.lanes)
        self.limiter = rate_limiter(rt, settings, server=server)
        self.feeder = Feeder(rt, settings, url=url, lanes=self.lanes, limiter=self.limiter, breaker=self.breaker,
                             recorder=self.recorder, signing=self.signing)
        self.mark_db = db.Connection(url, autocommit=True)
        self.handover = Handover(self._write_marks)
        self.sender = Sender(lanes=self.lanes, breaker=self.breaker, handover=self.handover,
                             recorder=self.recorder, signer=self.signer)
        self.connections = [SmtpConnection(settings, host=self.host, port=self.port)
                            for _ in range(settings.notifier_concurrency)]

    async def _write_marks(self, held) -> set:
        self.recorder.counts["mark_groups"] += 1
        return await db.mark_handed_over(self.mark_db, held=held)

    async def run(self) -> None:
        log.info("notifier.started", smtp_port=self.port, concurrency=len(self.connections),
                 batch_size=self.settings.notifier_batch_size, dkim=self.signer is not None,
                 rate_limits=len(self.limiter.buckets))
        handover = asyncio.create_task(self.handover.run())
        recorder = asyncio.create_task(self.recorder.run())
        senders = [asyncio.create_task(self.sender.run(conn)) for conn in self.connections]
        feeders = [asyncio.create_task(self.feeder.bulk()), asyncio.create_task(self.feeder.transactional()),
                   asyncio.create_task(self.recorder.housekeeping())]
        listener = asyncio.create_task(self.feeder.listener())
        try:
            await self.rt.stop.wait()
        finally:
            await asyncio.gather(*feeders, return_exceptions=True)
            listener.cancel()
            left = self.lanes.drain()  # queued, never started: back to pending
            for item in left:
                if item.batch is not None:
                    item.batch.one_started()
            self.recorder.release(left)
            for _ in senders:
                self.lanes.tx.append(None)  # type: ignore[arg-type]
            self.lanes.wake()
            await asyncio.wait(senders, timeout=self.settings.smtp_timeout + 5)
            await self.feeder.wait_let_go()
            self.recorder.finish()
            await asyncio.wait([recorder], timeout=30)
            self.handover.close()
            await asyncio.gather(handover, listener, return_exceptions=True)
            await asyncio.gather(*(conn.close() for conn in self.connections), return_exceptions=True)
            await self.feeder.close()
            await self.recorder.close()
            await self.mark_db.close()
            self.rt.close()
            if self.signing is not None:
                self.signing.close()
            log.info("notifier.stopped", **dict(self.recorder.counts))
