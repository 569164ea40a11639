"""System jobs that exercise the whole pipeline: API -> database -> Celery -> worker -> outbox."""

from __future__ import annotations

import time
from typing import Any

from sqlmodel import Session

from shared.jobs.runner import JobContext


def selftest(session: Session, ctx: JobContext) -> dict[str, Any]:
    """Wait `seconds` (reporting progress), then answer with the payload's `echo`."""
    seconds = float(ctx.payload.get("seconds", 0))
    steps = max(1, int(seconds * 10))
    for step in range(steps):
        time.sleep(seconds / steps)
        ctx.report_progress(int(100 * (step + 1) / steps))
    return {"echo": ctx.payload.get("echo"), "slept": seconds, "attempt": ctx.attempt}
