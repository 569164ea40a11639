"""The Celery app of the worker and beat. Run with `rekisteri worker` / `rekisteri beat`."""

from __future__ import annotations

import sys

from celery import signals

from services.worker import tasks
from shared.db import get_engine
from shared.jobs.broker import make_celery
from shared.logging import configure_logging
from shared.settings import get_settings

settings = get_settings()
app = make_celery("rekisteri")
app.conf.beat_scheduler = "services.worker.beat:RecoveringScheduler"  # a damaged schedule file is started afresh
tasks.register(app)  # one task per entry of shared/jobs/kinds.py


@signals.setup_logging.connect
def _setup_logging(**_kwargs) -> None:
    service = "beat" if "beat" in sys.argv else "worker"
    configure_logging(service=service, level=settings.log_level, fmt=settings.effective_log_format)


@signals.worker_process_init.connect
def _fresh_connections_after_fork(**_kwargs) -> None:
    """A forked pool child must not share the parent's database connections."""
    if get_engine.cache_info().currsize:
        get_engine().dispose(close=False)


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **_kwargs) -> None:
    """Tasks sent from a worker carry on the request id they were started with."""
    import structlog

    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


@signals.task_prerun.connect
def _bind_request_id(task=None, task_id=None, **_kwargs) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()
    request_id = getattr(task.request, "request_id", None) if task else None
    structlog.contextvars.bind_contextvars(task_id=task_id, task_name=task.name if task else None)
    if request_id:
        structlog.contextvars.bind_contextvars(request_id=request_id)


@signals.task_postrun.connect
def _unbind(**_kwargs) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()
