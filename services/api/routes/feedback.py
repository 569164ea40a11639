"""Customer feedback (sales, marketing; privacy reads). Reads of feedback from a contact are in
the access log; handling it, like any change, needs the ETag in If-Match."""

from __future__ import annotations


from fastapi import APIRouter, Query, Response, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdPath, IdQuery
from services.api.etag import IfMatch, check_if_match, set_etag
from shared.audit.service import record_access
from shared.feedback import service
from shared.feedback.schemas import FeedbackCreate, FeedbackHandle, FeedbackPublic, FeedbackUpdate
from shared.models import Channel, Feedback, FeedbackStatus
from shared.pagination import Page

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])
FeedbackId = IdPath
FilterId = IdQuery


@router.get("", response_model=Page[FeedbackPublic], summary="Search feedback, newest first")
def search(session: SessionDep, actor: StaffActor, status_: FeedbackStatus | None = Query(None, alias="status"),
           contact_id: FilterId = None, company_id: FilterId = None, channel: Channel | None = None,
           cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=500)) -> Page:
    items, next_cursor = service.search_feedback(session, status=status_, contact_id=contact_id,
                                                 company_id=company_id, channel=channel, cursor=cursor, limit=limit)
    record_access(session, actor=actor, contact_ids=[f.contact_id for f in items], route="GET /v1/feedback")
    return Page(items=items, next_cursor=next_cursor)


@router.post("", response_model=FeedbackPublic, status_code=status.HTTP_201_CREATED, summary="Record feedback")
def create(body: FeedbackCreate, session: SessionDep, actor: StaffActor, response: Response) -> Feedback:
    feedback = service.create_feedback(session, data=body, actor=actor)
    set_etag(response, feedback)
    return feedback


@router.get("/{feedback_id}", response_model=FeedbackPublic)
def read(feedback_id: FeedbackId, session: SessionDep, actor: StaffActor, response: Response) -> Feedback:
    feedback = service.get_feedback(session, feedback_id=feedback_id)
    record_access(session, actor=actor, contact_ids=[feedback.contact_id], route="GET /v1/feedback/{feedback_id}")
    set_etag(response, feedback)
    return feedback


@router.patch("/{feedback_id}", response_model=FeedbackPublic, summary="Correct fields (If-Match required)")
def update(feedback_id: FeedbackId, body: FeedbackUpdate, session: SessionDep, actor: StaffActor,
           response: Response, if_match: IfMatch = None) -> Feedback:
    feedback = service.get_feedback(session, feedback_id=feedback_id)
    check_if_match(if_match, feedback)
    service.update_feedback(session, feedback=feedback, changes=body.model_dump(exclude_unset=True), actor=actor)
    set_etag(response, feedback)
    return feedback


@router.post("/{feedback_id}/handle", response_model=FeedbackPublic,
             summary="Mark handled, with the resolution (If-Match required; once only)")
def handle(feedback_id: FeedbackId, body: FeedbackHandle, session: SessionDep, actor: StaffActor,
           response: Response, if_match: IfMatch = None) -> Feedback:
    feedback = service.get_feedback(session, feedback_id=feedback_id)
    check_if_match(if_match, feedback)
    service.handle_feedback(session, feedback=feedback, resolution=body.resolution, actor=actor)
    set_etag(response, feedback)
    return feedback


@router.delete("/{feedback_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete (If-Match required)")
def delete(feedback_id: FeedbackId, session: SessionDep, actor: StaffActor, if_match: IfMatch = None) -> None:
    feedback = service.get_feedback(session, feedback_id=feedback_id)
    check_if_match(if_match, feedback)
    service.delete_feedback(session, feedback=feedback, actor=actor)
