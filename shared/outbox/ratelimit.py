"""Sending rate limits that hold across restarts and across notifiers: token buckets stored in
PostgreSQL (`outbox_rate_buckets`), taken from atomically.

A limit "N per second / minute / hour" is a bucket of capacity N refilled at N per period. One
bucket per limit: the global ones (`global:second`, …) and one set per SMTP server
(`smtp:HOST:PORT:second`, …). Taking tokens locks the rows of every bucket that applies (in key
order, so two notifiers never deadlock), refills each by the time passed on the database's clock,
grants what all of them allow (up to what was asked) and subtracts it from each.

Bulk mail takes only what is there and waits for the rest. Transactional mail is never held
back by a limit: it `force`s its tokens, which may take a bucket below zero so that the
campaign behind it waits a little longer instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


@dataclass(frozen=True)
class Limit:
    key: str
    capacity: float
    refill_per_second: float


def limits(*, scope: str, per_second: float | None = None, per_minute: float | None = None,
           per_hour: float | None = None) -> list[Limit]:
    """The buckets for the limits that are set (None or 0: no limit)."""
    out = []
    for period, value in (("second", per_second), ("minute", per_minute), ("hour", per_hour)):
        if value:
            out.append(Limit(f"{scope}:{period}", float(value), float(value) / PERIODS[period]))
    return out


@dataclass(frozen=True)
class Grant:
    granted: int
    wait_seconds: float  # how long until at least one more token is there (0 if granted)


_LOCK = text("""
    INSERT INTO outbox_rate_buckets (key, capacity, refill_per_second, tokens, updated_at)
    SELECT k, c, r, c, clock_timestamp()
    FROM unnest(CAST(:keys AS varchar[]), CAST(:caps AS float8[]), CAST(:rates AS float8[])) AS t(k, c, r)
    ON CONFLICT (key) DO UPDATE SET capacity = EXCLUDED.capacity, refill_per_second = EXCLUDED.refill_per_second
""")
_READ = text("""
    SELECT key, LEAST(capacity, tokens + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - updated_at))
                                          * refill_per_second) AS available, refill_per_second
    FROM outbox_rate_buckets WHERE key = ANY(CAST(:keys AS varchar[])) ORDER BY key FOR UPDATE
""")
_TAKE = text("""
    UPDATE outbox_rate_buckets b SET tokens = t.available - :n, updated_at = clock_timestamp()
    FROM unnest(CAST(:keys AS varchar[]), CAST(:available AS float8[])) AS t(k, available)
    WHERE b.key = t.k
""")


def take(session: Session, *, buckets: list[Limit], want: int, force: bool = False) -> Grant:
    """Take up to `want` tokens from every bucket at once (all of `want` if `force`)."""
    if not buckets or want <= 0:
        return Grant(max(want, 0), 0.0)
    keys = sorted({b.key for b in buckets})
    by_key = {b.key: b for b in buckets}
    session.execute(_LOCK, {"keys": keys, "caps": [by_key[k].capacity for k in keys],
                            "rates": [by_key[k].refill_per_second for k in keys]})
    rows = session.execute(_READ, {"keys": keys}).all()
    available = {key: float(avail) for key, avail, _ in rows}
    if force:
        granted = want
    else:
        granted = max(0, min(want, *(math.floor(a + 1e-9) for a in available.values())))
    if granted:
        session.execute(_TAKE, {"n": granted, "keys": list(available), "available": list(available.values())})
        return Grant(granted, 0.0)
    wait = max((1 - available[key]) / rate for key, _, rate in rows if available[key] < 1 and rate > 0)
    return Grant(0, max(wait, 0.001))


def give_back(session: Session, *, buckets: list[Limit], n: int) -> None:
    """Return tokens taken for messages that were not sent after all (never above capacity)."""
    if not buckets or n <= 0:
        return
    session.execute(text("""
        UPDATE outbox_rate_buckets SET tokens = LEAST(capacity, tokens + :n)
        WHERE key = ANY(CAST(:keys AS varchar[]))
    """), {"n": n, "keys": sorted({b.key for b in buckets})})
