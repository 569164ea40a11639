"""The privacy centre's home (`/privacy`, where the published notice points) and a form per right.

A form posts back to itself; a bad value re-shows it with the errors and the values kept; a good
one calls the same `submit_public` as `POST /public/requests` and answers the same whether or
not the address is in the register. The hourly limits answer with a page saying when to try again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.api.deps import SessionDep
from services.api.pages.rendering import page_language, render
from shared import notice
from shared.i18n import t
from shared.models import utcnow
from shared.notice.config import current_config
from shared.settings import get_settings
from shared.subject_requests import service
from shared.subject_requests.schemas import RECTIFIABLE, PublicRequestCreate

router = APIRouter(include_in_schema=False)
KINDS = ("access", "rectification", "erasure", "restriction", "objection")
Kind = Path(pattern="^(access|rectification|erasure|restriction|objection)$")
FIELDS = ("first_name", "last_name", "position", "email", "phone", "language")  # the form's order
assert set(FIELDS) == RECTIFIABLE
FREE_TEXT_KINDS = ("rectification", "erasure", "restriction")


async def form_values(request: Request) -> dict[str, str]:
    """The posted form as plain strings (each field once)."""
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


FormValues = Annotated[dict[str, str], Depends(form_values)]


@router.get("/privacy", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    lang = page_language(request)
    versions = notice.list_versions(session)
    return render(request, "centre/home.html", lang=lang, config=current_config(), kinds=KINDS,
                  versions=versions, privacy_email=get_settings().privacy_email)


@router.get("/public/requests")
def old_address(request: Request) -> Response:
    """The address earlier notices published: the privacy centre's home now."""
    return RedirectResponse(f"/privacy?lang={page_language(request)}", status_code=303)


@router.get("/brand.css")
def brand_css() -> Response:
    """The controller's colours from configuration, over the stylesheet's defaults."""
    colours = "".join(f"--{name}:{value};" for name, value in current_config().colours.items())
    return Response(f":root{{{colours}}}", media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


def _form(request: Request, kind: str, lang: str, *, values: dict[str, str], errors: dict[str, str],
          status_code: int = 200) -> HTMLResponse:
    return render(request, "centre/form.html", lang=lang, kind=kind, fields=FIELDS, free_text=kind in FREE_TEXT_KINDS,
                  values={"language": lang, **values}, errors=errors, status_code=status_code)


@router.get("/privacy/requests/{kind}", response_class=HTMLResponse)
def form(request: Request, kind: Annotated[str, Kind]) -> HTMLResponse:
    return _form(request, kind, page_language(request), values={}, errors={})


def _payload(kind: str, values: dict[str, str]) -> dict[str, Any]:
    changes = {f: values[f"change_{f}"] for f in FIELDS if values.get(f"change_{f}")}
    payload = {"kind": kind, "email": values.get("email", ""), "language": values.get("language"),
               "objection_scope": values.get("objection_scope") if kind == "objection" else None,
               "proposed_changes": changes, "free_text": values.get("free_text")}
    return {key: value for key, value in payload.items() if value}


def _errors(kind: str, error: ValidationError) -> dict[str, str]:
    """Each error under the field it belongs to (a rule of the whole request under its kind's field)."""
    whole = {"objection": "objection_scope", "rectification": "change_first_name"}.get(kind, "email")
    keys = {"email": "email", "language": "language", "objection_scope": "objection_scope",
            "free_text": "too_long", "proposed_changes": "changes"}
    found: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        field = {"proposed_changes": "change_first_name", "": whole}.get(name, name)
        key = keys.get(name) or ("changes" if field.startswith("change_") else field)
        found.setdefault(field, key)
    return found


@router.post("/privacy/requests/{kind}", response_class=HTMLResponse)
def submit(request: Request, session: SessionDep, kind: Annotated[str, Kind], values: FormValues) -> Response:
    lang = page_language(request)
    try:
        data = PublicRequestCreate.model_validate(_payload(kind, values))
    except ValidationError as error:
        errors = {field: t(f"centre.error.{key}", lang) for field, key in _errors(kind, error).items()}
        return _form(request, kind, lang, values=values, errors=errors, status_code=422)
    try:
        service.submit_public(session, data=data, client_ip=request.client.host if request.client else None)
    except service.RateLimited as limited:
        page = render(request, "centre/limited.html", lang=lang, retry_at=limited.retry_at, status_code=429)
        page.headers["Retry-After"] = str(max(1, int((limited.retry_at - utcnow()).total_seconds())))
        return page
    return RedirectResponse(f"/privacy/requests/{kind}/sent?lang={lang}", status_code=303)


@router.get("/privacy/requests/{kind}/sent", response_class=HTMLResponse)
def sent(request: Request, kind: Annotated[str, Kind]) -> HTMLResponse:
    return render(request, "centre/sent.html", lang=page_language(request), kind=kind,
                  hours=get_settings().verification_ttl_hours)
