"""The opt-out link of every campaign message: no login, a signed token, idempotent.

POST is RFC 8058 one-click (the body `List-Unsubscribe=One-Click`) or a choice from the page;
it records the objection and the suppression entry, and the transaction commits before the
answer is sent. GET only shows the page (mail scanners follow links): leave this list, object
to all marketing, or object to research.
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse

from services.api.deps import SessionDep
from services.api.errors import error_answer
from shared.campaigns.unsubscribe import TOKEN_PATTERN, Choice, InvalidUnsubscribeToken, parse_token, unsubscribe

router = APIRouter(prefix="/public", tags=["public"])
Token = Path(min_length=38, max_length=70, pattern=TOKEN_PATTERN)
INVALID_LINK = {404: {"description": "the link is not valid (the same page for every reason)",
                      "content": {"text/html": {"schema": {"type": "string"}}}}}

_PAGE = """<!doctype html><html lang="fi"><meta charset="utf-8"><title>Rekisteri</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>{title}</h1><p>{text}</p>{forms}</body></html>"""
_CHOICES = (
    (Choice.leave_list, "Poistu tältä postituslistalta / Lämna den här listan / Leave this list"),
    (Choice.direct_marketing, "Kiellä kaikki suoramarkkinointi / Förbjud all direktmarknadsföring / "
                              "Object to all direct marketing"),
    (Choice.research, "Kiellä markkina- ja mielipidetutkimukset / Förbjud undersökningar / Object to research"),
)
_DONE = {
    "test": "Tämä oli testiviestin linkki: mitään ei muutettu. / This was a test message's link: nothing changed.",
    Choice.leave_list: "Sinut on poistettu listalta. / Du har tagits bort från listan. / You have left the list.",
    Choice.research: "Kielto on kirjattu. / Förbudet har registrerats. / Your objection to research is recorded.",
}
_OBJECTED = ("Kielto on kirjattu ja voimassa heti. / Förbudet gäller omedelbart. / "
             "Your objection is recorded and in effect now.")
_INVALID = HTMLResponse(_PAGE.format(title="Linkki ei kelpaa / The link is not valid",
                                     text="Tarkista linkki viestistä. / Check the link in the message.", forms=""),
                        status_code=error_answer(InvalidUnsubscribeToken())[0])


@router.get("/unsubscribe/{token}", response_class=HTMLResponse, responses=INVALID_LINK,
            summary="The opt-out page (asks to confirm)")
def confirm_page(token: Annotated[str, Token]) -> HTMLResponse:
    try:
        parse_token(token)
    except InvalidUnsubscribeToken:
        return _INVALID
    action = f"/public/unsubscribe/{html.escape(token)}"
    forms = "".join(f'<form method="post" action="{action}"><input type="hidden" name="choice" value="{c.value}">'
                    f'<button type="submit">{html.escape(label)}</button></form><p></p>' for c, label in _CHOICES)
    return HTMLResponse(_PAGE.format(title="Markkinoinnin kielto / Avregistrering / Opt out",
                                     text="Valitse, mitä haluat. / Välj vad du vill. / Choose what you want.",
                                     forms=forms))


@router.post("/unsubscribe/{token}", response_class=HTMLResponse, responses=INVALID_LINK,
             summary="One-click opt-out (RFC 8058)")
def opt_out(session: SessionDep, token: Annotated[str, Token],
            choice: Annotated[Choice | None, Form(description="empty: one-click")] = None) -> HTMLResponse:
    try:
        done = unsubscribe(session, token=token, choice=choice or Choice.one_click)
    except InvalidUnsubscribeToken:
        return _INVALID
    return HTMLResponse(_PAGE.format(title="Kiitos / Tack / Thank you", text=_DONE.get(done, _OBJECTED), forms=""))
