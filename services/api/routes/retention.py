"""Retention (privacy, admin): the policy, the plan of the next sweep (counts, no names), running
a sweep now (a job on the bulk queue) and the record of runs. Legal holds (privacy)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from services.api.authz import CurrentUser, StaffActor
from services.api.deps import RequestId, SessionDep
from services.api.params import IdPath
from shared.jobs.schemas import JobPublic
from shared.models import Job, utcnow
from shared.models.partners import RetentionRun
from shared.common.schemas import StrictInput
from shared.retention import holds
from shared.retention.policy import current_policy
from shared.retention.sweep import list_runs, plan, schedule_sweep

router = APIRouter(tags=["retention"])


class SweepRequest(StrictInput):
    reason: str = Field(min_length=3, max_length=200, description="why now, rather than tonight")


class RunPublic(BaseModel):
    id: uuid.UUID
    trigger: str
    as_of: datetime
    counts: dict[str, Any]
    job_id: uuid.UUID | None
    started_at: datetime
    finished_at: datetime | None


@router.get("/v1/retention/policy", summary="The retention rules in force")
def policy(user: CurrentUser) -> list[dict[str, str]]:
    return [rule.public() for rule in current_policy().values()]


@router.get("/v1/retention/plan", summary="What the next sweep would remove: counts per rule, no names")
def retention_plan(session: SessionDep, user: CurrentUser) -> dict:
    return plan(session, now=utcnow())


@router.post("/v1/retention/runs", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Run a sweep now (a job on the bulk queue; an already queued one is returned)")
def run_now(body: SweepRequest, session: SessionDep, user: CurrentUser, request_id: RequestId) -> Job:
    return schedule_sweep(session, trigger="api", created_by=user.id, request_id=request_id, reason=body.reason)


@router.get("/v1/retention/runs", response_model=list[RunPublic], summary="Past sweeps and their counts")
def runs(session: SessionDep, user: CurrentUser, limit: int = Query(50, ge=1, le=500)) -> list[RetentionRun]:
    return list_runs(session, limit=limit)


@router.get("/v1/legal-holds", response_model=list[holds.LegalHoldPublic], summary="Legal holds (privacy)")
def list_holds(session: SessionDep, user: CurrentUser, active: bool = True) -> list:
    now = utcnow()
    return [holds.to_public(h, now=now) for h in holds.list_holds(session, only_active=active)]


@router.post("/v1/legal-holds", response_model=holds.LegalHoldPublic, status_code=status.HTTP_201_CREATED,
             summary="Hold a contact's or a company's data (it is restricted meanwhile)")
def place_hold(body: holds.LegalHoldCreate, session: SessionDep, actor: StaffActor) -> holds.LegalHoldPublic:
    return holds.to_public(holds.place_hold(session, data=body, actor=actor), now=utcnow())


@router.post("/v1/legal-holds/{hold_id}/release", response_model=holds.LegalHoldPublic,
             summary="Release a hold (the restriction it set is lifted unless another hold remains)")
def release_hold(hold_id: IdPath, session: SessionDep, actor: StaffActor) -> holds.LegalHoldPublic:
    return holds.to_public(holds.release_hold(session, hold_id=hold_id, actor=actor), now=utcnow())
