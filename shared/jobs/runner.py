"""Running one attempt of a job: claim, heartbeat, call the domain function, record the outcome.

Celery tasks are thin shells around `run_job`. It is safe to call twice for the same job:
the second call finds the job claimed or finished and returns at once.

A handler that fails raises. Any exception is retried with a backoff until the job's attempts
are used up; a `PermanentJobError` says that no retry can fix it (a file that cannot be read, a
campaign whose audience cannot be built): the job fails at once, its error saying why.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlmodel import Session

from shared.db import session_scope
from shared.jobs import service
from shared.settings import get_settings

log = structlog.get_logger(__name__)


@dataclass
class JobContext:
    """What a domain function gets to know about the job it is running for."""

    job_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    attempt: int
    request_id: str | None
    _progress: list[int] = field(default_factory=lambda: [0])

    def report_progress(self, percent: int) -> None:
        """Published with the next heartbeat (no extra transaction)."""
        self._progress[0] = percent


class PermanentJobError(Exception):
    """Raised by a job handler: this job fails for good, now, without another attempt; the
    message (no personal data) becomes the job's error."""


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class _Heartbeat(threading.Thread):
    def __init__(self, ctx: JobContext, worker: str, lease_seconds: int):
        super().__init__(daemon=True, name=f"heartbeat-{ctx.job_id}")
        self.ctx, self.worker, self.lease_seconds = ctx, worker, lease_seconds
        self.stopped = threading.Event()
        self.lost = threading.Event()

    def run(self) -> None:
        interval = max(0.5, self.lease_seconds / 3)
        while not self.stopped.wait(interval):
            try:
                with session_scope() as session:
                    ours = service.extend_lease(
                        session, job_id=self.ctx.job_id, worker=self.worker,
                        lease_seconds=self.lease_seconds, progress=self.ctx._progress[0],
                    )
                if not ours:
                    self.lost.set()
                    return
            except Exception as exc:  # database blip: the next beat tries again
                log.warning("job.heartbeat_failed", job_id=str(self.ctx.job_id), error=type(exc).__name__)


def _backoff(attempt: int) -> float:
    base = get_settings().job_retry_backoff_seconds
    return min(base * (2 ** (attempt - 1)), 3600.0)


def run_job(job_id: str | uuid.UUID, handler: JobHandler) -> str:
    """Run one attempt of the job with this id. Returns what happened, for logs and tests."""
    settings = get_settings()
    job_uuid = uuid.UUID(str(job_id))
    worker = worker_identity()
    with session_scope() as session:
        job = service.claim_job(
            session, job_id=job_uuid, worker=worker, lease_seconds=settings.job_lease_seconds
        )
        if job is None:
            log.info("job.skipped", job_id=str(job_uuid), reason="not claimable")
            return "skipped"
        ctx = JobContext(job.id, job.kind, dict(job.payload), job.attempts, job.request_id)
    log.info("job.started", job_id=str(job_uuid), kind=ctx.kind, attempt=ctx.attempt)

    heartbeat = _Heartbeat(ctx, worker, settings.job_lease_seconds)
    heartbeat.start()
    try:
        with session_scope() as session:
            result = handler(session, ctx)
            if heartbeat.lost.is_set():
                raise service.LeaseLost(str(job_uuid))
            service.complete_job(session, job_id=job_uuid, worker=worker, result=result)
    except service.LeaseLost:
        log.warning("job.lease_lost", job_id=str(job_uuid), kind=ctx.kind)
        return "lease_lost"
    except Exception as exc:
        with session_scope() as session:
            status = service.fail_job(
                session, job_id=job_uuid, worker=worker,
                error=f"{type(exc).__name__}: {exc}", backoff=_backoff,
                permanent=isinstance(exc, PermanentJobError),
            )
        log.exception("job.failed", job_id=str(job_uuid), kind=ctx.kind, next_status=str(status))
        return "failed"
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=5)
    log.info("job.succeeded", job_id=str(job_uuid), kind=ctx.kind, attempt=ctx.attempt)
    return "succeeded"
