"""Mailing lists and subscriptions. A subscription is personal data: every change to one is in
the contact's history, and nobody who objects to direct marketing or is restricted gets on a list."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import String, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes, record_created, record_deleted
from shared.lists.schemas import MailingListCreate, SubscriptionCreate
from shared.models import Contact, MailingList, Subscription, SubscriptionStatus, utcnow
from shared.pagination import Sort
from shared.common.errors import Conflict, InvalidReference, NotFound

SORTS = {  # each with the type its cursor value has
    "name": lambda: (Sort(func.lower(MailingList.name, type_=String), MailingList.id), str),
    "-name": lambda: (Sort(func.lower(MailingList.name, type_=String), MailingList.id, descending=True), str),
    "created_at": lambda: (Sort(MailingList.created_at, MailingList.id), datetime),
    "-created_at": lambda: (Sort(MailingList.created_at, MailingList.id, descending=True), datetime),
}
ACTIVE = frozenset({SubscriptionStatus.pending, SubscriptionStatus.subscribed})
TRANSITIONS = {
    SubscriptionStatus.pending: {SubscriptionStatus.subscribed, SubscriptionStatus.unsubscribed},
    SubscriptionStatus.subscribed: {SubscriptionStatus.unsubscribed},
    SubscriptionStatus.unsubscribed: {SubscriptionStatus.subscribed, SubscriptionStatus.pending},
}
NAME_TAKEN = "a mailing list with this name already exists"
ALREADY_SUBSCRIBED = "the contact already has a subscription to this list; change that one instead"


@contextmanager
def _unique(message: str) -> Iterator[None]:
    """A unique violation at flush (a concurrent insert) becomes a Conflict, not a 500."""
    try:
        yield
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) == "23505":
            raise Conflict(message) from None
        raise


def _page(session: Session, *, order: Sort, query, cursor: str | None,
          limit: int) -> tuple[list, str | None]:
    """Run a keyset query (Sort refuses a cursor that does not fit its column)."""
    rows = session.exec(order.apply(query, cursor=cursor, limit=limit)).all()
    return Sort.page(rows, limit=limit)


def _ensure_name_free(session: Session, name: str | None, *, except_id: int | None = None) -> None:
    if name is None:
        return
    existing = session.exec(select(MailingList.id).where(MailingList.name == name)).first()
    if existing is not None and existing != except_id:
        raise Conflict(NAME_TAKEN)


def create_list(session: Session, *, data: MailingListCreate, actor: Actor) -> MailingList:
    """Add a mailing list; its name must be free."""
    _ensure_name_free(session, data.name)
    mailing_list = MailingList(**data.model_dump())
    session.add(mailing_list)
    with _unique(NAME_TAKEN):
        record_created(session, entity=mailing_list, actor=actor)
    return mailing_list


def get_list(session: Session, *, list_id: int) -> MailingList:
    """The mailing list with this id, or NotFound."""
    mailing_list = session.get(MailingList, list_id)
    if mailing_list is None:
        raise NotFound("no such mailing list")
    return mailing_list


def update_list(session: Session, *, mailing_list: MailingList, changes: dict[str, Any], actor: Actor) -> MailingList:
    """Change the given fields; a new name must be free."""
    _ensure_name_free(session, changes.get("name"), except_id=mailing_list.id)
    with _unique(NAME_TAKEN):
        apply_changes(session, entity=mailing_list, changes=changes, actor=actor)
    return mailing_list


def delete_list(session: Session, *, mailing_list: MailingList, actor: Actor) -> None:
    """Delete the list; each subscription that goes with it is recorded in its contact's history."""
    subscriptions = session.exec(select(Subscription).where(Subscription.list_id == mailing_list.id)).all()
    for subscription in subscriptions:
        record_deleted(session, entity=subscription, actor=actor)
    record_deleted(session, entity=mailing_list, actor=actor)
    session.delete(mailing_list)
    session.flush()


def search_lists(session: Session, *, q: str | None = None, sort: str = "name", cursor: str | None = None,
                 limit: int = 50) -> tuple[list[MailingList], str | None]:
    """Mailing lists whose name starts with q, one keyset page at a time."""
    order, _ = SORTS[sort]()
    query = order.select(MailingList)
    if q:
        query = query.where(func.lower(MailingList.name).startswith(q.lower(), autoescape=True))
    return _page(session, order=order, query=query, cursor=cursor, limit=limit)


def _ensure_may_subscribe(contact: Contact) -> None:
    if contact.objects_direct_marketing_at is not None:
        raise Conflict("the contact has objected to direct marketing, so they cannot be subscribed to a list")
    if contact.restricted_at is not None:
        raise Conflict("processing of the contact's data is restricted, so they cannot be subscribed to a list")


def subscribe(session: Session, *, mailing_list: MailingList, data: SubscriptionCreate,
              actor: Actor) -> Subscription:
    """Put a contact on the list (pending until confirmed for a double opt-in)."""
    contact = session.get(Contact, data.contact_id)
    if contact is None:
        raise InvalidReference("contact_id", "no contact has this id")
    _ensure_may_subscribe(contact)
    taken = select(Subscription.id).where(Subscription.list_id == mailing_list.id,
                                           Subscription.contact_id == contact.id)
    if session.exec(taken).first() is not None:
        raise Conflict(ALREADY_SUBSCRIBED)
    subscription = Subscription(list_id=mailing_list.id, **data.model_dump())
    session.add(subscription)
    with _unique(ALREADY_SUBSCRIBED):
        record_created(session, entity=subscription, actor=actor)
    return subscription


def get_subscription(session: Session, *, subscription_id: int) -> Subscription:
    """The subscription with this id, or NotFound."""
    subscription = session.get(Subscription, subscription_id)
    if subscription is None:
        raise NotFound("no such subscription")
    return subscription


def _stamps(old: SubscriptionStatus, new: SubscriptionStatus) -> dict[str, Any]:
    now = utcnow()
    if new == SubscriptionStatus.unsubscribed:
        return {"unsubscribed_at": now}
    if old == SubscriptionStatus.pending:
        return {"confirmed_at": now}
    if new == SubscriptionStatus.pending:  # re-subscribing with a double opt-in
        return {"subscribed_at": now, "unsubscribed_at": None, "confirmed_at": None}
    return {"subscribed_at": now, "unsubscribed_at": None}


def change_subscription(session: Session, *, subscription: Subscription, changes: dict[str, Any],
                        actor: Actor) -> Subscription:
    """Change status or source; the status change stamps when it was confirmed or ended."""
    old, new = subscription.status, changes.get("status")
    if new is not None and new != old:
        if new not in TRANSITIONS[old]:
            raise Conflict(f"a {old.value} subscription cannot become {new.value}")
        if new in ACTIVE:
            _ensure_may_subscribe(session.get(Contact, subscription.contact_id))
        changes = {**changes, **_stamps(old, new)}
    apply_changes(session, entity=subscription, changes=changes, actor=actor)
    return subscription


def delete_subscription(session: Session, *, subscription: Subscription, actor: Actor) -> None:
    """Remove the subscription altogether (to keep the fact, unsubscribe instead)."""
    record_deleted(session, entity=subscription, actor=actor)
    session.delete(subscription)
    session.flush()


def list_subscriptions(session: Session, *, list_id: int, status: SubscriptionStatus | None = None,
                       cursor: str | None = None, limit: int = 100) -> tuple[list[Subscription], str | None]:
    """The list's subscriptions, oldest first, one keyset page at a time."""
    order = Sort(Subscription.id, Subscription.id)
    query = order.select(Subscription).where(Subscription.list_id == list_id)
    if status is not None:
        query = query.where(Subscription.status == status)
    return _page(session, order=order, query=query, cursor=cursor, limit=limit)
