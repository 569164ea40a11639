"""Campaign tasks: thin shells around domain functions."""

from __future__ import annotations

from celery import shared_task

from shared.campaigns.audience import run_build_audience
from shared.campaigns.service import complete_finished
from shared.db import session_scope
from shared.jobs.kinds import QUEUE_BULK, QUEUE_SYSTEM
from shared.jobs.runner import run_job


@shared_task(name="campaigns.build_audience", queue=QUEUE_BULK)
def build_audience(job_id: str) -> str:
    """Write one outbox row per recipient (safe to deliver twice: the job row and the
    campaign's `audience_built_at` decide)."""
    return run_job(job_id, run_build_audience)


@shared_task(name="campaigns.complete", queue=QUEUE_SYSTEM)
def complete() -> int:
    """Campaigns with nothing left to send become completed (beat)."""
    with session_scope() as session:
        return complete_finished(session)
