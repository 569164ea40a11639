"""Partners and transfers: the partners with their agreements (those ending within 60 days marked
in words), a new transfer with its preview (shared/transfers/preview.py: the transfer's own rules,
counted and not made) and then made by the API's `create_transfer`, and the disclosure log with
the Art. 19 follow-ups that wait or failed. Who sees which part: the API's rules (authz.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import select

from services.api.deps import SessionDep
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may
from services.api.pages.rendering import render
from shared.audit.service import record_access
from shared.i18n import t
from shared.models import CompanyStatus, Disclosure, Language, MailingList, utcnow
from shared.models.partners import Transfer, TransferKind, TransferStatus
from shared.partners import service as partners
from shared.partners.schemas import TRANSFER_PURPOSES, TRANSFERABLE_FIELDS, TransferCreate
from shared.subject_requests.followups import FOLLOW_UP_KINDS
from shared.transfers import service as transfers
from shared.transfers.preview import preview_transfer

router = APIRouter(include_in_schema=False)
EXPIRING_WITHIN = timedelta(days=60)
LOG_ROWS = 200
NAMED = 20  # people named per exclusion rule in a preview


def agreement_state(partner, *, today) -> tuple[str, int | None]:
    """in_force, expiring (within EXPIRING_WITHIN: days left), ended (or not yet in force), inactive."""
    if not partner.active:
        return "inactive", None
    if not partners.agreement_valid(partner, today=today):
        return "ended", None
    expires = partner.agreement_expires_on
    if expires is not None and expires - today <= EXPIRING_WITHIN:
        return "expiring", (expires - today).days
    return "in_force", None


@router.get("/desk/partners", response_class=HTMLResponse)
def partner_list(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    today = utcnow().date()
    rows = [(p, *agreement_state(p, today=today)) for p in partners.list_partners(session)]
    names = {p.id: p.name for p, _, _ in rows}
    shown = may(desk, "GET", "/desk/disclosures")
    recent = transfers.list_transfers(session, limit=50) if shown else []
    return render(request, "desk/partners.html", lang=desk.lang, desk=desk, rows=rows, transfers=recent,
                  names=names, can_transfer=shown)


def _form(request: Request, session, desk: Desk, *, values: dict, errors: dict[str, str], preview=None,
          made: Transfer | None = None, link: str | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, "desk/transfer_new.html", lang=desk.lang, desk=desk, values=values, errors=errors,
                  partners=partners.list_partners(session, active=True), purposes=TRANSFER_PURPOSES,
                  fields=TRANSFERABLE_FIELDS, statuses=list(CompanyStatus), languages=list(Language),
                  lists=session.exec(select(MailingList).order_by(MailingList.name).limit(500)).all(),
                  preview=preview, made=made, link=link, status_code=status_code)


@router.get("/desk/transfers/new", response_class=HTMLResponse)
def new_transfer(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _form(request, session, desk, values={"fields": [], "list_ids": [], "company_statuses": [],
                                                 "languages": []}, errors={})


async def _posted(request: Request) -> dict:
    form = await request.form()
    return {"partner_id": form.get("partner_id") or None, "purpose": form.get("purpose") or None,
            "fields": form.getlist("fields"), "list_ids": form.getlist("list_ids"),
            "company_statuses": form.getlist("company_statuses"), "languages": form.getlist("languages"),
            "go": form.get("go")}


Posted = Annotated[dict, Depends(_posted)]


@router.post("/desk/transfers/new", response_class=HTMLResponse)
def make_transfer(request: Request, session: SessionDep, desk: DeskUser, values: Posted) -> Response:
    try:
        data = TransferCreate.model_validate({
            "partner_id": values["partner_id"], "purpose": values["purpose"], "fields": values["fields"] or None,
            "selection": {k: values[k] for k in ("list_ids", "company_statuses", "languages")}})
    except ValidationError as error:
        errors = {}
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "purpose"
            field = name if name in ("partner_id", "purpose") else "partner_id"
            errors.setdefault(field, t("reg.transfer.partner_missing" if field == "partner_id"
                                       else "reg.transfer.purpose_missing", desk.lang))
        return _form(request, session, desk, values=values, errors=errors, status_code=422)
    if values["go"] != "make":  # the preview names who each rule keeps out: a read, in the access log
        preview = preview_transfer(session, data=data, today=utcnow().date(), named=NAMED)
        page = _form(request, session, desk, values=values, errors={}, preview=preview)
        named = [i for people in preview.who.values() for i, _, _ in people]
        record_access(session, actor=desk.actor, contact_ids=named, route="POST /desk/transfers/new")
        return page
    preview = preview_transfer(session, data=data, today=utcnow().date())
    if preview.refusal is not None:
        return _form(request, session, desk, values=values, errors={}, preview=preview)
    made = transfers.create_transfer(session, data=data, actor=desk.actor)
    public = transfers.to_public(made, with_link=True)  # the partner's link: shown this once, as the API does
    return _form(request, session, desk, values=values, errors={}, made=made, link=public.download_url)


@router.get("/desk/disclosures", response_class=HTMLResponse)
def disclosures(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    log = partners.list_disclosures(session, limit=LOG_ROWS)
    waiting = session.exec(select(Disclosure).where(Disclosure.status == "pending",
                                                    Disclosure.recipient_kind == "partner",
                                                    Disclosure.kind.in_(sorted(FOLLOW_UP_KINDS)))
                           .order_by(Disclosure.id).limit(LOG_ROWS)).all()
    failed = session.exec(select(Transfer).where(Transfer.kind == TransferKind.followup,
                                                 Transfer.status == TransferStatus.failed)
                          .order_by(Transfer.created_at.desc()).limit(50)).all()
    names = {p.id: p.name for p in partners.list_partners(session)}
    record_access(session, actor=desk.actor, contact_ids=[d.contact_id for d in [*log, *waiting]],
                  route="GET /desk/disclosures")
    return render(request, "desk/partners_disclosures.html", lang=desk.lang, desk=desk, log=log, waiting=waiting,
                  failed=failed, names=names, rows=LOG_ROWS)
