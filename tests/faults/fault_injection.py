"""The faults, one at a time. Each takes the system, the round's random generator and the
workload, does its damage, puts things back (restarts what it killed, ends what it started) and
returns a line for the round's log. What the system is expected to do about each is in
tests/faults/README.md."""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable

import redis

from fault_harness import FaultSystem
from fault_workload import Workload
from support import wait_until


def kill_worker_child(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    name = rng.choice(system.workers)
    children = wait_until(lambda: system.services.pool_children(name), timeout=30,
                          message="the worker's pool child")
    child = rng.choice(children)
    os.kill(child.pid, signal.SIGKILL)
    return f"kill -9 {name}'s pool child {child.pid}"


def kill_worker(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    name = rng.choice(system.workers)
    system.services.kill9(name)
    time.sleep(rng.uniform(0.2, 1.5))
    system.services.start(name)
    return f"kill -9 {name} (main and pool), restarted"


def kill_notifier(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    system.services.kill9("notifier")
    time.sleep(rng.uniform(0.2, 1.5))
    system.services.start("notifier")
    return "kill -9 notifier, restarted"


def kill_beat(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    system.services.kill9("beat")
    time.sleep(rng.uniform(0.2, 1.5))
    system.services.start("beat")
    return "kill -9 beat, restarted"


def redis_flush(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    redis.Redis.from_url(system.redis.url).flushall()
    return "FLUSHALL: every queued message gone"


def redis_outage(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    down = rng.uniform(1.0, 3.0)
    system.stop_redis(wipe=True)
    time.sleep(down)
    system.start_redis()
    return f"Redis stopped, its data removed, started empty after {down:.1f}s"


def postgres_restart(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    down = rng.uniform(0.5, 2.0)
    system.restart_postgres(down)
    return f"PostgreSQL stopped (fast: sessions cut) and started after {down:.1f}s"


def _smtp(mode: str) -> Callable[[FaultSystem, random.Random, Workload], str]:
    def fault(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
        lasting = rng.uniform(1.5, 3.5)
        system.smtp.mode = mode
        time.sleep(lasting)
        system.smtp.mode = "ok"
        return f"SMTP {mode} for {lasting:.1f}s"

    fault.__name__ = f"smtp_{mode}"
    return fault


def partner_failing(system: FaultSystem, rng: random.Random, workload: Workload) -> str:
    lasting = rng.uniform(1.0, 3.0)
    system.partner.failing = True
    workload.transfer()  # a transfer that meets the failing partner
    time.sleep(lasting)
    system.partner.failing = False
    return f"partner endpoint answering 503 for {lasting:.1f}s (a transfer started meanwhile)"


FAULTS: dict[str, Callable[[FaultSystem, random.Random, Workload], str]] = {
    "kill_worker_child": kill_worker_child,
    "kill_worker": kill_worker,
    "kill_notifier": kill_notifier,
    "kill_beat": kill_beat,
    "redis_flush": redis_flush,
    "redis_outage": redis_outage,
    "postgres_restart": postgres_restart,
    "smtp_refuse": _smtp("refuse"),
    "smtp_reset": _smtp("reset"),
    "smtp_stall": _smtp("stall"),
    "partner_failing": partner_failing,
}

# A short round takes one fault of each kind first, so that even five faults touch every part.
GROUPS = {
    "process": ("kill_worker_child", "kill_worker", "kill_notifier", "kill_beat"),
    "redis": ("redis_flush", "redis_outage"),
    "postgres": ("postgres_restart",),
    "smtp": ("smtp_refuse", "smtp_reset", "smtp_stall"),
    "partner": ("partner_failing",),
}


def choose_faults(rng: random.Random, count: int | None) -> list[str]:
    """`count` faults (every fault when None): one of each group first, then the others, in a seeded order."""
    first = [rng.choice(names) for names in GROUPS.values()]
    rest = sorted(set(FAULTS) - set(first))
    rng.shuffle(first)
    rng.shuffle(rest)
    chosen = (first + rest)[: len(FAULTS) if count is None else count]
    rng.shuffle(chosen)
    return chosen
