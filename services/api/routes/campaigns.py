"""Campaigns (marketing staff): create, change, preview, test send, schedule, start, pause,
resume, cancel, statistics, who received what, and the messages whose outcome is unknown. A
preview for a contact, the recipient log and the unknown outcomes show personal data and are in
the access log."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import APIRouter, Query, Response, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.etag import IfMatch, check_if_match, set_etag
from services.api.params import IdPath, IdQuery
from shared.audit.service import Actor, record_access
from shared.campaigns import review, service
from shared.campaigns.schemas import (
    CampaignCreate,
    CampaignPublic,
    CampaignStats,
    CampaignUpdate,
    PreviewOut,
    RecipientLog,
    ScheduleIn,
    TestSendIn,
    TestSendOut,
    UnknownOutcome,
)
from shared.models import Language
from shared.models.campaigns import Campaign, CampaignStatus

router = APIRouter(prefix="/v1/campaigns", tags=["campaigns"])


def _act(session, campaign_id: int, actor: Actor, response: Response, action: Callable[..., Campaign]) -> Campaign:
    """Apply a state change with the campaign row locked (a running build finishes first)."""
    campaign = service.get_campaign(session, campaign_id=campaign_id, lock=True)
    action(session, campaign=campaign, actor=actor)
    set_etag(response, campaign)
    return campaign


@router.post("", response_model=CampaignPublic, status_code=status.HTTP_201_CREATED, summary="Create a draft")
def create(body: CampaignCreate, session: SessionDep, actor: StaffActor, response: Response) -> Campaign:
    campaign = service.create_campaign(session, data=body, actor=actor)
    set_etag(response, campaign)
    return campaign


@router.get("", response_model=list[CampaignPublic], summary="Campaigns, newest first")
def search(session: SessionDep, actor: StaffActor, status_: CampaignStatus | None = Query(None, alias="status"),
           before_id: IdQuery = None, limit: int = Query(50, ge=1, le=200)) -> list:
    return service.list_campaigns(session, status=status_, before_id=before_id, limit=limit)


@router.get("/{campaign_id}", response_model=CampaignPublic)
def read(campaign_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> Campaign:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    set_etag(response, campaign)
    return campaign


@router.patch("/{campaign_id}", response_model=CampaignPublic, summary="Change a draft or scheduled campaign")
def update(campaign_id: IdPath, body: CampaignUpdate, session: SessionDep, actor: StaffActor,
           response: Response, if_match: IfMatch = None) -> Campaign:
    campaign = service.get_campaign(session, campaign_id=campaign_id, lock=True)
    check_if_match(if_match, campaign)
    service.update_campaign(session, campaign=campaign, changes=body.model_dump(exclude_unset=True), actor=actor)
    set_etag(response, campaign)
    return campaign


@router.get("/{campaign_id}/preview", response_model=PreviewOut, summary="Rendered for a contact (or sample data)")
def preview(campaign_id: IdPath, session: SessionDep, actor: StaffActor, contact_id: IdQuery = None,
            language: Language | None = None) -> PreviewOut:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    rendered, notice = service.preview(session, campaign=campaign, contact_id=contact_id, language=language)
    if contact_id:
        record_access(session, actor=actor, contact_ids=[contact_id], route="GET /v1/campaigns/{campaign_id}/preview")
    return PreviewOut(**rendered.__dict__, source_notice=notice)


@router.post("/{campaign_id}/test-send", response_model=TestSendOut, status_code=status.HTTP_202_ACCEPTED,
             summary="One copy with sample data to a staff address")
def test_send(campaign_id: IdPath, body: TestSendIn, session: SessionDep, actor: StaffActor) -> TestSendOut:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    email_id, language = service.send_test(session, campaign=campaign, to=body.to, language=body.language, actor=actor)
    return TestSendOut(email_id=email_id, language=language)


@router.post("/{campaign_id}/schedule", response_model=CampaignPublic, summary="Send at a given time")
def schedule(campaign_id: IdPath, body: ScheduleIn, session: SessionDep, actor: StaffActor,
             response: Response) -> Campaign:
    campaign = service.get_campaign(session, campaign_id=campaign_id, lock=True)
    service.schedule(session, campaign=campaign, send_at=body.send_at, actor=actor)
    set_etag(response, campaign)
    return campaign


@router.post("/{campaign_id}/start", response_model=CampaignPublic, summary="Build the audience and send now")
def start(campaign_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> Campaign:
    return _act(session, campaign_id, actor, response, service.start)


@router.post("/{campaign_id}/pause", response_model=CampaignPublic, summary="Hold the messages not yet sent")
def pause(campaign_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> Campaign:
    return _act(session, campaign_id, actor, response, service.pause)


@router.post("/{campaign_id}/resume", response_model=CampaignPublic)
def resume(campaign_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> Campaign:
    return _act(session, campaign_id, actor, response, service.resume)


@router.post("/{campaign_id}/cancel", response_model=CampaignPublic, summary="Stop for good")
def cancel(campaign_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> Campaign:
    return _act(session, campaign_id, actor, response, service.cancel)


@router.get("/{campaign_id}/stats", response_model=CampaignStats, summary="Eligible, sent, skipped by reason…")
def stats(campaign_id: IdPath, session: SessionDep, actor: StaffActor) -> CampaignStats:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    return service.stats(session, campaign=campaign)


@router.get("/{campaign_id}/recipients", response_model=list[RecipientLog],
            summary="Who received it, when, with what outcome (access is logged)")
def recipients(campaign_id: IdPath, session: SessionDep, actor: StaffActor, after_contact_id: int = Query(0, ge=0),
               limit: int = Query(100, ge=1, le=1000)) -> list:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    rows = service.recipient_log(session, campaign=campaign, after_contact_id=after_contact_id, limit=limit)
    record_access(session, actor=actor, contact_ids=[r["contact_id"] for r in rows],
                  route="GET /v1/campaigns/{campaign_id}/recipients")
    return rows


@router.get("/{campaign_id}/unknown-outcomes", response_model=list[UnknownOutcome],
            summary="Messages the server may have accepted unheard: not resent until resolved (access is logged)")
def unknown_outcomes(campaign_id: IdPath, session: SessionDep, actor: StaffActor, after: uuid.UUID | None = None,
                     limit: int = Query(100, ge=1, le=500)) -> list:
    service.get_campaign(session, campaign_id=campaign_id)
    rows = review.unknown_outcomes(session, campaign_id=campaign_id, after=after, limit=limit)
    record_access(session, actor=actor, contact_ids=[r["contact_id"] for r in rows],
                  route="GET /v1/campaigns/{campaign_id}/unknown-outcomes")
    return rows
