"""The worker's tasks, one per entry of the registry (shared/jobs/kinds.py): a job kind's task
runs one attempt of its job row (`run_job`: claim, heartbeat, call the handler, record the
outcome; delivered twice, the job row decides); a periodic task calls its handler in one
transaction. Thin shells: the handlers are domain functions."""

from __future__ import annotations

from typing import Any

from celery import Celery

from shared.db import session_scope
from shared.jobs.kinds import JOBS, PERIODIC, JobKind, Periodic
from shared.jobs.runner import run_job


def _job_task(app: Celery, kind: JobKind) -> None:
    handler = kind.load()

    def run(job_id: str) -> str:
        return run_job(job_id, handler)

    run.__doc__ = f"One attempt of a {kind.name} job: {kind.doc}."
    app.task(name=kind.name)(run)  # its queue: task_routes (shared/jobs/broker.py)


def _periodic_task(app: Celery, task: Periodic) -> None:
    handler = task.load()

    def run() -> Any:
        with session_scope() as session:
            return handler(session)

    run.__doc__ = f"From beat: {task.doc}."
    app.task(name=task.name)(run)


def register(app: Celery) -> None:
    """Every job kind's and every periodic task's Celery task, on `app`."""
    for kind in JOBS.values():
        _job_task(app, kind)
    for task in PERIODIC.values():
        _periodic_task(app, task)
