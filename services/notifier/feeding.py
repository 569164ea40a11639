"""The notifier's feeder: the bulk feeder claims campaign batches ahead, and when the bulk lane
runs low share-locks a batch's contacts, checks every message again (shared/outbox/eligibility.py)
and queues the rest, letting the lock go once every message of the batch has started (MAIL FROM
answered); the transactional feeder, woken by NOTIFY, puts mail about people's own requests
first. With DKIM a bulk batch is built and signed in the signing processes before it is locked."""

from __future__ import annotations

import asyncio
import time

import psycopg
import structlog

from services.notifier import db
from services.notifier.parts import Batch, Breaker, Item, Lanes, Limiter
from services.notifier.recording import Recorder
from services.notifier.runtime import Runtime
from services.notifier.signing import SigningPool
from shared.campaigns.messages import CAMPAIGNS_SQL, RENDER_FACTS_SQL, ClaimRenderer, needs_rendering
from shared.outbox import service as outbox

log = structlog.get_logger("rekisteri.notifier")


class Feeder:
    def __init__(self, rt: Runtime, settings, *, url: str, lanes: Lanes, limiter: Limiter, breaker: Breaker,
                 recorder: Recorder, signing: SigningPool | None):
        self.rt, self.url, self.lanes, self.limiter, self.breaker = rt, url, lanes, limiter, breaker
        self.recorder, self.signing = recorder, signing
        self.renderer = ClaimRenderer()
        self.batch_size = settings.notifier_batch_size
        self.lease = settings.notifier_lease_seconds
        self.poll = settings.notifier_poll_seconds
        self.window = settings.notifier_lock_seconds
        self.bulk_db = db.Connection(url, autocommit=True, durable=False)
        self.tx_db = db.Connection(url, autocommit=True, durable=False)
        self.lock_dbs: list[db.Connection] = []
        self.tx_wake = asyncio.Event()
        self.let_go_tasks: set[asyncio.Task] = set()

    async def _render(self, claimed: list) -> list:
        """Campaign messages rendered (shared/campaigns/messages.py), a few dozen at a time so the
        senders go on meanwhile; one that cannot be rendered keeps its empty body and never goes."""
        todo = [c for c in claimed if needs_rendering(c)]
        if not todo:
            return claimed
        found = await db.fetch(self.bulk_db, RENDER_FACTS_SQL, {"ids": [c.id for c in todo]})
        facts = {row.email_id: row for row in found}
        if missing := self.renderer.missing({c.campaign_id for c in todo}):
            self.renderer.add_campaigns(await db.fetch(self.bulk_db, CAMPAIGNS_SQL, {"ids": missing}))
        out = []
        for n, c in enumerate(claimed, 1):
            out.append((self.renderer.render(c, facts.get(c.id)) or c) if needs_rendering(c) else c)
            if n % 50 == 0:
                await asyncio.sleep(0)
        return out

    async def _items(self, claimed, *, bulk: bool) -> list[Item]:
        """Items for claimed messages, campaign messages rendered; with DKIM a bulk batch is built
        and signed now, in the signing processes (otherwise each sender builds its message right
        before it goes, and transactional mail never queues behind a campaign's signatures)."""
        items = [Item(c) for c in claimed]
        self.recorder.hold(items)
        if bulk and items:
            try:
                for item, rendered in zip(items, await self._render(claimed), strict=True):
                    item.claimed = rendered
            except Exception:
                self.recorder.release(items, delay=1.0)
                raise
            claimed = [item.claimed for item in items]
        if bulk and self.signing is not None and items:
            try:
                for item, data in zip(items, await self.signing.build(claimed), strict=True):
                    item.data = data
            except Exception:
                self.recorder.release(items, delay=1.0)
                raise
        return items

    async def bulk(self) -> None:
        ahead: list[Item] = []
        while not self.rt.stop.is_set():
            try:
                if self.breaker.open_for():
                    await self.rt.sleep(self.breaker.open_for())
                    continue
                if not ahead:
                    want = await self.limiter.acquire(self.batch_size, self.rt.stop)
                    if not want:
                        continue
                    ahead = await self._items(await db.claim(self.bulk_db, bulk=True, limit=want,
                                                             lease_seconds=self.lease), bulk=True)
                    await self.limiter.unused(want - len(ahead))
                    if not ahead:
                        await self.rt.sleep(self.poll)
                        continue
                await self.lanes.wait_low()
                if self.rt.stop.is_set():
                    break
                batch, ahead = ahead, []
                await self._lock_and_queue(batch)
            except Exception as exc:  # the database is away: wait and try again
                log.warning("notifier.claim_failed", error=type(exc).__name__, detail=str(exc)[:200])
                await self.rt.sleep(self.poll)
        self.recorder.release(ahead)

    async def _lock_and_queue(self, items: list[Item]) -> None:
        conn = self.lock_dbs.pop() if self.lock_dbs else db.Connection(self.url)
        try:
            reasons, paused = await db.lock_and_check(conn, claimed=[item.claimed for item in items],
                                                      lock_timeout_ms=int(self.window * 1000))
        except Exception as exc:
            log.warning("notifier.lock_failed", error=type(exc).__name__, messages=len(items))
            await conn.close()
            self.recorder.release(items, delay=1.0)
            return
        go, held = [], []
        for item in items:
            reason = reasons.get(item.claimed.id)
            if reason is None and needs_rendering(item.claimed):  # not rendered: its person is gone
                reason = "contact_missing"
            if reason is not None:
                self.recorder.skip(item, reason)
            elif item.claimed.id in paused:
                held.append(item)
            else:
                go.append(item)
        self.recorder.release(held, delay=None)
        batch = Batch(conn, len(go), window_seconds=self.window)
        for item in go:
            item.batch = batch
            self.lanes.put(item)
        task = asyncio.create_task(self._let_go(batch))
        self.let_go_tasks.add(task)
        task.add_done_callback(self.let_go_tasks.discard)
        self.recorder.wake.set()

    async def _let_go(self, batch: Batch) -> None:
        """End the lock transaction once every message of the batch has started; at the latest
        when the window closes (what had not started then is released for a later claim, and
        the lock is let go at most a second and a half after)."""
        try:
            try:
                await asyncio.wait_for(batch.all_started.wait(), timeout=max(0.0, batch.deadline - time.monotonic()))
            except TimeoutError:
                batch.window_closed = True
                left = self.lanes.remove_batch(batch)
                for _ in left:
                    batch.one_started()
                self.recorder.release(left)
                log.warning("notifier.lock_window_closed", not_started=len(left))
                try:
                    await asyncio.wait_for(batch.all_started.wait(), timeout=1.5)
                except TimeoutError:
                    pass
        finally:
            batch.released = True
            try:
                await db.unlock(batch.session)
                self.lock_dbs.append(batch.session)
            except Exception as exc:
                log.warning("notifier.unlock_failed", error=type(exc).__name__)
                await batch.session.close()

    async def transactional(self) -> None:
        while not self.rt.stop.is_set():
            try:
                while not self.rt.stop.is_set():
                    items = await self._items(await db.claim(self.tx_db, bulk=False, limit=self.batch_size,
                                                             lease_seconds=self.lease), bulk=False)
                    if not items:
                        break
                    for item in items:
                        self.lanes.put(item)
                    await self.limiter.force(len(items))
            except Exception as exc:
                log.warning("notifier.claim_failed", error=type(exc).__name__, lane="transactional")
            await self.rt.sleep(self.poll, self.tx_wake)
            self.tx_wake.clear()

    async def listener(self) -> None:
        """Wake the transactional feeder when a transactional message is committed (NOTIFY)."""
        delay = 1.0
        while not self.rt.stop.is_set():
            try:
                async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {outbox.NOTIFY_CHANNEL}")
                    delay = 1.0
                    while not self.rt.stop.is_set():
                        async for _ in conn.notifies(timeout=1.0):
                            self.tx_wake.set()
            except Exception as exc:
                log.warning("notifier.listen_failed", error=type(exc).__name__)
                await self.rt.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def wait_let_go(self) -> None:
        """Every batch's lock let go (after the senders stopped)."""
        if self.let_go_tasks:
            await asyncio.wait(list(self.let_go_tasks), timeout=self.window + 5)

    async def close(self) -> None:
        for conn in (self.bulk_db, self.tx_db, *self.lock_dbs):
            await conn.close()
