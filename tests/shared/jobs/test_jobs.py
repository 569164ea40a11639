"""The job lifecycle on real PostgreSQL: claim, lease, finish once, retry, reconcile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from shared.jobs import service
from shared.models import Job, JobEvent, JobStatus, utcnow


def _job(session, **kwargs) -> Job:
    return service.create_job(session, kind="system.selftest", payload={"echo": "x"}, **kwargs)


def _events(session, job) -> list[str]:
    return [e.event for e in session.exec(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.id))]


def test_unknown_kind_is_refused(session):
    with pytest.raises(ValueError, match="unknown job kind"):
        service.create_job(session, kind="nope.nothing")


def test_a_job_is_claimed_once(session):
    job = _job(session)
    first = service.claim_job(session, job_id=job.id, worker="w1", lease_seconds=30)
    second = service.claim_job(session, job_id=job.id, worker="w2", lease_seconds=30)
    assert first is not None and first.status == JobStatus.running and first.locked_by == "w1"
    assert second is None
    assert first.attempts == 1


def test_an_expired_lease_can_be_taken_over_and_the_old_holder_cannot_finish(session):
    job = _job(session)
    service.claim_job(session, job_id=job.id, worker="w1", lease_seconds=30)
    job.lease_expires_at = utcnow() - timedelta(seconds=1)
    session.add(job)
    session.flush()
    taken = service.claim_job(session, job_id=job.id, worker="w2", lease_seconds=30)
    assert taken is not None and taken.attempts == 2
    assert not service.extend_lease(session, job_id=job.id, worker="w1", lease_seconds=30)
    with pytest.raises(service.LeaseLost):
        service.complete_job(session, job_id=job.id, worker="w1", result={})
    service.complete_job(session, job_id=job.id, worker="w2", result={"ok": True})
    session.refresh(job)
    assert job.status == JobStatus.succeeded and job.result == {"ok": True} and job.progress == 100
    assert _events(session, job) == ["claimed", "claimed", "succeeded"]


def test_failure_backs_off_then_fails_for_good(session):
    job = _job(session, max_attempts=2)
    service.claim_job(session, job_id=job.id, worker="w", lease_seconds=30)
    assert service.fail_job(session, job_id=job.id, worker="w", error="boom", backoff=lambda n: 60) == JobStatus.pending
    session.refresh(job)
    assert job.not_before > utcnow() + timedelta(seconds=50)
    assert service.claim_job(session, job_id=job.id, worker="w", lease_seconds=30) is None, "not before its time"
    job.not_before = utcnow() - timedelta(seconds=1)
    session.add(job)
    session.flush()
    service.claim_job(session, job_id=job.id, worker="w", lease_seconds=30)
    assert service.fail_job(session, job_id=job.id, worker="w", error="boom again", backoff=lambda n: 60) == JobStatus.failed
    session.refresh(job)
    assert job.finished_at is not None and job.error == "boom again"
    assert _events(session, job) == ["claimed", "retry", "claimed", "failed"]


def test_cancelled_job_is_not_claimed(session):
    job = _job(session)
    assert service.cancel_job(session, job_id=job.id)
    assert service.claim_job(session, job_id=job.id, worker="w", lease_seconds=30) is None
    assert not service.cancel_job(session, job_id=job.id)


def test_reconcile_takes_back_expired_leases_and_requeues_lost_messages(session):
    now = utcnow()
    recent = _job(session)  # sent a moment ago, queue not empty: leave it
    lost = _job(session)
    lost.enqueued_at = now - timedelta(minutes=10)  # sent long ago: send again
    stuck = _job(session)
    service.claim_job(session, job_id=stuck.id, worker="dead", lease_seconds=30)
    stuck.lease_expires_at = now - timedelta(seconds=1)
    exhausted = _job(session, max_attempts=1)
    service.claim_job(session, job_id=exhausted.id, worker="dead", lease_seconds=30)
    exhausted.lease_expires_at = now - timedelta(seconds=1)
    session.add_all([lost, stuck, exhausted])
    session.flush()

    ids = {recent.id, lost.id, stuck.id, exhausted.id}
    counts = service.reconcile(session, now=now, requeue_after=timedelta(minutes=1),
                               queue_is_empty=lambda queue: False)
    for job in (recent, lost, stuck, exhausted):
        session.refresh(job)
    assert counts["lease_expired"] >= 1 and counts["exhausted"] >= 1
    assert stuck.status == JobStatus.pending and stuck.enqueued_at == now
    assert exhausted.status == JobStatus.failed
    assert lost.enqueued_at == now
    assert recent.enqueued_at != now, "a fresh message in a busy queue is left alone"
    assert "lease_expired" in _events(session, stuck)
    assert len(ids) == 4


def test_reconcile_requeues_when_the_queue_is_empty(session):
    now = utcnow()
    job = _job(session)
    job.enqueued_at = now - timedelta(seconds=10)
    session.add(job)
    session.flush()
    service.reconcile(session, now=now, requeue_after=timedelta(hours=1), queue_is_empty=lambda q: True)
    session.refresh(job)
    assert job.enqueued_at == now
