"""Mailing lists on the desk (sales, marketing; privacy reads): the lists, a new list, a list's
members page by page, adding a member (pending until the person confirms, where the list is run
with a double opt-in, or subscribed when they already have) and changing one: confirmed,
unsubscribed, subscribed again (pending), removed. The API's own domain functions
(shared/lists/service.py) and schemas; each change carries the subscription's ETag, as the API's
If-Match does. The members shown are in the access log, as the API logs them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, select

from services.api.deps import SessionDep
from services.api.errors import error_answer
from services.api.etag import etag_of
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may
from services.api.pages.desk.records import field_errors, stale
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from services.api.params import IdPath
from shared.audit.service import record_access
from shared.common.errors import DomainError
from shared.common.validation import normalize_email
from shared.i18n import t
from shared.lists import service
from shared.lists.schemas import MailingListCreate, SubscriptionCreate, SubscriptionUpdate
from shared.models import Contact, SourceKind, SubscriptionStatus

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
Action = Path(pattern="^(confirm|unsubscribe|resubscribe|remove)$")
NEW_STATUS = {"confirm": SubscriptionStatus.subscribed, "unsubscribe": SubscriptionStatus.unsubscribed,
              "resubscribe": SubscriptionStatus.pending}
PAGE = 100


def _lists_page(request: Request, session: Session, desk: Desk, *, errors=None, values=None,
                status_code: int = 200) -> HTMLResponse:
    items, after = service.search_lists(session, cursor=request.query_params.get("after") or None, limit=PAGE)
    return render(request, "desk/lists.html", lang=desk.lang, desk=desk, items=items, after=after,
                  errors=errors or {}, values=values or {}, status_code=status_code,
                  can_write=may(desk, "POST", "/desk/lists"))


@router.get("/desk/lists", response_class=HTMLResponse)
def lists(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _lists_page(request, session, desk)


@router.post("/desk/lists", response_class=HTMLResponse)
def create_list(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    try:
        data = MailingListCreate.model_validate({"name": values.get("name", ""),
                                                 "description": values.get("description") or None})
        with session.begin_nested():
            made = service.create_list(session, data=data, actor=desk.actor)
    except ValidationError as error:
        return _lists_page(request, session, desk, errors=field_errors(error, desk.lang), values=values,
                           status_code=422)
    except DomainError as refused:  # the name is taken
        return _lists_page(request, session, desk, errors={"name": t("sales.lists.name_taken", desk.lang)},
                           values=values, status_code=error_answer(refused)[0])
    return RedirectResponse(f"/desk/lists/{made.id}?lang={desk.lang}&note=created", status_code=303)


def _list_page(request: Request, session: Session, desk: Desk, list_id: int, *, errors=None, values=None,
               problem: str | None = None, status_code: int = 200) -> HTMLResponse:
    mailing_list = service.get_list(session, list_id=list_id)
    shown = request.query_params.get("status")
    status = SubscriptionStatus(shown) if shown in SubscriptionStatus.__members__ else None
    members, after = service.list_subscriptions(session, list_id=list_id, status=status,
                                                cursor=request.query_params.get("after") or None, limit=PAGE)
    people = {c.id: c for c in session.exec(select(Contact).where(Contact.id.in_([m.contact_id for m in members])))}
    rows = [{"s": m, "contact": people.get(m.contact_id), "etag": etag_of(m)} for m in members]
    page = render(request, "desk/list.html", lang=desk.lang, desk=desk, mailing_list=mailing_list, rows=rows,
                  after=after, shown=status.value if status else "", statuses=list(SubscriptionStatus),
                  sources=list(SourceKind), errors=errors or {}, values=values or {"status": "pending"},
                  problem=problem, note=request.query_params.get("note"), status_code=status_code,
                  can_write=may(desk, "POST", "/desk/lists/{list_id}/members"))
    record_access(session, actor=desk.actor, contact_ids=[m.contact_id for m in members],
                  route="GET /desk/lists/{list_id}")
    return page


@router.get("/desk/lists/{list_id}", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, desk: DeskUser, list_id: IdPath) -> HTMLResponse:
    return _list_page(request, session, desk, list_id)


def _contact_of(session: Session, given: str) -> Contact | None:
    """The contact a staff member named: its number in the register, or its email address."""
    if given.isdigit():
        return session.get(Contact, int(given)) if int(given) < 2**31 else None
    try:
        email = normalize_email(given)
    except ValueError:
        return None
    return session.exec(select(Contact).where(Contact.email == email)).first()


@router.post("/desk/lists/{list_id}/members", response_class=HTMLResponse)
def add_member(request: Request, session: SessionDep, desk: DeskUser, list_id: IdPath, values: FormValues) -> Response:
    mailing_list = service.get_list(session, list_id=list_id)
    contact = _contact_of(session, values.get("contact", ""))
    if contact is None:
        return _list_page(request, session, desk, list_id, values=values, status_code=422,
                          errors={"contact": t("sales.lists.no_contact", desk.lang)})
    try:
        data = SubscriptionCreate.model_validate({"contact_id": contact.id, "source": values.get("source") or None,
                                                  "status": values.get("status") or None})
        with session.begin_nested():
            service.subscribe(session, mailing_list=mailing_list, data=data, actor=desk.actor)
    except ValidationError as error:
        return _list_page(request, session, desk, list_id, errors=field_errors(error, desk.lang), values=values,
                          status_code=422)
    except DomainError as refused:  # already on the list, objected to direct marketing, restricted
        return _list_page(request, session, desk, list_id, values=values, status_code=error_answer(refused)[0],
                          errors={"contact": t("sales.lists.refused", desk.lang, detail=t(_why(refused), desk.lang))})
    return RedirectResponse(f"/desk/lists/{list_id}?lang={desk.lang}&note=added", status_code=303)


def _why(refused: DomainError) -> str:
    """The domain's refusal of a subscription, in the reader's words (its message names the rule)."""
    message = str(refused)
    for rule in ("objected", "restricted", "already"):
        if rule in message:
            return f"sales.lists.why_{rule}"
    return refused.key


@router.post("/desk/subscriptions/{subscription_id}/{action}", response_class=HTMLResponse)
def change(request: Request, session: SessionDep, desk: DeskUser, subscription_id: IdPath,
           action: Annotated[str, Action], values: FormValues) -> Response:
    subscription = service.get_subscription(session, subscription_id=subscription_id)
    list_id = subscription.list_id
    if stale(values, subscription):  # the API's If-Match: someone changed it meanwhile
        return _list_page(request, session, desk, list_id, problem=t("sales.lists.stale", desk.lang), status_code=409)
    try:
        with session.begin_nested():
            if action == "remove":
                service.delete_subscription(session, subscription=subscription, actor=desk.actor)
            else:
                data = SubscriptionUpdate(status=NEW_STATUS[action])
                service.change_subscription(session, subscription=subscription,
                                            changes=data.model_dump(exclude_unset=True), actor=desk.actor)
    except DomainError as refused:
        session.expire_all()
        return _list_page(request, session, desk, list_id, status_code=error_answer(refused)[0],
                          problem=t("sales.lists.refused", desk.lang, detail=t(_why(refused), desk.lang)))
    return RedirectResponse(f"/desk/lists/{list_id}?lang={desk.lang}&note={action}", status_code=303)
