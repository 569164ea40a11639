"""Outbox operations: a test email to check the mail path end to end (admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, status

from services.api.deps import RequestId, SessionDep
from shared.models import EmailMessage
from shared.outbox.schemas import EmailPublic, TestEmailCreate
from shared.outbox.service import enqueue_email
from shared.settings import get_settings

router = APIRouter(prefix="/v1/emails", tags=["emails"])


@router.post("/test", response_model=EmailPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Queue a test email for the notifier")
def send_test_email(body: TestEmailCreate, session: SessionDep, request_id: RequestId) -> EmailMessage:
    return enqueue_email(
        session,
        to_address=str(body.to),
        from_address=get_settings().mail_from,
        subject="Rekisteri test email",
        body_text="This is a test email from Rekisteri. If you can read it, mail works.\n",
        request_id=request_id,
    )


@router.get("/{email_id}", response_model=EmailPublic)
def get_email(email_id: uuid.UUID, session: SessionDep) -> EmailMessage:
    message = session.get(EmailMessage, email_id)
    if message is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such email")
    return message
