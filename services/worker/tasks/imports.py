"""Import tasks: thin shells around domain functions."""

from __future__ import annotations

from celery import shared_task

from shared.imports.service import run_import_job
from shared.jobs.kinds import QUEUE_BULK
from shared.jobs.runner import run_job


@shared_task(name="imports.run", queue=QUEUE_BULK)
def run(job_id: str) -> str:
    return run_job(job_id, run_import_job)
