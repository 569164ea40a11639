"""The data subject's way in: no login. Answers never reveal whether an address is in the
register; a request proceeds only once its emailed link is followed (GET shows a page with a
button, because mail scanners follow links; the POST verifies)."""

from __future__ import annotations

import html

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import HTMLResponse

from services.api.deps import SessionDep
from services.api.errors import error_answer
from shared.subject_requests import service
from shared.subject_requests.schemas import PublicReceipt, PublicRequestCreate

router = APIRouter(prefix="/public", tags=["public"])
Token = Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")

_PAGE = """<!doctype html><html lang="fi"><meta charset="utf-8"><title>Rekisteri</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>{title}</h1><p>{text}</p>{form}</body></html>"""


@router.post("/requests", response_model=PublicReceipt, status_code=status.HTTP_202_ACCEPTED,
             summary="Ask for access, rectification, erasure, restriction, or object")
def submit(body: PublicRequestCreate, request: Request, session: SessionDep) -> PublicReceipt:
    service.submit_public(session, data=body, client_ip=request.client.host if request.client else None)
    return PublicReceipt()


@router.get("/verify/{token}", response_class=HTMLResponse, summary="The page behind the emailed link")
def confirm_page(token: str = Token) -> HTMLResponse:
    form = (f'<form method="post" action="/public/verify/{html.escape(token)}">'
            '<button type="submit">Vahvista / Bekräfta / Confirm</button></form>')
    return HTMLResponse(_PAGE.format(title="Vahvista pyyntösi / Bekräfta / Confirm your request",
                                     text="Vahvista pyyntö painamalla painiketta. / Press the button to confirm.",
                                     form=form))


@router.post("/verify/{token}", response_class=HTMLResponse, summary="Confirm the request (single use)",
             responses={404: {"description": "unknown, used or expired link",
                              "content": {"text/html": {"schema": {"type": "string"}}}}})
def verify(session: SessionDep, token: str = Token) -> HTMLResponse:
    try:
        service.verify(session, token=token)
    except service.InvalidToken as exc:
        return HTMLResponse(_PAGE.format(title="Linkki ei ole voimassa / The link is not valid",
                                         text="Linkki on käytetty tai vanhentunut. / The link was used or has expired.",
                                         form=""), status_code=error_answer(exc)[0])
    return HTMLResponse(_PAGE.format(title="Kiitos / Tack / Thank you",
                                     text="Pyyntösi on vahvistettu. / Your request is confirmed; we will email you.",
                                     form=""))
