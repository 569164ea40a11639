"""Dedup tasks: thin shells around domain functions, on the bulk queue."""

from __future__ import annotations

from celery import shared_task

from shared.dedup.service import check_job, run_dedup_job
from shared.jobs.kinds import QUEUE_BULK
from shared.jobs.runner import run_job


@shared_task(name="dedup.run", queue=QUEUE_BULK)
def run(job_id: str) -> str:
    return run_job(job_id, run_dedup_job)


@shared_task(name="dedup.check", queue=QUEUE_BULK)
def check(job_id: str) -> str:
    return run_job(job_id, check_job)
