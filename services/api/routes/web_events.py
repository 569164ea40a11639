"""Behaviour on the websites: events sent with a site key, read and linked by staff; site keys
for admins. The role matrix (services/api/authz.py) has a rule for every route here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.openapi import Problem
from shared.audit.service import record_access
from shared.common.errors import Forbidden, NotAuthenticated
from shared.models import SiteKey
from shared.pagination import Page
from shared.web_events import service
from shared.web_events.origins import key_allows, origin_allowed
from shared.web_events.schemas import (
    IdentifyIn,
    IdentifyResult,
    IngestResult,
    SiteKeyCreate,
    SiteKeyIssued,
    SiteKeyPublic,
    VisitorId,
    WebEventBatch,
    WebEventPublic,
)

router = APIRouter(tags=["web events"])
READ_ROUTE = "GET /v1/web-events"


def site_from_key(session: SessionDep, request: Request, response: Response, x_site_key: Annotated[
        str | None, Header(description="the website's key from `rekisteri site-keys create`")] = None) -> str:
    """The site the X-Site-Key header belongs to; 401 (and nothing else) if it is not valid.
    From a browser (an `Origin` header), the key must name that origin (403 otherwise), and the
    answer allows that origin to read it (CORS). Runs before the body is validated, so a caller
    without a key learns nothing more."""
    site_key = service.active_site_key(session, key=x_site_key) if x_site_key else None
    if site_key is None:
        raise NotAuthenticated("a valid site key is required")
    if (origin := request.headers.get("origin")) is not None:
        if not key_allows(site_key, origin=origin):
            raise Forbidden("this site key may not be used from that origin")
        response.headers.update({"Access-Control-Allow-Origin": origin, "Vary": "Origin"})
    return site_key.site


SiteFromKey = Annotated[str, Depends(site_from_key)]


def _invalid_query(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", field), "msg": message, "input": None}])


@router.options("/v1/web-events", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
                responses={403: {"model": Problem, "description": "no active site key names this origin"}},
                summary="The CORS preflight of a website's browser, for the origins its site key names")
def web_events_preflight(session: SessionDep, origin: Annotated[str | None, Header()] = None,
                         access_control_request_method: Annotated[str | None, Header()] = None) -> Response:
    if not origin or access_control_request_method != "POST" or not origin_allowed(session, origin=origin):
        raise Forbidden("this origin may not send events here")
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={
        "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type, X-Site-Key", "Access-Control-Max-Age": "600",
        "Vary": "Origin"})


@router.post("/v1/web-events", response_model=IngestResult, status_code=status.HTTP_202_ACCEPTED,
             responses={401: {"model": Problem, "description": "no valid site key"},
                        403: {"model": Problem, "description": "the site key does not name the caller's origin"}},
             summary="Events from a website (1–1000), authenticated by its site key")
def ingest_web_events(site: SiteFromKey, body: WebEventBatch, session: SessionDep) -> IngestResult:
    return IngestResult(accepted=service.ingest_events(session, site=site, events=body.events))


@router.get("/v1/web-events", response_model=Page[WebEventPublic],
            summary="A contact's or a visitor's events, newest first (access is logged)")
def list_web_events(session: SessionDep, actor: StaffActor, contact_id: int | None = Query(None, ge=1),
                    visitor_id: Annotated[VisitorId | None, Query()] = None,
                    limit: int = Query(100, ge=1, le=1000), cursor: str | None = None) -> Page[WebEventPublic]:
    if contact_id is None and visitor_id is None:
        raise _invalid_query("contact_id", "give contact_id or visitor_id (or both)")
    items, next_cursor = service.list_events(session, contact_id=contact_id, visitor_id=visitor_id,
                                             cursor=cursor, limit=limit)
    record_access(session, actor=actor, contact_ids=[e.contact_id for e in items], route=READ_ROUTE)
    return Page[WebEventPublic](items=items, next_cursor=next_cursor)


@router.post("/v1/web-events/identify", response_model=IdentifyResult,
             summary="Link a website visitor to a contact; their unlinked events follow")
def identify_visitor(body: IdentifyIn, session: SessionDep, actor: StaffActor) -> IdentifyResult:
    linked = service.identify_visitor(session, visitor_id=body.visitor_id, contact_id=body.contact_id,
                                      actor=actor)
    return IdentifyResult(linked_events=linked)


@router.get("/v1/site-keys", response_model=list[SiteKeyPublic], summary="Site keys, without secrets (admin)")
def list_site_keys(session: SessionDep) -> list[SiteKey]:
    return service.list_site_keys(session)


@router.post("/v1/site-keys", response_model=SiteKeyIssued, status_code=status.HTTP_201_CREATED,
             summary="A new site key; the key is shown only in this answer (admin)")
def create_site_key(body: SiteKeyCreate, session: SessionDep, response: Response, actor: StaffActor) -> SiteKeyIssued:
    key, site_key = service.create_site_key(session, site=body.site, origins=body.origins, actor=actor)
    response.headers["Cache-Control"] = "no-store"
    return SiteKeyIssued(key=key, **SiteKeyPublic.model_validate(site_key).model_dump())


@router.delete("/v1/site-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Revoke a site key; its website's events are refused from now on (admin)")
def revoke_site_key(key_id: int, session: SessionDep, actor: StaffActor) -> Response:
    service.revoke_site_key(session, key_id=key_id, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
