"""Transfer tasks: a transfer or a round of follow-up notices runs as a job on the bulk queue."""

from __future__ import annotations

import structlog
from celery import shared_task

from shared.db import session_scope
from shared.jobs.kinds import QUEUE_BULK, QUEUE_SYSTEM
from shared.jobs.runner import run_job
from shared.transfers.service import run_transfer_job, schedule_followups

log = structlog.get_logger(__name__)


@shared_task(name="transfers.run", queue=QUEUE_BULK)
def run(job_id: str) -> str:
    """One attempt of a transfer job (safe to deliver twice: the job row and the transfer's status decide)."""
    return run_job(job_id, run_transfer_job)


@shared_task(name="transfers.followups", queue=QUEUE_SYSTEM)
def followups() -> str | None:
    """From beat: queue the delivery of pending Art. 19 notices, if any wait and none is queued."""
    with session_scope() as session:
        job = schedule_followups(session)
        job_id = str(job.id) if job else None
    if job_id:
        log.info("transfers.followups_scheduled", job_id=job_id)
    return job_id
