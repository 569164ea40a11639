"""Mailing lists and their subscriptions (sales, marketing; privacy reads). Reading who is on a
list is in the access log; a subscription's ETag comes with it in every answer."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdPath
from services.api.etag import IfMatch, check_if_match, etag_of, set_etag
from shared.audit.service import record_access
from shared.lists import service
from shared.lists.schemas import (
    MailingListCreate,
    MailingListPublic,
    MailingListUpdate,
    SubscriptionCreate,
    SubscriptionPublic,
    SubscriptionUpdate,
)
from shared.models import MailingList, Subscription, SubscriptionStatus
from shared.pagination import Page

router = APIRouter(tags=["mailing lists"])
ListId = IdPath
SubscriptionId = IdPath
Cursor = Annotated[str | None, Query(max_length=500)]


def _public(subscription: Subscription) -> SubscriptionPublic:
    return SubscriptionPublic(**subscription.model_dump(), etag=etag_of(subscription))


@router.get("/v1/lists", response_model=Page[MailingListPublic], summary="Mailing lists")
def search_lists(session: SessionDep, actor: StaffActor,
                 q: str | None = Query(None, max_length=200, pattern=r"^[^\x00]*$"),
                 sort: Literal["name", "-name", "created_at", "-created_at"] = "name",
                 cursor: Cursor = None, limit: int = Query(50, ge=1, le=500)) -> Page:
    items, next_cursor = service.search_lists(session, q=q, sort=sort, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@router.post("/v1/lists", response_model=MailingListPublic, status_code=status.HTTP_201_CREATED)
def create_list(body: MailingListCreate, session: SessionDep, actor: StaffActor, response: Response) -> MailingList:
    mailing_list = service.create_list(session, data=body, actor=actor)
    set_etag(response, mailing_list)
    return mailing_list


@router.get("/v1/lists/{list_id}", response_model=MailingListPublic)
def read_list(list_id: ListId, session: SessionDep, actor: StaffActor, response: Response) -> MailingList:
    mailing_list = service.get_list(session, list_id=list_id)
    set_etag(response, mailing_list)
    return mailing_list


@router.patch("/v1/lists/{list_id}", response_model=MailingListPublic, summary="Change fields (If-Match required)")
def update_list(list_id: ListId, body: MailingListUpdate, session: SessionDep, actor: StaffActor,
                response: Response, if_match: IfMatch = None) -> MailingList:
    mailing_list = service.get_list(session, list_id=list_id)
    check_if_match(if_match, mailing_list)
    service.update_list(session, mailing_list=mailing_list, changes=body.model_dump(exclude_unset=True), actor=actor)
    set_etag(response, mailing_list)
    return mailing_list


@router.delete("/v1/lists/{list_id}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Delete with its subscriptions (If-Match required)")
def delete_list(list_id: ListId, session: SessionDep, actor: StaffActor, if_match: IfMatch = None) -> None:
    mailing_list = service.get_list(session, list_id=list_id)
    check_if_match(if_match, mailing_list)
    service.delete_list(session, mailing_list=mailing_list, actor=actor)


@router.get("/v1/lists/{list_id}/subscriptions", response_model=Page[SubscriptionPublic],
            summary="Who is on the list (access is logged)")
def list_subscriptions(list_id: ListId, session: SessionDep, actor: StaffActor,
                       status_: SubscriptionStatus | None = Query(None, alias="status"),
                       cursor: Cursor = None, limit: int = Query(100, ge=1, le=1000)) -> Page:
    service.get_list(session, list_id=list_id)
    items, next_cursor = service.list_subscriptions(session, list_id=list_id, status=status_,
                                                    cursor=cursor, limit=limit)
    record_access(session, actor=actor, contact_ids=[s.contact_id for s in items],
                  route="GET /v1/lists/{list_id}/subscriptions")
    return Page(items=[_public(s) for s in items], next_cursor=next_cursor)


@router.post("/v1/lists/{list_id}/subscriptions", response_model=SubscriptionPublic,
             status_code=status.HTTP_201_CREATED, summary="Subscribe a contact (pending for a double opt-in)")
def subscribe(list_id: ListId, body: SubscriptionCreate, session: SessionDep, actor: StaffActor,
              response: Response) -> SubscriptionPublic:
    mailing_list = service.get_list(session, list_id=list_id)
    subscription = service.subscribe(session, mailing_list=mailing_list, data=body, actor=actor)
    set_etag(response, subscription)
    return _public(subscription)


@router.patch("/v1/subscriptions/{subscription_id}", response_model=SubscriptionPublic,
              summary="Confirm, unsubscribe or resubscribe (If-Match required)")
def update_subscription(subscription_id: SubscriptionId, body: SubscriptionUpdate, session: SessionDep,
                        actor: StaffActor, response: Response, if_match: IfMatch = None) -> SubscriptionPublic:
    subscription = service.get_subscription(session, subscription_id=subscription_id)
    check_if_match(if_match, subscription)
    service.change_subscription(session, subscription=subscription,
                                changes=body.model_dump(exclude_unset=True), actor=actor)
    set_etag(response, subscription)
    return _public(subscription)


@router.delete("/v1/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Remove the subscription (If-Match required)")
def delete_subscription(subscription_id: SubscriptionId, session: SessionDep, actor: StaffActor,
                        if_match: IfMatch = None) -> None:
    subscription = service.get_subscription(session, subscription_id=subscription_id)
    check_if_match(if_match, subscription)
    service.delete_subscription(session, subscription=subscription, actor=actor)
