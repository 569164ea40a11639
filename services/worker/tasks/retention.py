"""Retention tasks: the nightly schedule queues a sweep job; the job runs the sweep."""

from __future__ import annotations

import structlog
from celery import shared_task

from shared.db import session_scope
from shared.jobs.kinds import QUEUE_BULK, QUEUE_SYSTEM
from shared.jobs.runner import run_job
from shared.retention.sweep import run_sweep_job, schedule_sweep

log = structlog.get_logger(__name__)


@shared_task(name="retention.sweep", queue=QUEUE_BULK)
def sweep(job_id: str) -> str:
    """One attempt of a sweep job (safe to deliver twice: the job row decides)."""
    return run_job(job_id, run_sweep_job)


@shared_task(name="retention.schedule", queue=QUEUE_SYSTEM)
def schedule() -> str:
    """From beat, nightly: queue a sweep unless one is pending or running."""
    with session_scope() as session:
        job_id = str(schedule_sweep(session, trigger="schedule").id)
    log.info("retention.scheduled", job_id=job_id)
    return job_id
