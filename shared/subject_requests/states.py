"""The status machine of a subject request. Every change is a row in subject_request_events."""

from __future__ import annotations

from sqlmodel import Session

from shared.models import RequestEvent, RequestStatus, SubjectRequest, utcnow
from shared.common.errors import Conflict

S = RequestStatus
ALLOWED: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.received: frozenset({S.awaiting_verification, S.verified, S.rejected, S.cancelled}),
    S.awaiting_verification: frozenset({S.verified, S.rejected, S.cancelled}),
    S.verified: frozenset({S.in_progress, S.completed, S.rejected, S.cancelled}),
    S.in_progress: frozenset({S.completed, S.rejected, S.cancelled}),
    S.completed: frozenset(),
    S.rejected: frozenset(),
    S.cancelled: frozenset(),
}
FINAL = frozenset({S.completed, S.rejected, S.cancelled})


def transition(session: Session, *, request: SubjectRequest, to: RequestStatus, actor: str,
               note: str | None = None) -> None:
    """Move the request to `to` if the machine allows it (409 otherwise) and record it."""
    if to not in ALLOWED[request.status]:
        raise Conflict(f"a request that is {request.status.value} cannot become {to.value}")
    session.add(RequestEvent(request_id=request.id, from_status=request.status.value, to_status=to.value,
                             actor=actor, note=note))
    request.status = to
    request.updated_at = utcnow()
    request.version += 1
    if to in FINAL:
        request.completed_at = utcnow()
    session.add(request)
    session.flush()
