"""The notifier's moving parts: the two-lane queue, a locked batch, the group-committed
hand-over mark, the circuit breaker and the shared rate limiter."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from shared.outbox.service import ClaimedEmail

log = structlog.get_logger("rekisteri.notifier")


@dataclass(eq=False)
class Item:
    """One message on its way: the claim, its final bytes, and the locked batch it belongs to
    (None for transactional mail, which no lock ever holds back)."""

    claimed: ClaimedEmail
    data: bytes | None = None  # built by the sender right before it goes (spreads the work)
    batch: Batch | None = None
    mail_at: datetime | None = None  # when the server answered MAIL FROM
    handed_over: bool = False  # its hand-over mark is durable: from here on, never sent again blindly


class Batch:
    """A batch of bulk mail whose contacts are share-locked in `session`'s open transaction until
    every SMTP transaction of the batch has started (or the window closes)."""

    def __init__(self, session: Any, size: int, *, window_seconds: float):
        self.session = session
        self.remaining = size
        self.deadline = time.monotonic() + window_seconds
        self.all_started = asyncio.Event()
        self.window_closed = False  # no new MAIL FROM for this batch
        self.released = False  # the lock is gone: a MAIL FROM answered now must not go on
        if size == 0:
            self.all_started.set()

    def one_started(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.all_started.set()

    def start_timeout(self) -> float:
        """How long connecting and MAIL FROM may take: until the window closes, plus a second."""
        return max(0.5, self.deadline - time.monotonic() + 1.0)


class Lanes:
    """Transactional mail first, always; bulk after it, in claim order."""

    def __init__(self):
        self.tx: deque[Item] = deque()
        self.bulk: deque[Item] = deque()
        self._ready = asyncio.Event()
        self._low = asyncio.Event()
        self.low_water = 0

    def put(self, item: Item) -> None:
        (self.bulk if item.batch is not None else self.tx).append(item)
        self._ready.set()

    async def get(self) -> Item:
        while True:
            if self.tx:
                return self.tx.popleft()
            if self.bulk:
                item = self.bulk.popleft()
                if len(self.bulk) <= self.low_water:
                    self._low.set()
                return item
            self._ready.clear()
            self._low.set()
            await self._ready.wait()

    async def wait_low(self) -> None:
        """Until the bulk lane is short enough that the next batch may be locked."""
        while len(self.bulk) > self.low_water:
            self._low.clear()
            await self._low.wait()

    def remove_batch(self, batch: Batch) -> list[Item]:
        mine = [item for item in self.bulk if item.batch is batch]
        if mine:
            self.bulk = deque(item for item in self.bulk if item.batch is not batch)
        return mine

    def drain(self) -> list[Item]:
        items = [*self.tx, *self.bulk]
        self.tx.clear()
        self.bulk.clear()
        return items

    def wake(self) -> None:
        self._ready.set()
        self._low.set()


class Handover:
    """Group commit of hand-over marks: every sender waiting right before DATA is answered by the
    same UPDATE + COMMIT, and the next group forms while one is being written."""

    def __init__(self, write: Callable[[list[tuple[uuid.UUID, uuid.UUID | None]]], Any]):
        self._write = write  # async: held -> set of ids still held
        self._pending: dict[uuid.UUID, tuple[uuid.UUID | None, asyncio.Future]] = {}
        self._wake = asyncio.Event()
        self._closed = False
        self.groups = 0

    async def mark(self, claimed: ClaimedEmail) -> bool:
        future = asyncio.get_running_loop().create_future()
        self._pending[claimed.id] = (claimed.lease_token, future)
        self._wake.set()
        return await future

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            group, self._pending = self._pending, {}
            if not group:
                if self._closed:
                    return
                continue
            try:
                held = await self._write([(i, token) for i, (token, _) in group.items()])
            except Exception as exc:  # the database is away: nothing is sent without the mark
                log.warning("notifier.handover_failed", error=type(exc).__name__, messages=len(group))
                held = set()
            self.groups += 1
            for i, (_, future) in group.items():
                if not future.done():
                    future.set_result(i in held)

    def close(self) -> None:
        self._closed = True
        self._wake.set()


class Breaker:
    """When the SMTP server cannot be reached, stop trying for a while (growing, with jitter)
    instead of spending every queued message's attempts on it."""

    def __init__(self, *, first: float = 1.0, most: float = 30.0):
        self.first, self.most = first, most
        self.failures = 0
        self.until = 0.0

    def open_for(self) -> float:
        return max(0.0, self.until - time.monotonic())

    def trip(self) -> None:
        self.failures += 1
        delay = min(self.most, self.first * 2 ** (self.failures - 1))
        self.until = time.monotonic() + delay / 2 + random.uniform(0, delay / 2)
        if self.failures == 1:
            log.warning("notifier.smtp_unreachable", retry_in=round(self.open_for(), 2))

    def reset(self) -> None:
        if self.failures:
            log.info("notifier.smtp_reachable_again", after_failures=self.failures)
        self.failures, self.until = 0, 0.0


@dataclass
class Limiter:
    """The database's token buckets, asked once per batch (nothing is asked without limits)."""

    buckets: list
    take: Callable  # async (want, force) -> Grant
    give_back: Callable  # async (n) -> None
    waited: float = field(default=0.0)

    async def acquire(self, want: int, stop: asyncio.Event) -> int:
        if not self.buckets:
            return want
        while not stop.is_set():
            grant = await self.take(want, False)
            if grant.granted:
                return grant.granted
            pause = min(grant.wait_seconds, 1.0)
            self.waited += pause
            try:
                await asyncio.wait_for(stop.wait(), timeout=pause)
            except TimeoutError:
                pass
        return 0

    async def force(self, n: int) -> None:
        if self.buckets and n:
            await self.take(n, True)

    async def unused(self, n: int) -> None:
        if self.buckets and n > 0:
            await self.give_back(n)
