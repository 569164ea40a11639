"""What the data subject sees of their own request, through links only they hold.

- The privacy centre's addresses, each with the reader's language (`centre_url`).
- A status link per request: `/privacy/status/{id}?sig=…`, sig is HMAC-SHA256 under the server
  secret over `status:{id}`. It does not expire (it is in every mail about the request) and shows
  no personal data beyond a masked address; an id alone, or a wrong signature, shows nothing.
- `status_view`: the request's phase in the subject's terms (waiting for your confirmation,
  being handled, waiting for the privacy officer, done, rejected …), with the due date that
  applies and the reason of an extension or a rejection.
- `mask_email`: `m•••@kajaaninkone.example`.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlmodel import Session, select

from shared.models import RequestEvent, RequestKind, RequestStatus, SubjectRequest
from shared.settings import get_settings

S = RequestStatus


class StatusLinkInvalid(LookupError):
    """Unknown request or a wrong signature (the same 404 either way)."""


def centre_url(path: str, *, lang: object, **query: object) -> str:
    """An absolute address of a privacy-centre page, in the reader's language."""
    language = getattr(lang, "value", lang)
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}{path}?{urlencode({**{k: v for k, v in query.items() if v is not None}, 'lang': language})}"


def mask_email(email: str | None) -> str:
    """The first letter of the local part and the whole domain: `m•••@kajaaninkone.example`."""
    if not email or "@" not in email:
        return "•••"
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}•••@{domain}"


def status_signature(request_id: uuid.UUID | str) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, f"status:{uuid.UUID(str(request_id))}".encode(), hashlib.sha256).hexdigest()


def status_link(request: SubjectRequest) -> str:
    """The request's status page, in its language (for the mails about it)."""
    return centre_url(f"/privacy/status/{request.id}", lang=request.language, sig=status_signature(request.id))


@dataclass(frozen=True)
class StatusView:
    """A request as its subject may see it."""

    id: uuid.UUID
    kind: str
    objection_scope: str | None
    phase: str  # awaiting_confirmation, in_progress, waiting_officer, done, no_data, rejected, cancelled
    masked_email: str
    received_at: datetime
    due_at: datetime
    extended: bool
    extension_reason: str | None
    rejection_reason: str | None
    completed_at: datetime | None
    status_sig: str


def _phase(request: SubjectRequest) -> str:
    if request.status in (S.received, S.awaiting_verification):
        return "awaiting_confirmation"
    if request.status == S.verified:  # a rectification or a repeat access request: the officer decides
        return "waiting_officer"
    if request.status == S.in_progress:
        return "in_progress"
    if request.status == S.completed:
        return "no_data" if request.outcome == "no data held" else "done"
    return request.status.value  # rejected, cancelled


def _rejection_reason(session: Session, request: SubjectRequest) -> str | None:
    if request.status != S.rejected:
        return None
    note = session.exec(select(RequestEvent.note).where(RequestEvent.request_id == request.id,
                                                        RequestEvent.to_status == S.rejected.value)).first()
    return note or (request.outcome or "").removeprefix("rejected: ") or None


def view(session: Session, *, request: SubjectRequest) -> StatusView:
    """The subject's view of a request they hold a link to."""
    return StatusView(
        id=request.id, kind=RequestKind(request.kind).value,
        objection_scope=request.objection_scope.value if request.objection_scope else None,
        phase=_phase(request), masked_email=mask_email(request.email), received_at=request.received_at,
        due_at=request.extended_due_at or request.due_at, extended=request.extended_due_at is not None,
        extension_reason=request.extension_reason, rejection_reason=_rejection_reason(session, request),
        completed_at=request.completed_at, status_sig=status_signature(request.id))


def status_view(session: Session, *, request_id: uuid.UUID, sig: str | None) -> StatusView:
    """The request behind a signed status link; StatusLinkInvalid for a wrong one."""
    if not sig or not hmac.compare_digest(status_signature(request_id).encode(), sig.lower().encode()):
        raise StatusLinkInvalid()
    request = session.get(SubjectRequest, request_id)
    if request is None:
        raise StatusLinkInvalid()
    return view(session, request=request)
