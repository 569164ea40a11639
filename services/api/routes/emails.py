"""Outbox operations: a test email to check the mail path end to end (admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from services.api.deps import RequestId, SessionDep
from shared.models import EmailMessage
from shared.outbox import service
from shared.outbox.schemas import EmailPublic, TestEmailCreate
from shared.settings import get_settings

router = APIRouter(prefix="/v1/emails", tags=["emails"])


@router.post("/test", response_model=EmailPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Queue a test email for the notifier")
def send_test_email(body: TestEmailCreate, session: SessionDep, request_id: RequestId) -> EmailMessage:
    return service.enqueue_email(
        session,
        to_address=str(body.to),
        from_address=get_settings().mail_from,
        subject="Rekisteri test email",
        body_text="This is a test email from Rekisteri. If you can read it, mail works.\n",
        request_id=request_id,
    )


@router.get("/{email_id}", response_model=EmailPublic)
def get_email(email_id: uuid.UUID, session: SessionDep) -> EmailMessage:
    return service.get_email(session, email_id=email_id)
