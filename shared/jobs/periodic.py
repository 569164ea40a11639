"""The periodic tasks beat starts (shared/jobs/kinds.py PERIODIC): each takes a session, calls
one domain function and says what it did. The worker's task commits."""

from __future__ import annotations

from datetime import timedelta

import redis
import structlog
from sqlmodel import Session

from shared.campaigns.service import complete_finished
from shared.jobs import service
from shared.retention.sweep import schedule_sweep
from shared.settings import get_settings
from shared.subject_requests.reminders import send_due_reminders
from shared.transfers.service import schedule_followups

log = structlog.get_logger(__name__)


def reconcile(session: Session) -> dict[str, int]:
    """Make Redis match what the database says is pending (jobs.reconcile)."""
    settings = get_settings()
    broker = redis.Redis.from_url(settings.require_redis_url(), socket_timeout=5)
    with broker:
        counts = service.reconcile(session, requeue_after=timedelta(seconds=settings.job_requeue_after_seconds),
                                   queue_is_empty=lambda queue: broker.llen(queue) == 0)
    if any(counts.values()):
        log.info("jobs.reconciled", **counts)
    return counts


def schedule_retention_sweep(session: Session) -> str:
    """Nightly: queue a sweep unless one is pending or running."""
    job_id = str(schedule_sweep(session, trigger="schedule").id)
    log.info("retention.scheduled", job_id=job_id)
    return job_id


def schedule_partner_followups(session: Session) -> str | None:
    """Queue the delivery of pending Art. 19 notices, if any wait and none is queued."""
    job = schedule_followups(session)
    if job is not None:
        log.info("transfers.followups_scheduled", job_id=str(job.id))
    return str(job.id) if job else None


def complete_campaigns(session: Session) -> int:
    """Campaigns with nothing left to send become completed."""
    return complete_finished(session)


def remind_due_requests(session: Session) -> int:
    """Remind the privacy role of subject requests near their deadline."""
    count = send_due_reminders(session)
    if count:
        log.info("subject_requests.reminded", count=count)
    return count
