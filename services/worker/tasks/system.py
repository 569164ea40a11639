"""System tasks: thin shells around domain functions."""

from __future__ import annotations

from celery import shared_task

from shared.jobs.kinds import QUEUE_DEFAULT
from shared.jobs.runner import run_job
from shared.system.service import selftest as selftest_job


@shared_task(name="system.selftest", queue=QUEUE_DEFAULT)
def selftest(job_id: str) -> str:
    return run_job(job_id, selftest_job)
