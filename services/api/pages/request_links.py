"""The pages behind the links mailed about a request: verification, status, the access answer.

- `/privacy/verify/{token}`: GET shows what would be confirmed (mail scanners follow links, so
  nothing happens); POST confirms once, then goes to the status page. A used or expired link says
  so and offers a new request. `/public/verify/{token}` (links in mails sent before) is the same.
- `/privacy/status/{id}?sig=`: where the request stands, from a signed link in every mail.
- `/privacy/exports/{id}?expires=&sig=`: what the access answer holds, until when, the readable
  answer in the browser (`…/answer`) and the zip (`/public/exports/{id}`, counted and logged).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.rendering import PAGE_HEADERS, page_language, render
from shared.settings import get_settings
from shared.subject_requests import links, service, tracking

router = APIRouter(include_in_schema=False)
Token = Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")
Sig = Query(max_length=128)
Expires = Query(max_length=20)
# The readable answer is self-contained: its own inline style, nothing else.
ANSWER_HEADERS = {**PAGE_HEADERS, "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                                             "frame-ancestors 'none'; base-uri 'none'"}


def _invalid(request: Request, lang: str) -> HTMLResponse:
    return render(request, "centre/link_used.html", lang=lang, hours=get_settings().verification_ttl_hours,
                  status_code=404)


@router.get("/privacy/verify/{token}", response_class=HTMLResponse)
@router.get("/public/verify/{token}", response_class=HTMLResponse)
def confirm_page(request: Request, session: SessionDep, token: Annotated[str, Token]) -> HTMLResponse:
    lang = page_language(request)
    try:
        pending = service.pending_verification(session, token=token)
    except service.InvalidToken:
        return _invalid(request, lang)
    return render(request, "centre/verify.html", lang=lang, request_view=tracking.view(session, request=pending),
                  action=f"/privacy/verify/{token}?lang={lang}")


@router.post("/privacy/verify/{token}", response_class=HTMLResponse)
@router.post("/public/verify/{token}", response_class=HTMLResponse)
def confirm(request: Request, session: SessionDep, token: Annotated[str, Token]) -> Response:
    lang = page_language(request)
    try:
        verified = service.verify(session, token=token)
    except service.InvalidToken:
        return _invalid(request, lang)
    sig = tracking.status_signature(verified.id)
    return RedirectResponse(f"/privacy/status/{verified.id}?sig={sig}&confirmed=1&lang={lang}", status_code=303)


@router.get("/privacy/status/{request_id}", response_class=HTMLResponse)
def status_page(request: Request, session: SessionDep, request_id: uuid.UUID,
                sig: Annotated[str | None, Sig] = None) -> HTMLResponse:
    lang = page_language(request)
    try:
        view = tracking.status_view(session, request_id=request_id, sig=sig)
    except tracking.StatusLinkInvalid:
        return render(request, "centre/bad_link.html", lang=lang, status_code=404)
    return render(request, "centre/status.html", lang=lang, request_view=view,
                  confirmed=request.query_params.get("confirmed") == "1")


@router.get("/privacy/exports/{export_id}", response_class=HTMLResponse)
def export_page(request: Request, session: SessionDep, export_id: uuid.UUID,
                expires: Annotated[str | None, Expires] = None, sig: Annotated[str | None, Sig] = None) -> HTMLResponse:
    lang = page_language(request)
    try:
        export = links.check_export(session, export_id=export_id, expires=expires, sig=sig)
    except links.ExportNotFound:
        return render(request, "centre/bad_link.html", lang=lang, status_code=404)
    except links.ExportExpired:
        return render(request, "centre/export_expired.html", lang=lang, status_code=410)
    query = f"expires={expires}&sig={sig}"
    return render(request, "centre/export.html", lang=lang, export=export, files=links.export_contents(export),
                  size_kb=max(1, round(len(export.content) / 1024)),
                  answer_url=f"/privacy/exports/{export_id}/answer?{query}", zip_url=f"/public/exports/{export_id}?{query}")


@router.get("/privacy/exports/{export_id}/answer", response_class=HTMLResponse)
def export_answer(request: Request, session: SessionDep, export_id: uuid.UUID,
                  expires: Annotated[str | None, Expires] = None, sig: Annotated[str | None, Sig] = None) -> Response:
    """The readable answer in the browser: a download like the zip (counted and logged)."""
    lang = page_language(request)
    try:
        export = links.open_export(session, export_id=export_id, expires=expires, sig=sig,
                                   client_ip=request.client.host if request.client else None)
    except links.ExportNotFound:
        return render(request, "centre/bad_link.html", lang=lang, status_code=404)
    except links.ExportExpired:
        return render(request, "centre/export_expired.html", lang=lang, status_code=410)
    return HTMLResponse(links.readable_answer(export), headers=ANSWER_HEADERS)
