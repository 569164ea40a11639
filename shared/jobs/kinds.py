"""Queues and the job kinds that run on them.

A job kind is also the name of the Celery task that runs it, so the API can enqueue work by
name without importing worker code.
"""

from __future__ import annotations

QUEUE_DEFAULT = "default"  # short interactive jobs (exports, erasures of one person)
QUEUE_BULK = "bulk"  # long batch jobs (imports, dedup runs, transfers, retention sweeps)
QUEUE_SYSTEM = "system"  # housekeeping: the reconciler
ALL_QUEUES = (QUEUE_DEFAULT, QUEUE_BULK, QUEUE_SYSTEM)

RECONCILE_TASK = "jobs.reconcile"

# kind -> queue. Every kind here has a task of the same name in services/worker/tasks/.
JOB_KINDS: dict[str, str] = {
    "system.selftest": QUEUE_DEFAULT,
    "imports.run": QUEUE_BULK,
    "campaigns.build_audience": QUEUE_BULK,
    "dedup.run": QUEUE_BULK,
    "dedup.check": QUEUE_BULK,
    "transfers.run": QUEUE_BULK,
    "retention.sweep": QUEUE_BULK,
    "subject_requests.export": QUEUE_DEFAULT,
    "subject_requests.erase": QUEUE_DEFAULT,
}


def queue_for(kind: str) -> str:
    try:
        return JOB_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown job kind {kind!r}") from None
