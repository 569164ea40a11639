"""What the desk's request pages need beyond the API's domain functions: the counts per status,
the timeline (status changes and the messages sent), how urgent a request is, and a preview of
what a decision would send to the person — the decision itself run in a savepoint that is rolled
back, so the preview is the very message, in the person's language, and nothing is kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, func
from sqlmodel import Session, select

from shared.jobs import service as jobs
from shared.models import EmailMessage, RequestEvent, RequestStatus, SubjectRequest, utcnow
from shared.subject_requests.states import FINAL

REQUEST_HEADER = "X-Rekisteri-Request"  # shared/subject_requests/messages.py marks each mail with it


def counts_by_status(session: Session) -> dict[RequestStatus, int]:
    rows = session.exec(select(SubjectRequest.status, func.count()).group_by(SubjectRequest.status)).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in RequestStatus}


def effective_due(request: SubjectRequest) -> datetime:
    return request.extended_due_at or request.due_at


def days_left(request: SubjectRequest, *, now: datetime | None = None) -> int | None:
    """Whole days to the due date that applies (negative: overdue); None once finished."""
    if request.status in FINAL:
        return None
    return (effective_due(request) - (now or utcnow())).days


def messages(session: Session, *, request: SubjectRequest) -> list[EmailMessage]:
    """The mails about this request (found by the person's address, indexed, and the request's header)."""
    if not request.email:
        return []
    return list(session.exec(select(EmailMessage).where(
        func.lower(EmailMessage.to_address) == request.email.lower(),
        EmailMessage.headers[REQUEST_HEADER].as_string() == str(request.id)).order_by(EmailMessage.created_at)).all())


@dataclass(frozen=True)
class Entry:
    at: datetime
    event: RequestEvent | None = None
    message: EmailMessage | None = None


def timeline(session: Session, *, request: SubjectRequest) -> list[Entry]:
    """Status changes and messages, oldest first."""
    events = session.exec(select(RequestEvent).where(RequestEvent.request_id == request.id)
                          .order_by(RequestEvent.at, RequestEvent.id)).all()
    entries = [Entry(at=e.at, event=e) for e in events] + [Entry(at=m.created_at, message=m)
                                                          for m in messages(session, request=request)]
    return sorted(entries, key=lambda e: e.at)


@dataclass(frozen=True)
class Preview:
    to: str
    subject: str
    body: str


def preview(session: Session, *, request: SubjectRequest, decide: Callable[[], None]) -> list[Preview]:
    """The messages `decide()` would send about `request`, with nothing kept: it runs in a savepoint
    that is rolled back (its jobs are not published either). Only the messages this decision queues
    are shown (caught as they are flushed), never one another process queues meanwhile. A refusal of
    the decision (a Conflict, a missing reason) is raised as the decision itself would raise it."""
    pending_jobs = list(session.info.get(jobs._AFTER_COMMIT_KEY, []))
    made: list[Preview] = []

    def catch(flushing: Session, _context) -> None:
        made.extend(Preview(to=m.to_address, subject=m.subject, body=m.body_text) for m in flushing.new
                    if isinstance(m, EmailMessage) and m.headers.get(REQUEST_HEADER) == str(request.id))

    event.listen(session, "after_flush", catch)
    savepoint = session.begin_nested()
    try:
        decide()
        session.flush()
    finally:
        event.remove(session, "after_flush", catch)
        savepoint.rollback()
        session.info[jobs._AFTER_COMMIT_KEY] = pending_jobs
        session.expire_all()
    return made
