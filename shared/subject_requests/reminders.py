"""Reminders to the privacy role before subject requests fall due (run by beat, idempotent:
each request is reminded once, in the window before its effective due date)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from shared.models import EmailCategory, RequestStatus, SubjectRequest, utcnow
from shared.outbox.service import enqueue_email
from shared.settings import get_settings

OPEN = (RequestStatus.received, RequestStatus.awaiting_verification, RequestStatus.verified,
        RequestStatus.in_progress)


def send_due_reminders(session: Session, *, now: datetime | None = None, window: timedelta = timedelta(days=7)) -> int:
    """Queue one reminder per open, verified-or-later request due within the window."""
    settings, now = get_settings(), now or utcnow()
    if not settings.privacy_email:
        return 0
    due = func.coalesce(SubjectRequest.extended_due_at, SubjectRequest.due_at)
    pending = session.exec(
        select(SubjectRequest)
        .where(SubjectRequest.status.in_(OPEN[2:]), SubjectRequest.reminded_at.is_(None), due <= now + window)
        .order_by(due).with_for_update(skip_locked=True).limit(500)
    ).all()
    for request in pending:
        effective = request.extended_due_at or request.due_at
        enqueue_email(
            session, to_address=settings.privacy_email, from_address=settings.mail_from,
            subject=f"Rekisteri: a {request.kind.value} request is due {effective.date().isoformat()}",
            body_text=(f"Request {request.id} ({request.kind.value}, {request.status.value}) is due "
                       f"{effective.isoformat()}.\nOpen it: {settings.public_base_url.rstrip('/')}"
                       f"/v1/subject-requests/{request.id}\n"),
            category=EmailCategory.transactional, headers={"Auto-Submitted": "auto-generated"},
        )
        request.reminded_at = now
        session.add(request)
    return len(pending)
