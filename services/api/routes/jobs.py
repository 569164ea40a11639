"""Background jobs as the database sees them, and the self-test job."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, status
from sqlmodel import select

from services.api.authz import CurrentUser
from services.api.deps import RequestId, SessionDep
from shared.jobs import kinds
from shared.jobs import service
from shared.jobs.schemas import JobPublic, SelftestCreate
from shared.models import Job, JobStatus, Role

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


@router.post("/selftest", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Run a self-test job through Celery (admin)")
def create_selftest(body: SelftestCreate, session: SessionDep, request_id: RequestId,
                    user: CurrentUser) -> Job:
    return service.create_job(session, kind=kinds.SELFTEST, payload=body.model_dump(),
                              request_id=request_id, created_by=user.id)


@router.get("", response_model=list[JobPublic], summary="Jobs, newest first (admin)")
def list_jobs(session: SessionDep, user: CurrentUser,
              status_: JobStatus | None = Query(None, alias="status"),
              kind: str | None = None, limit: int = Query(100, ge=1, le=1000)) -> list[Job]:
    query = select(Job).order_by(Job.created_at.desc()).limit(limit)
    if status_ is not None:
        query = query.where(Job.status == status_)
    if kind is not None:
        query = query.where(Job.kind == kind)
    return list(session.exec(query).all())


@router.get("/{job_id}", response_model=JobPublic,
            summary="One job with its progress (admins: any; others: their own)")
def get_job(job_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Job:
    return service.get_job(session, job_id=job_id, visible_to=None if user.role == Role.admin else user.id)


@router.post("/{job_id}/cancel", response_model=JobPublic, summary="Cancel a job (admin)")
def cancel_job(job_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Job:
    return service.cancel(session, job_id=job_id)
