"""The one registry of background work (shared/jobs/kinds.py): every kind has a handler, every
handler a kind, and the worker and beat are built from it alone."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import Session

from shared.jobs import kinds
from shared.jobs.broker import celery_config
from shared.jobs.runner import PermanentJobError, run_job
from shared.jobs.service import get_job
from shared.models import Job, JobEvent, JobStatus
from shared.settings import Settings

SHARED = Path(__file__).resolve().parents[3] / "shared"


def job_handlers_in_the_domain() -> set[str]:
    """Every function in shared/ that takes a JobContext: "module:function"."""
    found = set()
    for path in SHARED.rglob("*.py"):
        tree = ast.parse(path.read_text())
        module = ".".join(path.relative_to(SHARED.parent).with_suffix("").parts)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(a.annotation, ast.Name) and a.annotation.id == "JobContext" for a in node.args.args):
                found.add(f"{module}:{node.name}")
    return found


def test_every_kind_has_a_handler_and_every_handler_a_kind():
    for entry in [*kinds.JOBS.values(), *kinds.PERIODIC.values()]:
        assert callable(entry.load()), entry.name
        assert entry.queue in kinds.ALL_QUEUES, entry.name
    registered = {kind.handler for kind in kinds.JOBS.values()}
    assert job_handlers_in_the_domain() == registered
    assert not set(kinds.JOBS) & set(kinds.PERIODIC)


def test_the_worker_and_beat_are_built_from_the_registry():
    config = celery_config(Settings(_env_file=None, redis_url="redis://localhost:1/0"))
    assert {entry["task"] for entry in config["beat_schedule"].values()} == set(kinds.PERIODIC)
    assert all(entry["options"]["queue"] == kinds.QUEUE_SYSTEM for entry in config["beat_schedule"].values())
    from celery import Celery

    from services.worker import tasks

    app = Celery("registry-test")
    tasks.register(app)
    assert set(kinds.JOBS) | set(kinds.PERIODIC) <= set(app.tasks)
    routes = {name: route["queue"] for name, route in config["task_routes"].items()}
    assert routes == {**kinds.JOB_KINDS, **{name: task.queue for name, task in kinds.PERIODIC.items()}}


def test_a_permanent_failure_stops_at_once_and_says_why(engine):
    """A handler raising PermanentJobError: the job fails on its first attempt, with the reason;
    any other exception is retried."""
    calls = []

    def refuses(session, ctx):
        calls.append(ctx.attempt)
        raise PermanentJobError("the audience cannot be built: every list is gone")

    def flaky(session, ctx):
        raise RuntimeError("the network blinked")

    with Session(engine, expire_on_commit=False) as session:  # rows only: no wake-up is published
        permanent, retried = (Job(kind=kinds.SELFTEST, queue=kinds.QUEUE_DEFAULT, payload={}) for _ in range(2))
        session.add_all([permanent, retried])
        session.commit()
    try:
        assert run_job(permanent.id, refuses) == "failed"
        assert run_job(retried.id, flaky) == "failed"
        with Session(engine) as session:
            job = get_job(session, job_id=permanent.id)
            assert job.status == JobStatus.failed and job.attempts == 1 < job.max_attempts
            assert job.error == "PermanentJobError: the audience cannot be built: every list is gone"
            assert get_job(session, job_id=retried.id).status == JobStatus.pending  # an ordinary failure retries
        assert calls == [1]
    finally:
        with Session(engine) as session:
            session.execute(delete(JobEvent).where(JobEvent.job_id.in_([permanent.id, retried.id])))
            session.execute(delete(Job).where(Job.id.in_([permanent.id, retried.id])))
            session.commit()


def test_kind_names_are_constants_used_by_name():
    """Every kind has its constant; no module but the registry spells a kind out."""
    constants = [getattr(kinds, attr) for attr in dir(kinds) if attr.isupper()]
    assert all(name in constants for name in kinds.JOBS)
    spelled = [f"{path.relative_to(SHARED.parent)}: {name}" for path in [*SHARED.rglob("*.py"),
               *(SHARED.parent / "services").rglob("*.py")] if path.name != "kinds.py"
               for name in kinds.JOBS if f'"{name}"' in path.read_text()]
    assert not spelled, spelled
