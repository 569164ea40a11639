"""The Celery configuration every process shares, and publishing a job's wake-up message.

The worker builds its app from `make_celery`; the API and the reconciler only publish by task
name. Delivery is at-least-once (acks late, reject on worker lost, prefetch 1): the job row's
claim, not the message, decides who runs a job.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import structlog
from celery import Celery
from kombu import Exchange, Queue

from shared.jobs.kinds import ALL_QUEUES, JOBS, PERIODIC, QUEUE_DEFAULT, Periodic
from shared.settings import Settings, get_settings

log = structlog.get_logger(__name__)


def _beat_entry(task: Periodic, settings: Settings) -> dict[str, Any]:
    every = getattr(settings, task.every) if isinstance(task.every, str) else task.every
    expires = task.expires if task.expires is not None else every * 4
    return {"task": task.name, "schedule": every, "options": {"queue": task.queue, "expires": expires}}


def celery_config(settings: Settings) -> dict[str, Any]:
    transport = {"visibility_timeout": settings.celery_visibility_timeout}
    return {
        "broker_url": settings.require_redis_url(),
        "broker_transport_options": transport,
        "broker_connection_retry_on_startup": True,
        "task_ignore_result": True,
        "result_backend": None,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_send_task_events": True,
        "task_send_sent_event": True,
        "worker_hijack_root_logger": False,
        "task_default_queue": QUEUE_DEFAULT,
        "task_queues": [Queue(name, Exchange(name, type="direct"), routing_key=name) for name in ALL_QUEUES],
        "task_routes": {entry.name: {"queue": entry.queue} for entry in (*JOBS.values(), *PERIODIC.values())},
        "timezone": "UTC",
        "enable_utc": True,
        "beat_schedule": {task.name: _beat_entry(task, settings) for task in PERIODIC.values()},
    }


def make_celery(name: str = "rekisteri", settings: Settings | None = None) -> Celery:
    app = Celery(name)
    app.conf.update(celery_config(settings or get_settings()))
    return app


@lru_cache
def publisher() -> Celery:
    """A Celery app used only to publish messages (the API, the reconciler)."""
    return make_celery("rekisteri-publisher")


def publish_job(*, job_id: str, kind: str, queue: str, request_id: str | None) -> bool:
    """Send the wake-up for a job. False (logged) if the broker is unreachable: the reconciler
    will send it again, because the row is still pending."""
    try:
        publisher().send_task(
            kind,
            args=[job_id],
            queue=queue,
            headers={"request_id": request_id} if request_id else None,
            retry=False,
        )
        return True
    except Exception as exc:  # broker down: the database row keeps the job
        log.warning("job.publish_failed", job_id=job_id, kind=kind, error=type(exc).__name__)
        return False
