"""The fault suite's options: `pytest tests/faults --long` runs many rounds (so does
REKISTERI_FAULT_ROUNDS=N); REKISTERI_FAULT_SEED=N replays a round."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

LONG_ROUNDS = 10


@dataclass(frozen=True)
class FaultPlan:
    seed: int  # the first round's; round i runs with seed + i
    rounds: int
    faults_per_round: int | None  # None: every fault once, in a seeded order
    audience: int
    workers: int


@pytest.fixture(scope="session")
def fault_plan(request: pytest.FixtureRequest) -> FaultPlan:
    long = bool(request.config.getoption("--long", default=False))
    rounds = int(os.environ.get("REKISTERI_FAULT_ROUNDS", LONG_ROUNDS if long else 1))
    given = os.environ.get("REKISTERI_FAULT_COUNT")
    count = int(given) if given else (None if long or rounds > 1 else 5)
    return FaultPlan(seed=int(os.environ.get("REKISTERI_FAULT_SEED", "8")), rounds=rounds,
                     faults_per_round=count, audience=int(os.environ.get("REKISTERI_FAULT_AUDIENCE", "300")),
                     workers=int(os.environ.get("REKISTERI_FAULT_WORKERS", 2 if long or rounds > 1 else 1)))
