"""Customer feedback: receive, read, search, correct, handle and delete, with change history."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from shared.audit.service import Actor, apply_changes, record_created, record_deleted
from shared.feedback.schemas import FeedbackCreate
from shared.models import Channel, Company, Contact, Feedback, FeedbackStatus, utcnow
from shared.pagination import Sort
from shared.common.errors import Conflict, InvalidReference, NotFound


def _check_references(session: Session, values: dict[str, Any]) -> None:
    if values.get("contact_id") is not None and session.get(Contact, values["contact_id"]) is None:
        raise InvalidReference("contact_id", "no contact has this id")
    if values.get("company_id") is not None and session.get(Company, values["company_id"]) is None:
        raise InvalidReference("company_id", "no company has this id")


def create_feedback(session: Session, *, data: FeedbackCreate, actor: Actor) -> Feedback:
    """Record feedback as new; a given contact or company must exist."""
    values = data.model_dump()
    _check_references(session, values)
    feedback = Feedback(**{**values, "received_at": values["received_at"] or utcnow()})
    session.add(feedback)
    record_created(session, entity=feedback, actor=actor)
    return feedback


def get_feedback(session: Session, *, feedback_id: int) -> Feedback:
    """The feedback with this id, or NotFound."""
    feedback = session.get(Feedback, feedback_id)
    if feedback is None:
        raise NotFound("no such feedback")
    return feedback


def update_feedback(session: Session, *, feedback: Feedback, changes: dict[str, Any], actor: Actor) -> Feedback:
    """Correct the given fields (handling goes through handle_feedback)."""
    _check_references(session, changes)
    apply_changes(session, entity=feedback, changes=changes, actor=actor)
    return feedback


def handle_feedback(session: Session, *, feedback: Feedback, resolution: str, actor: Actor) -> Feedback:
    """Mark new feedback handled by the acting user, with how it was resolved."""
    if feedback.status == FeedbackStatus.handled:
        raise Conflict("this feedback has already been handled")
    changes = {"status": FeedbackStatus.handled, "handled_by": actor.user_id, "handled_at": utcnow(),
               "resolution": resolution}
    apply_changes(session, entity=feedback, changes=changes, actor=actor)
    return feedback


def delete_feedback(session: Session, *, feedback: Feedback, actor: Actor) -> None:
    """Delete the feedback."""
    record_deleted(session, entity=feedback, actor=actor)
    session.delete(feedback)
    session.flush()


def search_feedback(
    session: Session,
    *,
    status: FeedbackStatus | None = None,
    contact_id: int | None = None,
    company_id: int | None = None,
    channel: Channel | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Feedback], str | None]:
    """Feedback matching every given filter, newest first, one keyset page at a time."""
    order = Sort(Feedback.received_at, Feedback.id, descending=True)
    query = order.select(Feedback)
    for column, value in ((Feedback.status, status), (Feedback.contact_id, contact_id),
                          (Feedback.company_id, company_id), (Feedback.channel, channel)):
        if value is not None:
            query = query.where(column == value)
    rows = session.exec(order.apply(query, cursor=cursor, limit=limit)).all()
    return Sort.page(rows, limit=limit)
