"""The privacy officer's desk: subject requests by letter, email or phone, and every decision."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Query, Response, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.etag import IfMatch, check_if_match, set_etag
from shared.models import RequestKind, RequestStatus, SubjectRequest
from shared.subject_requests import service
from shared.subject_requests.schemas import (
    Decision,
    Extension,
    ManualVerification,
    RectificationApproval,
    RepeatDecision,
    StaffRequestCreate,
    SubjectRequestPublic,
)

router = APIRouter(prefix="/v1/subject-requests", tags=["subject requests"])


def _load(session, request_id: uuid.UUID, if_match: str | None) -> SubjectRequest:
    request = service.get_request(session, request_id=request_id)
    check_if_match(if_match, request)
    return request


@router.get("", response_model=list[SubjectRequestPublic], summary="Requests, most urgent first")
def list_requests(session: SessionDep, actor: StaffActor, status_: RequestStatus | None = Query(None, alias="status"),
                  kind: RequestKind | None = None, due_before: datetime | None = None,
                  limit: int = Query(100, ge=1, le=1000)) -> list[SubjectRequest]:
    return service.list_requests(session, status=status_, kind=kind, due_before=due_before, limit=limit)


@router.post("", response_model=SubjectRequestPublic, status_code=status.HTTP_201_CREATED,
             summary="Record a request that came by letter, email or phone")
def create(body: StaffRequestCreate, session: SessionDep, actor: StaffActor, response: Response) -> SubjectRequest:
    request = service.create_staff_request(session, data=body, actor=actor)
    set_etag(response, request)
    return request


@router.get("/{request_id}", response_model=SubjectRequestPublic)
def read(request_id: uuid.UUID, session: SessionDep, actor: StaffActor, response: Response) -> SubjectRequest:
    request = service.get_request(session, request_id=request_id)
    set_etag(response, request)
    return request


@router.post("/{request_id}/verify", response_model=SubjectRequestPublic,
             summary="Verify the identity another way (the emailed link becomes void)")
def verify(request_id: uuid.UUID, body: ManualVerification, session: SessionDep, actor: StaffActor,
           if_match: IfMatch = None) -> SubjectRequest:
    request = _load(session, request_id, if_match)
    service.verify_manually(session, request=request, method=body.method, actor=actor)
    return request


@router.post("/{request_id}/approve", response_model=SubjectRequestPublic, summary="Approve a rectification")
def approve(request_id: uuid.UUID, body: RectificationApproval, session: SessionDep, actor: StaffActor,
            if_match: IfMatch = None) -> SubjectRequest:
    request = _load(session, request_id, if_match)
    service.approve_rectification(session, request=request, changes=body.changes, reason=body.note, actor=actor)
    return request


@router.post("/{request_id}/repeat-decision", response_model=SubjectRequestPublic,
             summary="Decide on a repeat access request (free, fee, manifestly unfounded)")
def repeat_decision(request_id: uuid.UUID, body: RepeatDecision, session: SessionDep, actor: StaffActor,
                    if_match: IfMatch = None) -> SubjectRequest:
    request = _load(session, request_id, if_match)
    service.decide_repeat(session, request=request, decision=body.decision, reason=body.reason, actor=actor)
    return request


@router.post("/{request_id}/reject", response_model=SubjectRequestPublic)
def reject(request_id: uuid.UUID, body: Decision, session: SessionDep, actor: StaffActor,
           if_match: IfMatch = None) -> SubjectRequest:
    request = _load(session, request_id, if_match)
    service.reject(session, request=request, reason=body.reason, actor=actor)
    return request


@router.post("/{request_id}/extend", response_model=SubjectRequestPublic, summary="Extend by 1–2 months")
def extend(request_id: uuid.UUID, body: Extension, session: SessionDep, actor: StaffActor,
           if_match: IfMatch = None) -> SubjectRequest:
    request = _load(session, request_id, if_match)
    service.extend(session, request=request, months=body.months, reason=body.reason, actor=actor)
    return request


@router.post("/{request_id}/cancel", response_model=SubjectRequestPublic)
def cancel(request_id: uuid.UUID, session: SessionDep, actor: StaffActor, if_match: IfMatch = None) -> SubjectRequest:
    request = _load(session, request_id, if_match)
    service.cancel(session, request=request, actor=actor)
    return request
