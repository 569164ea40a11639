"""Background jobs as the database sees them (admin), and the self-test job."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlmodel import select

from services.api.deps import RequestId, SessionDep, require_roles
from shared.jobs import service
from shared.jobs.schemas import JobPublic, SelftestCreate
from shared.models import Job, JobStatus, Role, User

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])
AdminOnly = Depends(require_roles(Role.admin))


@router.post("/selftest", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Run a self-test job through Celery")
def create_selftest(body: SelftestCreate, session: SessionDep, request_id: RequestId,
                    user: User = AdminOnly) -> Job:
    return service.create_job(session, kind="system.selftest", payload=body.model_dump(),
                              request_id=request_id, created_by=user.id)


@router.get("", response_model=list[JobPublic], dependencies=[AdminOnly])
def list_jobs(session: SessionDep, status_: JobStatus | None = Query(None, alias="status"),
              kind: str | None = None,
              limit: int = 100) -> list[Job]:
    query = select(Job).order_by(Job.created_at.desc()).limit(min(max(limit, 1), 1000))
    if status_ is not None:
        query = query.where(Job.status == status_)
    if kind is not None:
        query = query.where(Job.kind == kind)
    return list(session.exec(query).all())


@router.get("/{job_id}", response_model=JobPublic, dependencies=[AdminOnly])
def get_job(job_id: uuid.UUID, session: SessionDep) -> Job:
    try:
        return service.get_job(session, job_id=job_id)
    except service.JobNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such job") from None


@router.post("/{job_id}/cancel", response_model=JobPublic, dependencies=[AdminOnly])
def cancel_job(job_id: uuid.UUID, session: SessionDep) -> Job:
    if not service.cancel_job(session, job_id=job_id):
        raise HTTPException(status.HTTP_409_CONFLICT, detail="the job is finished or unknown")
    return service.get_job(session, job_id=job_id)
