"""The one registry of background work: every job kind with its queue and its handler, and every
periodic task beat runs. The API (shared/jobs/service.py `create_job` takes the queue from here),
the worker (services/worker/tasks.py makes one Celery task per entry) and beat
(shared/jobs/broker.py builds the schedule from PERIODIC) all read it; nothing else names a queue.

A job kind is also the name of the Celery task that runs it, so the API enqueues work by name
without importing worker code. Handlers are named as "module:function" and imported only by the
worker, so this module imports no domain package (which would import it back through
`create_job`). tests/shared/jobs/test_job_registry.py fails when a kind has no handler or a handler
no kind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery.schedules import crontab

QUEUE_DEFAULT = "default"  # short interactive jobs (exports, erasures of one person)
QUEUE_BULK = "bulk"  # long batch jobs (imports, dedup runs, transfers, retention sweeps)
QUEUE_SYSTEM = "system"  # housekeeping: the reconciler and the other periodic tasks
ALL_QUEUES = (QUEUE_DEFAULT, QUEUE_BULK, QUEUE_SYSTEM)

# The kinds, by name: use these constants, never the string.
SELFTEST = "system.selftest"
IMPORT = "imports.run"
BUILD_AUDIENCE = "campaigns.build_audience"
COUNT_AUDIENCE = "campaigns.count_audience"
DEDUP_RUN = "dedup.run"
DEDUP_CHECK = "dedup.check"
TRANSFER = "transfers.run"
RETENTION_SWEEP = "retention.sweep"
EXPORT = "subject_requests.export"
ERASE = "subject_requests.erase"

RECONCILE_TASK = "jobs.reconcile"


def _load(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class JobKind:
    """A kind of job row: its queue, and the handler `(session, JobContext) -> result` the worker
    runs for it (shared/jobs/runner.py `run_job`)."""

    name: str
    queue: str
    handler: str  # "module:function"
    doc: str

    def load(self) -> Callable[..., Any]:
        return _load(self.handler)


@dataclass(frozen=True)
class Periodic:
    """A task beat starts on a schedule: `handler(session)`, committed by the task. No job row."""

    name: str
    handler: str  # "module:function"
    every: float | crontab | str  # seconds, a crontab, or the name of the setting that holds the seconds
    expires: float | None  # seconds: a message not picked up by then is dropped; None: 4 × every
    doc: str
    queue: str = QUEUE_SYSTEM

    def load(self) -> Callable[..., Any]:
        return _load(self.handler)


JOBS: dict[str, JobKind] = {kind.name: kind for kind in (
    JobKind(SELFTEST, QUEUE_DEFAULT, "shared.system.service:selftest", "the self-test job"),
    JobKind(IMPORT, QUEUE_BULK, "shared.imports.service:run_import_job", "a CSV import"),
    JobKind(BUILD_AUDIENCE, QUEUE_BULK, "shared.campaigns.audience:run_build_audience",
            "a campaign's outbox rows"),
    JobKind(COUNT_AUDIENCE, QUEUE_DEFAULT, "shared.campaigns.audience:run_count_audience",
            "who a campaign would reach and leave out, counted before it starts"),
    JobKind(DEDUP_RUN, QUEUE_BULK, "shared.dedup.service:run_dedup_job", "a full duplicate search"),
    JobKind(DEDUP_CHECK, QUEUE_BULK, "shared.dedup.service:check_job", "the incremental duplicate check"),
    JobKind(TRANSFER, QUEUE_BULK, "shared.transfers.service:run_transfer_job",
            "a transfer to a partner (or its Art. 19 follow-ups)"),
    JobKind(RETENTION_SWEEP, QUEUE_BULK, "shared.retention.sweep:run_sweep_job", "a retention sweep"),
    JobKind(EXPORT, QUEUE_DEFAULT, "shared.subject_requests.access_export:build_access_export",
            "the answer to an access request"),
    JobKind(ERASE, QUEUE_DEFAULT, "shared.subject_requests.erasure:run_erasure", "an erasure"),
)}

PERIODIC: dict[str, Periodic] = {task.name: task for task in (
    Periodic(RECONCILE_TASK, "shared.jobs.periodic:reconcile", every="reconcile_interval_seconds", expires=None,
             doc="make Redis match the pending job rows"),
    Periodic("retention.schedule", "shared.jobs.periodic:schedule_retention_sweep",
             every=crontab(hour=2, minute=30), expires=3600, doc="queue the nightly retention sweep"),
    Periodic("transfers.followups", "shared.jobs.periodic:schedule_partner_followups", every=900.0, expires=600,
             doc="queue the delivery of pending Art. 19 notices"),
    Periodic("campaigns.complete", "shared.jobs.periodic:complete_campaigns", every=60.0, expires=50,
             doc="mark campaigns with nothing left to send completed"),
    Periodic("subject_requests.remind", "shared.jobs.periodic:remind_due_requests", every=3600.0, expires=1800,
             doc="remind the privacy role of requests near their deadline"),
)}

# kind -> queue (tests may add a kind here for a moment).
JOB_KINDS: dict[str, str] = {kind.name: kind.queue for kind in JOBS.values()}


def queue_for(kind: str) -> str:
    try:
        return JOB_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown job kind {kind!r}") from None
