"""Scheduled work of the privacy desk: thin shells around domain functions."""

from __future__ import annotations

import structlog
from celery import shared_task

from shared.db import session_scope
from shared.jobs.kinds import QUEUE_SYSTEM
from shared.subject_requests.reminders import send_due_reminders

log = structlog.get_logger(__name__)


@shared_task(name="subject_requests.remind", queue=QUEUE_SYSTEM)
def remind() -> int:
    with session_scope() as session:
        count = send_due_reminders(session)
    if count:
        log.info("subject_requests.reminded", count=count)
    return count
