"""Access requests: the export job, a thin shell around the domain handler."""

from __future__ import annotations

from celery import shared_task

from shared.jobs.kinds import QUEUE_DEFAULT
from shared.jobs.runner import run_job
from shared.subject_requests.access_export import build_access_export


@shared_task(name="subject_requests.export", queue=QUEUE_DEFAULT)
def export(job_id: str) -> str:
    """Build, store and mail the answer to one verified access request (idempotent)."""
    return run_job(job_id, build_access_export)
