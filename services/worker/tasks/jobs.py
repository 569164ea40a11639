"""The reconciler: makes Redis match what the database says is pending."""

from __future__ import annotations

from datetime import timedelta

import redis
import structlog
from celery import shared_task

from shared.db import session_scope
from shared.jobs import service
from shared.jobs.kinds import QUEUE_SYSTEM, RECONCILE_TASK
from shared.settings import get_settings

log = structlog.get_logger(__name__)


@shared_task(name=RECONCILE_TASK, queue=QUEUE_SYSTEM)
def reconcile() -> dict[str, int]:
    settings = get_settings()
    broker = redis.Redis.from_url(settings.require_redis_url(), socket_timeout=5)
    with broker, session_scope() as session:
        counts = service.reconcile(
            session,
            requeue_after=timedelta(seconds=settings.job_requeue_after_seconds),
            queue_is_empty=lambda queue: broker.llen(queue) == 0,
        )
    if any(counts.values()):
        log.info("jobs.reconciled", **counts)
    return counts
