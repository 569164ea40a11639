"""Campaign messages whose SMTP outcome is unknown (the server may have them): the review desk of
marketing and privacy staff. Listing shows personal data (access-logged); resolving records the
decision and its reason in the recipient's change history (shared/campaigns/review.py)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdQuery
from shared.audit.service import record_access
from shared.campaigns import review
from shared.campaigns.schemas import ResolvedOut, ResolveIn, UnknownOutcome

router = APIRouter(prefix="/v1/unknown-outcomes", tags=["campaigns"])


def listed(session, actor, rows: list[dict], route: str) -> list[dict]:
    record_access(session, actor=actor, contact_ids=[r["contact_id"] for r in rows], route=route)
    return rows


@router.get("", response_model=list[UnknownOutcome], summary="Unknown outcomes of every campaign (access is logged)")
def search(session: SessionDep, actor: StaffActor, campaign_id: IdQuery = None, after: uuid.UUID | None = None,
           limit: int = Query(100, ge=1, le=500)) -> list[dict]:
    rows = review.unknown_outcomes(session, campaign_id=campaign_id, after=after, limit=limit)
    return listed(session, actor, rows, "GET /v1/unknown-outcomes")


@router.post("/{email_id}/resolve", response_model=ResolvedOut,
             summary="Delivered (the server's log shows it) or requeue (it does not), with the reason")
def resolve(email_id: uuid.UUID, body: ResolveIn, session: SessionDep, actor: StaffActor) -> ResolvedOut:
    message = review.resolve_unknown(session, email_id=email_id, decision=review.Decision(body.decision),
                                     reason=body.reason, actor=actor)
    return ResolvedOut(email_id=message.id, status=message.status, decision=body.decision)
