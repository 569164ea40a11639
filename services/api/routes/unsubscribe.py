"""The opt-out link of every campaign message: no login, a signed token, idempotent.

POST is RFC 8058 one-click (the body `List-Unsubscribe=One-Click`) or a choice (`choice=`); it
records the objection and the suppression entry, and the transaction commits before the answer
is sent. A GET of the same address opens the preference page (services/api/pages/preferences.py),
which only shows (mail scanners follow links).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse

from services.api.deps import SessionDep
from services.api.errors import error_answer
from services.api.pages.rendering import page_language, render
from shared.campaigns.unsubscribe import TOKEN_PATTERN, Choice, InvalidUnsubscribeToken, unsubscribe

router = APIRouter(prefix="/public", tags=["public"])
Token = Path(min_length=38, max_length=70, pattern=TOKEN_PATTERN)
INVALID_LINK = {404: {"description": "the link is not valid (the same page for every reason)",
                      "content": {"text/html": {"schema": {"type": "string"}}}}}
DONE = {"test": "test", Choice.one_click: "one_click", Choice.leave_list: "leave",
        Choice.direct_marketing: "object_marketing", Choice.research: "object_research"}


@router.post("/unsubscribe/{token}", response_class=HTMLResponse, responses=INVALID_LINK,
             summary="One-click opt-out (RFC 8058)")
def opt_out(request: Request, session: SessionDep, token: Annotated[str, Token],
            choice: Annotated[Choice | None, Form(description="empty: one-click")] = None) -> HTMLResponse:
    lang = page_language(request)
    try:
        done = unsubscribe(session, token=token, choice=choice or Choice.one_click)
    except InvalidUnsubscribeToken as exc:
        return render(request, "centre/bad_link.html", lang=lang, status_code=error_answer(exc)[0])
    return render(request, "centre/opted_out.html", lang=lang, token=token, done=DONE[done])
