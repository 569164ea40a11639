"""Interactions with contacts and companies (sales, marketing; privacy reads). Reads of
interactions with a contact are in the access log."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Response, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdPath, IdQuery
from services.api.etag import IfMatch, check_if_match, set_etag
from shared.audit.service import record_access
from shared.interactions import service
from shared.interactions.schemas import InteractionCreate, InteractionPublic, InteractionUpdate
from shared.models import Interaction, InteractionKind
from shared.pagination import Page

router = APIRouter(prefix="/v1/interactions", tags=["interactions"])
InteractionId = IdPath
FilterId = IdQuery


@router.get("", response_model=Page[InteractionPublic], summary="Search interactions, newest first")
def search(session: SessionDep, actor: StaffActor, contact_id: FilterId = None, company_id: FilterId = None,
           kind: InteractionKind | None = None, user_id: FilterId = None,
           occurred_after: datetime | None = Query(None, description="from this moment on (inclusive)"),
           occurred_before: datetime | None = Query(None, description="before this moment (exclusive)"),
           cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=500)) -> Page:
    items, next_cursor = service.search_interactions(
        session, contact_id=contact_id, company_id=company_id, kind=kind, user_id=user_id,
        occurred_after=occurred_after, occurred_before=occurred_before, cursor=cursor, limit=limit)
    record_access(session, actor=actor, contact_ids=[i.contact_id for i in items], route="GET /v1/interactions")
    return Page(items=items, next_cursor=next_cursor)


@router.post("", response_model=InteractionPublic, status_code=status.HTTP_201_CREATED,
             summary="Record an interaction (by the calling user)")
def create(body: InteractionCreate, session: SessionDep, actor: StaffActor, response: Response) -> Interaction:
    interaction = service.create_interaction(session, data=body, actor=actor)
    set_etag(response, interaction)
    return interaction


@router.get("/{interaction_id}", response_model=InteractionPublic)
def read(interaction_id: InteractionId, session: SessionDep, actor: StaffActor, response: Response) -> Interaction:
    interaction = service.get_interaction(session, interaction_id=interaction_id)
    record_access(session, actor=actor, contact_ids=[interaction.contact_id],
                  route="GET /v1/interactions/{interaction_id}")
    set_etag(response, interaction)
    return interaction


@router.patch("/{interaction_id}", response_model=InteractionPublic, summary="Change fields (If-Match required)")
def update(interaction_id: InteractionId, body: InteractionUpdate, session: SessionDep, actor: StaffActor,
           response: Response, if_match: IfMatch = None) -> Interaction:
    interaction = service.get_interaction(session, interaction_id=interaction_id)
    check_if_match(if_match, interaction)
    service.update_interaction(session, interaction=interaction, changes=body.model_dump(exclude_unset=True),
                               actor=actor)
    set_etag(response, interaction)
    return interaction


@router.delete("/{interaction_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete (If-Match required)")
def delete(interaction_id: InteractionId, session: SessionDep, actor: StaffActor, if_match: IfMatch = None) -> None:
    interaction = service.get_interaction(session, interaction_id=interaction_id)
    check_if_match(if_match, interaction)
    service.delete_interaction(session, interaction=interaction, actor=actor)
