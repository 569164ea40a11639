"""The job lifecycle on its database row: create, claim with a lease, finish, fail, reconcile.

Jobs are created in the caller's transaction and their wake-up is published only after that
transaction commits (a job never points at a row that does not exist). A job is run by whoever
holds its lease; finishing checks the lease is still ours, so a job's effects commit once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, text, update
from sqlmodel import Session, select

from shared.jobs.broker import publish_job
from shared.jobs.kinds import queue_for
from shared.models import Job, JobEvent, JobStatus, utcnow

_AFTER_COMMIT_KEY = "rekisteri.jobs_to_publish"


class JobNotFound(LookupError):
    pass


class LeaseLost(RuntimeError):
    """Another worker took the job over (our lease expired); our work must not commit."""


def create_job(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any] | None = None,
    request_id: str | None = None,
    created_by: int | None = None,
    max_attempts: int = 5,
) -> Job:
    """Add a pending job in the caller's transaction; it is queued once that commits."""
    job = Job(
        kind=kind,
        queue=queue_for(kind),
        payload=payload or {},
        request_id=request_id,
        created_by=created_by,
        max_attempts=max_attempts,
        enqueued_at=utcnow(),
    )
    session.add(job)
    session.flush()
    session.info.setdefault(_AFTER_COMMIT_KEY, []).append(
        {"job_id": str(job.id), "kind": job.kind, "queue": job.queue, "request_id": request_id}
    )
    return job


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    for message in session.info.pop(_AFTER_COMMIT_KEY, []):
        publish_job(**message)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT_KEY, None)


def get_job(session: Session, *, job_id: uuid.UUID) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise JobNotFound(str(job_id))
    return job


def _record(session: Session, job_id: uuid.UUID, name: str, *, attempt: int, worker: str | None,
            detail: str | None = None) -> None:
    session.add(JobEvent(job_id=job_id, event=name, attempt=attempt, worker=worker, detail=detail))


def claim_job(session: Session, *, job_id: uuid.UUID, worker: str, lease_seconds: int) -> Job | None:
    """Take the job if it is pending and due, or running with an expired lease. None otherwise."""
    now = utcnow()
    row = session.execute(
        text(
            """
            UPDATE jobs
               SET status = 'running', attempts = attempts + 1, locked_by = :worker,
                   lease_expires_at = :lease, started_at = coalesce(started_at, :now),
                   updated_at = :now
             WHERE id = :id
               AND attempts < max_attempts
               AND ((status = 'pending' AND (not_before IS NULL OR not_before <= :now))
                    OR (status = 'running' AND lease_expires_at < :now))
         RETURNING id
            """
        ),
        {"id": job_id, "worker": worker, "now": now, "lease": now + timedelta(seconds=lease_seconds)},
    ).first()
    if row is None:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    _record(session, job_id, "claimed", attempt=job.attempts, worker=worker)
    return job


def extend_lease(session: Session, *, job_id: uuid.UUID, worker: str, lease_seconds: int,
                 progress: int | None = None) -> bool:
    """Heartbeat: push our lease forward. False if the job is no longer ours."""
    values: dict[str, Any] = {
        "lease_expires_at": utcnow() + timedelta(seconds=lease_seconds),
        "updated_at": utcnow(),
    }
    if progress is not None:
        values["progress"] = max(0, min(100, progress))
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.running, Job.locked_by == worker)
        .values(**values)
    )
    return result.rowcount == 1


def complete_job(session: Session, *, job_id: uuid.UUID, worker: str, result: dict | None) -> None:
    """Mark the job succeeded in the same transaction as its work; raise LeaseLost if not ours."""
    now = utcnow()
    updated = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.running, Job.locked_by == worker)
        .values(status=JobStatus.succeeded, result=result, progress=100, finished_at=now,
                updated_at=now, lease_expires_at=None, error=None)
    )
    if updated.rowcount != 1:
        raise LeaseLost(str(job_id))
    attempt = session.execute(select(Job.attempts).where(Job.id == job_id)).scalar_one()
    _record(session, job_id, "succeeded", attempt=attempt, worker=worker)


def fail_job(session: Session, *, job_id: uuid.UUID, worker: str, error: str,
             backoff: Callable[[int], float], permanent: bool = False) -> JobStatus | None:
    """Record a failed attempt: back to pending after a backoff, or failed after the last one (or
    at once, `permanent`: no retry can fix it)."""
    job = session.get(Job, job_id, with_for_update=True)
    if job is None or job.status != JobStatus.running or job.locked_by != worker:
        return None
    now = utcnow()
    job.error = error[:2000]
    job.updated_at = now
    job.lease_expires_at = None
    job.locked_by = None
    if permanent or job.attempts >= job.max_attempts:
        job.status, job.finished_at = JobStatus.failed, now
    else:
        job.status = JobStatus.pending
        job.not_before = now + timedelta(seconds=backoff(job.attempts))
    session.add(job)
    _record(session, job_id, "failed" if job.status == JobStatus.failed else "retry",
            attempt=job.attempts, worker=worker, detail=job.error)
    session.flush()
    return job.status


def cancel_job(session: Session, *, job_id: uuid.UUID) -> bool:
    """Cancel a job that has not finished; a running attempt will find its lease gone."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_([JobStatus.pending, JobStatus.running]))
        .values(status=JobStatus.cancelled, finished_at=now, updated_at=now, locked_by=None)
    )
    if result.rowcount:
        _record(session, job_id, "cancelled", attempt=0, worker=None)
    return bool(result.rowcount)


def reconcile(
    session: Session,
    *,
    now: datetime | None = None,
    requeue_after: timedelta,
    queue_is_empty: Callable[[str], bool],
    empty_queue_grace: timedelta = timedelta(seconds=5),
    limit: int = 500,
) -> dict[str, int]:
    """Make the queue match the database: take back expired leases, fail exhausted jobs, and
    publish again every due pending job whose message may be lost (never sent, sent long ago,
    or its queue is empty although the job waits). Publishing happens after the caller commits."""
    now = now or utcnow()
    counts = {"lease_expired": 0, "exhausted": 0, "requeued": 0}
    expired = session.exec(
        select(Job)
        .where(Job.status == JobStatus.running, Job.lease_expires_at < now)
        .with_for_update(skip_locked=True)
        .limit(limit)
    ).all()
    for job in expired:
        exhausted = job.attempts >= job.max_attempts
        _record(session, job.id, "lease_expired", attempt=job.attempts, worker=job.locked_by)
        job.status = JobStatus.failed if exhausted else JobStatus.pending
        job.error = "lease expired: the worker stopped or lost its connection"
        job.locked_by, job.lease_expires_at, job.updated_at = None, None, now
        job.finished_at = now if exhausted else None
        job.enqueued_at = None  # its message is gone with the worker: send again now
        counts["exhausted" if exhausted else "lease_expired"] += 1
        session.add(job)
    session.flush()

    due = session.exec(
        select(Job)
        .where(Job.status == JobStatus.pending)
        .where((Job.not_before.is_(None)) | (Job.not_before <= now))
        .order_by(Job.created_at)
        .with_for_update(skip_locked=True)
        .limit(limit)
    ).all()
    empty: dict[str, bool] = {}
    for job in due:
        if job.queue not in empty:
            empty[job.queue] = queue_is_empty(job.queue)
        sent = job.enqueued_at
        lost = (
            sent is None
            or sent < now - requeue_after
            or (empty[job.queue] and sent < now - empty_queue_grace)
            or (job.not_before is not None and sent < job.not_before)
        )
        if not lost:
            continue
        job.enqueued_at = now
        session.add(job)
        session.info.setdefault(_AFTER_COMMIT_KEY, []).append(
            {"job_id": str(job.id), "kind": job.kind, "queue": job.queue, "request_id": job.request_id}
        )
        counts["requeued"] += 1
    session.flush()
    return counts
