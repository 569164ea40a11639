"""Campaigns: the list, composing a draft (lists, narrowing, sender, the message per language with
its placeholders; `CampaignCreate` checks it as the API does), the campaign's page, a preview as a
chosen person in each language, a test message to a staff address, start / schedule / pause /
resume / cancel, and the recipient log. Every call is the API's own (shared/campaigns/service.py,
as services/api/routes/campaigns.py makes them).

Before starting, the page shows who would get the message and who would be left out and why,
counted with the notifier's own send-time rule (`audience.forecast` runs shared/outbox/eligibility.py
on the same facts) by a job queued when the draft is saved and again on "count again". While counting
and sending, the statistics and the skip reasons refresh with a `<meta http-equiv=
"refresh">` (no script). The preview with a person's details and the recipient log are in the
access log, as the API's reads are."""

from __future__ import annotations

import re
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import select

from services.api.deps import SessionDep
from services.api.errors import error_answer
from services.api.etag import check_if_match, etag_of
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import Posted, may, moment
from services.api.pages.rendering import render
from shared.audit.service import record_access
from shared.campaigns import audience, service
from shared.campaigns.render import FIELDS
from shared.campaigns.schemas import MIN_JUSTIFICATION, CampaignCreate, ScheduleIn, TestSendIn
from shared.common.errors import Conflict, DomainError, InvalidReference
from shared.i18n import LANGUAGES, TEXTS, t
from shared.models import FINAL_JOB_STATUSES, CompanyStatus, JobStatus, Language, LegalBasis, MailingList
from shared.models.campaigns import Campaign, CampaignStatus
from shared.subject_requests.notice import CONTROLLER

log = structlog.get_logger(__name__)
router = APIRouter(include_in_schema=False)
Action = Path(pattern="^(count|start|pause|resume|cancel)$")
ACTIONS = {"count": service.count_audience, "start": service.start, "pause": service.pause, "resume": service.resume,
           "cancel": service.cancel}
S = CampaignStatus
PAGE = 50
REFRESH_SECONDS = 3
CATEGORIES = ("marketing", "research", "sister_marketing")
PARTS = ("subject", "body_text", "body_html")
FILTERS = {"languages": [x.value for x in Language], "company_statuses": [x.value for x in CompanyStatus],
           "legal_bases": [x.value for x in LegalBasis]}
SKIP_KEYS = frozenset(key for key in TEXTS if key.startswith("camp.skip."))
PLACEHOLDERS = tuple("{" + name + "}" for name in sorted(FIELDS))
_PLACEHOLDER = re.compile(r"(\{[a-z_]+\})")


def template_parts(text: str) -> list[tuple[bool, str]]:
    """A template's text in pieces, each (is a placeholder, text): the page marks placeholders as code."""
    return [(bool(_PLACEHOLDER.fullmatch(piece)), piece) for piece in _PLACEHOLDER.split(text or "") if piece]


# -- the list and composing ------------------------------------------------------------------

@router.get("/desk/campaigns", response_class=HTMLResponse)
def campaigns(request: Request, session: SessionDep, desk: DeskUser,
              before: Annotated[int | None, Query(ge=1)] = None) -> HTMLResponse:
    rows = service.list_campaigns(session, before_id=before, limit=PAGE)
    return render(request, "desk/campaigns.html", lang=desk.lang, desk=desk, campaigns=rows,
                  more=rows[-1].id if len(rows) == PAGE else None, before=before,
                  may_compose=may(desk, "GET", "/desk/campaigns/new"))


def _lists(session) -> list[MailingList]:
    return list(session.exec(select(MailingList).order_by(MailingList.name).limit(500)).all())


def _compose(request: Request, session, desk: Desk, *, values: dict[str, Any], errors=None,
             campaign: Campaign | None = None, status_code: int = 200) -> HTMLResponse:
    """The compose form: a new draft, or (with `campaign`) a draft or scheduled one changed."""
    return render(request, "desk/campaign_new.html", lang=desk.lang, desk=desk, lists=_lists(session),
                  filters=FILTERS, categories=CATEGORIES, placeholders=PLACEHOLDERS, campaign=campaign,
                  etag=etag_of(campaign) if campaign else None, minimum=MIN_JUSTIFICATION, values=values,
                  errors=errors or {}, status_code=status_code)


@router.get("/desk/campaigns/new", response_class=HTMLResponse)
def compose(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _compose(request, session, desk, values={
        "category": "marketing", "sender_name": CONTROLLER["name"], "sender_postal_address": CONTROLLER["address"],
        "sender_email": desk.user.email or ""})


def _stored_values(campaign: Campaign) -> dict[str, Any]:
    """A stored campaign as the compose form's values."""
    values: dict[str, Any] = {name: getattr(campaign, name) or "" for name in (
        "name", "sender_name", "sender_email", "sender_postal_address", "reply_to", "relevance_justification")}
    values |= {"category": campaign.category.value, "list_ids": [str(i) for i in campaign.list_ids],
               "fallback_language": campaign.fallback_language.value,
               "relevant_to_role": "yes" if campaign.relevant_to_role else ""}
    values |= {name: list(campaign.audience_filter.get(name) or []) for name in FILTERS}
    for code, template in campaign.templates.items():
        values |= {f"{code}_{part}": template.get(part) or "" for part in PARTS}
    return values


def _form(form) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the values to show again, the body for CampaignCreate) of the posted compose form."""
    values: dict[str, Any] = {k: str(v).strip() for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    for name in ("list_ids", *FILTERS):
        values[name] = [str(v) for v in form.getlist(name)]
    templates = {}
    for code in LANGUAGES:
        part = {p: values.get(f"{code}_{p}", "") for p in PARTS}
        if any(part.values()):
            templates[code] = {p: v for p, v in part.items() if v}
    body = {"name": values.get("name", ""), "category": values.get("category") or None,
            "list_ids": [int(v) if v.isdigit() else v for v in values["list_ids"]],
            "audience_filter": {name: values[name] for name in FILTERS if values[name]},
            "sender_name": values.get("sender_name", ""), "sender_email": values.get("sender_email", ""),
            "sender_postal_address": values.get("sender_postal_address", ""),
            "reply_to": values.get("reply_to") or None, "templates": templates,
            "fallback_language": values.get("fallback_language") or None,
            "relevant_to_role": values.get("relevant_to_role") == "yes",
            "relevance_justification": values.get("relevance_justification") or None}
    return values, body


def _compose_errors(error: ValidationError, lang: str) -> dict[str, str]:
    """Each problem at the field the reader fills in, in their language."""
    found: dict[str, str] = {}
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        message = str(item.get("msg", ""))
        if loc[:1] == ["templates"]:
            if len(loc) >= 3 and loc[2] in PARTS:
                found.setdefault(f"{loc[1]}_{loc[2]}", t(f"camp.error.{loc[2]}", lang))
            elif len(loc) == 2 and "placeholder" in message:
                found.setdefault(f"{loc[1]}_body_text", t("camp.error.placeholders", lang))
            else:
                found.setdefault("fi_subject", t("camp.error.templates", lang))
        elif loc[:1] == ["audience_filter"]:
            name = loc[1] if len(loc) > 1 and loc[1] in FILTERS else "languages"
            found.setdefault(name, t("camp.error.filter", lang))
        elif loc and loc[0] in ("name", "category", "list_ids", "sender_name", "sender_email",
                                "sender_postal_address", "reply_to", "fallback_language"):
            found.setdefault(loc[0], t(f"camp.error.{loc[0]}", lang))
        elif "relevance" in message or loc[:1] == ["relevance_justification"]:
            found.setdefault("relevance_justification",
                             t("camp.error.relevance_justification", lang, n=MIN_JUSTIFICATION))
        elif "fallback" in message:
            found.setdefault("fallback_language", t("camp.error.fallback_language", lang))
        else:
            found.setdefault("name", t("errors.invalid", lang))
    return found


@router.post("/desk/campaigns/new", response_class=HTMLResponse)
def create(request: Request, session: SessionDep, desk: DeskUser, form: Posted) -> Response:
    values, body = _form(form)
    try:
        campaign = service.create_campaign(session, data=CampaignCreate.model_validate(body), actor=desk.actor)
        service.count_audience(session, campaign=campaign, actor=desk.actor)  # counted while the page opens
    except ValidationError as error:
        return _compose(request, session, desk, values=values, errors=_compose_errors(error, desk.lang),
                        status_code=422)
    except InvalidReference:  # a list removed meanwhile
        return _compose(request, session, desk, values=values, status_code=422,
                        errors={"list_ids": t("camp.error.list_ids", desk.lang)})
    return RedirectResponse(f"/desk/campaigns/{campaign.id}?lang={desk.lang}&note=saved", status_code=303)


@router.get("/desk/campaigns/{campaign_id}/edit", response_class=HTMLResponse)
def edit(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int) -> HTMLResponse:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    return _compose(request, session, desk, values=_stored_values(campaign), campaign=campaign)


@router.post("/desk/campaigns/{campaign_id}/edit", response_class=HTMLResponse)
def change(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int, form: Posted) -> Response:
    """The API's PATCH: checked as a whole, with the ETag read (a change made meanwhile is refused)."""
    campaign = service.get_campaign(session, campaign_id=campaign_id, lock=True)
    values, body = _form(form)
    body["category"] = campaign.category.value  # fixed once the draft exists
    try:
        check_if_match(str(form.get("etag") or ""), campaign)  # the API's If-Match rule, as a hidden field
    except HTTPException:
        return _compose(request, session, desk, values=_stored_values(campaign), campaign=campaign, status_code=409,
                        errors={"name": t("reg.conflict", desk.lang)})
    try:
        checked = CampaignCreate.model_validate(body)
        changes = checked.model_dump(exclude={"category"})
        changes["audience_filter"] = checked.audience_filter.model_dump(mode="json")
        service.update_campaign(session, campaign=campaign, changes=changes, actor=desk.actor)
    except ValidationError as error:
        return _compose(request, session, desk, values=values, campaign=campaign, status_code=422,
                        errors=_compose_errors(error, desk.lang))
    except InvalidReference:
        return _compose(request, session, desk, values=values, campaign=campaign, status_code=422,
                        errors={"list_ids": t("camp.error.list_ids", desk.lang)})
    except Conflict:  # started meanwhile
        return _refused(request, session, desk, campaign_id, Conflict("not editable"), {}, "actions")
    service.count_audience(session, campaign=campaign, actor=desk.actor)  # the audience may have changed
    return RedirectResponse(f"/desk/campaigns/{campaign_id}?lang={desk.lang}&note=changed", status_code=303)


# -- one campaign ------------------------------------------------------------------------------

def _page(request: Request, session, desk: Desk, campaign: Campaign, *, errors=None, values=None,
          status_code: int = 200) -> HTMLResponse:
    open_ = campaign.status in (S.draft, S.scheduled)
    stats = None if campaign.status == S.draft else service.stats(session, campaign=campaign)
    count = service.latest_count(session, campaign=campaign) if open_ else None
    counting = count is not None and count.status not in FINAL_JOB_STATUSES
    building = campaign.status == S.sending and campaign.audience_built_at is None
    live = campaign.status == S.sending or building or counting
    lists = {m.id: m.name for m in session.exec(select(MailingList).where(MailingList.id.in_(campaign.list_ids)))}
    acts = may(desk, "POST", "/desk/campaigns/{campaign_id}/{action}")
    return render(request, "desk/campaign.html", lang=desk.lang, desk=desk, campaign=campaign, stats=stats,
                  open_=open_, count=count, counting=counting,
                  forecast=count.result if count is not None and count.status == JobStatus.succeeded else None,
                  building=building, live=live, refresh=REFRESH_SECONDS, lists=lists,
                  placeholders=PLACEHOLDERS, parts=template_parts, skip_keys=SKIP_KEYS,
                  note=request.query_params.get("note"),
                  may_act=acts, may_edit=may(desk, "GET", "/desk/campaigns/{campaign_id}/edit"), may_preview=may(desk, "GET", "/desk/campaigns/{campaign_id}/preview"),
                  may_log=may(desk, "GET", "/desk/campaigns/{campaign_id}/recipients"),
                  may_outcomes=may(desk, "GET", "/desk/mail-outcomes"),
                  errors=errors or {}, values=values or {"to": desk.user.email or ""}, status_code=status_code)


@router.get("/desk/campaigns/{campaign_id}", response_class=HTMLResponse)
def one(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int) -> HTMLResponse:
    return _page(request, session, desk, service.get_campaign(session, campaign_id=campaign_id))


def _refused(request: Request, session, desk: Desk, campaign_id: int, refused: DomainError, values, field: str):
    """A state change the campaign's state does not allow: the page again with why, at the form."""
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    message = (t("camp.error.state", desk.lang, state=t(f"camp.status.{campaign.status.value}", desk.lang))
               if isinstance(refused, Conflict) else t(refused.key, desk.lang))
    return _page(request, session, desk, campaign, errors={field: message}, values=values,
                 status_code=error_answer(refused)[0])


@router.post("/desk/campaigns/{campaign_id}/test-send", response_class=HTMLResponse)
def test_send(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int, form: Posted) -> Response:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    values = {"to": str(form.get("to") or "").strip(), "language": str(form.get("language") or "")}
    errors: dict[str, str] = {}
    try:
        body = TestSendIn.model_validate({"to": values["to"], "language": values["language"] or None})
        if body.language is not None and body.language.value not in campaign.templates:
            errors["language"] = t("camp.error.language", desk.lang)
    except ValidationError as error:
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "to"
            errors.setdefault(name if name in values else "to", t(f"camp.error.{name if name in values else 'to'}",
                                                                  desk.lang))
    if errors:
        return _page(request, session, desk, campaign, errors=errors, values=values, status_code=422)
    try:
        service.send_test(session, campaign=campaign, to=body.to, language=body.language, actor=desk.actor)
    except DomainError as refused:
        return _refused(request, session, desk, campaign_id, refused, values, "to")
    return RedirectResponse(f"/desk/campaigns/{campaign_id}?lang={desk.lang}&note=test", status_code=303)


@router.post("/desk/campaigns/{campaign_id}/schedule", response_class=HTMLResponse)
def schedule(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int, form: Posted) -> Response:
    campaign = service.get_campaign(session, campaign_id=campaign_id, lock=True)
    values = {"send_at": str(form.get("send_at") or "").strip()}
    try:
        body = ScheduleIn.model_validate({"send_at": moment(values["send_at"])})
    except (ValueError, ValidationError):
        return _page(request, session, desk, campaign, values=values, status_code=422,
                     errors={"send_at": t("camp.error.send_at", desk.lang)})
    try:
        service.schedule(session, campaign=campaign, send_at=body.send_at, actor=desk.actor)
    except DomainError as refused:
        return _refused(request, session, desk, campaign_id, refused, values, "send_at")
    return RedirectResponse(f"/desk/campaigns/{campaign_id}?lang={desk.lang}&note=schedule", status_code=303)


@router.post("/desk/campaigns/{campaign_id}/{action}", response_class=HTMLResponse)
def act(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int,
        action: Annotated[str, Action]) -> Response:
    campaign = service.get_campaign(session, campaign_id=campaign_id, lock=True)  # as the API's `_act`
    try:
        ACTIONS[action](session, campaign=campaign, actor=desk.actor)
    except DomainError as refused:
        return _refused(request, session, desk, campaign_id, refused, {}, "actions")
    log.info("desk.campaign_action", campaign_id=campaign_id, action=action, user_id=desk.user.id)
    return RedirectResponse(f"/desk/campaigns/{campaign_id}?lang={desk.lang}&note={action}", status_code=303)


@router.get("/desk/campaigns/{campaign_id}/preview", response_class=HTMLResponse)
def preview(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int,
            contact_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None) -> HTMLResponse:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    people = audience.sample_people(session, campaign=campaign)
    shown, errors, status_code = [], {}, 200
    try:
        for code in (c for c in LANGUAGES if c in campaign.templates):
            rendered, notice = service.preview(session, campaign=campaign, contact_id=contact_id,
                                               language=Language(code))
            shown.append((code, rendered, notice))
    except DomainError as refused:
        shown, status_code = [], error_answer(refused)[0]
        errors = {"contact_id": t(refused.key, desk.lang)}
    page = render(request, "desk/campaign_preview.html", lang=desk.lang, desk=desk, campaign=campaign, people=people,
                  shown=shown, values={"contact_id": str(contact_id or "")}, errors=errors, status_code=status_code)
    record_access(session, actor=desk.actor, contact_ids=[p[0] for p in people] + ([contact_id] if contact_id else []),
                  route="GET /desk/campaigns/{campaign_id}/preview")
    return page


@router.get("/desk/campaigns/{campaign_id}/recipients", response_class=HTMLResponse)
def recipients(request: Request, session: SessionDep, desk: DeskUser, campaign_id: int,
               after: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    campaign = service.get_campaign(session, campaign_id=campaign_id)
    rows = service.recipient_log(session, campaign=campaign, after_contact_id=after, limit=PAGE)
    page = render(request, "desk/campaign_recipients.html", lang=desk.lang, desk=desk, campaign=campaign, rows=rows,
                  after=after, more=rows[-1]["contact_id"] if len(rows) == PAGE else None,
                  may_person=may(desk, "GET", "/desk/people/{contact_id}"), skip_keys=SKIP_KEYS)
    record_access(session, actor=desk.actor, contact_ids=[r["contact_id"] for r in rows],
                  route="GET /desk/campaigns/{campaign_id}/recipients")
    return page
