"""What every part of the notifier shares: the stop signal, an interruptible sleep, and a small
thread pool with Sessions for the rare database paths (failures, housekeeping, rate limits,
auto-pause). The hot path uses its own asynchronous connections (services/notifier/db.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlmodel import Session

from shared.db import get_engine


class Runtime:
    def __init__(self, stop: asyncio.Event):
        self.stop = stop
        self.engine = get_engine()
        self.pool = ThreadPoolExecutor(2, thread_name_prefix="notifier-db")

    async def thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    async def sleep(self, seconds: float, event: asyncio.Event | None = None) -> None:
        """Sleep until `seconds` pass, the notifier stops, or `event` is set."""
        waiters = [asyncio.ensure_future(self.stop.wait())]
        if event is not None:
            waiters.append(asyncio.ensure_future(event.wait()))
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    def close(self) -> None:
        self.pool.shutdown(wait=False)
