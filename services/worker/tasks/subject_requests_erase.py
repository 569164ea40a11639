"""The erasure task: a thin shell around the domain function."""

from __future__ import annotations

from celery import shared_task

from shared.jobs.kinds import QUEUE_DEFAULT
from shared.jobs.runner import run_job
from shared.subject_requests.erasure import run_erasure


@shared_task(name="subject_requests.erase", queue=QUEUE_DEFAULT)
def erase(job_id: str) -> str:
    """Run one attempt of an erasure job (safe to deliver twice: the job row decides)."""
    return run_job(job_id, run_erasure)
