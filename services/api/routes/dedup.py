"""Duplicates: runs, the review queue, merges and their undo (sales, marketing, privacy).
Reading the queue shows personal data side by side, so it lands in the access log."""

from __future__ import annotations

from fastapi import APIRouter, Query, status

from services.api.authz import CurrentUser, StaffActor
from services.api.deps import RequestId, SessionDep
from services.api.params import IdPath
from shared.audit.service import record_access
from shared.dedup import service
from shared.dedup.undo import undo_merge
from shared.dedup.schemas import (CandidatePage, CandidatePublic, DismissCreate, MergeCreate, MergePublic, RunCreate,
                                  RunPublic)
from shared.models import Role
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupEntity, DedupRun, DedupMerge

router = APIRouter(prefix="/v1/dedup", tags=["dedup"])


def _run(run: DedupRun, job) -> RunPublic:
    state = {"status": job.status, "progress": job.progress, "error": job.error} if job else {}
    return RunPublic.model_validate({**run.model_dump(), **state})


def _candidates(session, actor, items: list[DedupCandidate], route: str) -> list[CandidatePublic]:
    members = service.candidate_members(session, candidates=items)
    record_access(session, actor=actor, route=route, contact_ids=[
        m["id"] for c in items if c.entity == DedupEntity.contacts for m in members[c.id]])
    return [CandidatePublic.model_validate({**c.model_dump(), "members": members[c.id]}) for c in items]


@router.post("/runs", response_model=RunPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Find duplicates of one entity (a job on the bulk queue)")
def start_run(body: RunCreate, session: SessionDep, request_id: RequestId, user: CurrentUser) -> RunPublic:
    run = service.start_run(session, entity=body.entity, auto_merge=body.auto_merge, created_by=user.id,
                            request_id=request_id)
    return _run(run, None)


@router.get("/runs/{run_id}", response_model=RunPublic, summary="A run: its job's progress, then its figures")
def read_run(run_id: IdPath, session: SessionDep) -> RunPublic:
    return _run(*service.get_run(session, run_id=run_id))


@router.get("/candidates", response_model=CandidatePage, summary="The review queue, most certain first")
def candidates(session: SessionDep, actor: StaffActor, entity: DedupEntity | None = None,
               status_: CandidateStatus | None = Query(CandidateStatus.open, alias="status"),
               min_score: float = Query(0.0, ge=0, le=1), cursor: str | None = Query(None, max_length=500),
               limit: int = Query(50, ge=1, le=200)) -> CandidatePage:
    items, next_cursor = service.list_candidates(session, entity=entity, status=status_, min_score=min_score,
                                                 cursor=cursor, limit=limit)
    return CandidatePage(items=_candidates(session, actor, items, "GET /v1/dedup/candidates"), next_cursor=next_cursor)


@router.post("/candidates/{group_id}/dismiss", response_model=CandidatePublic, summary="Not duplicates")
def dismiss(group_id: IdPath, body: DismissCreate, session: SessionDep, actor: StaffActor) -> CandidatePublic:
    candidate = service.get_candidate(session, candidate_id=group_id)
    service.dismiss_candidate(session, candidate=candidate, reason=body.reason, actor=actor)
    return _candidates(session, actor, [candidate], "POST /v1/dedup/candidates/{group_id}/dismiss")[0]


@router.post("/merges", response_model=MergePublic, status_code=status.HTTP_201_CREATED,
             summary="Merge a candidate group or given records into one (one transaction)")
def merge(body: MergeCreate, session: SessionDep, actor: StaffActor, user: CurrentUser) -> MergePublic:
    done = service.merge_candidate(session, entity=body.entity, actor=actor, candidate_id=body.candidate_id,
                                   survivor_id=body.survivor_id, member_ids=body.member_ids, choices=body.choices,
                                   allow_restricted=body.include_restricted and user.role == Role.privacy)
    return MergePublic.of(done)


@router.post("/merges/{merge_id}/undo", response_model=MergePublic, summary="Restore the members as they were")
def undo(merge_id: IdPath, session: SessionDep, actor: StaffActor) -> MergePublic:
    done: DedupMerge = undo_merge(session, merge_id=merge_id, actor=actor)
    return MergePublic.of(done)
