"""The preference page behind every marketing message's link (`/privacy/preferences/{token}`):
leave or join again a list (joining again waits for a double opt-in by email), object to direct
marketing or research, withdraw a consent. Each choice posts and comes back to the page with what
was done (POST, then a redirect). The old opt-out address `/public/unsubscribe/{token}` opens this
page; its RFC 8058 one-click POST stays in services/api/routes/unsubscribe.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.privacy_centre import FormValues
from services.api.pages.rendering import page_language, render
from shared.campaigns import preferences
from shared.campaigns.unsubscribe import TOKEN_PATTERN, Choice, InvalidUnsubscribeToken, parse_token, unsubscribe
from shared.lists.service import get_list
from shared.common.errors import Conflict, NotFound

router = APIRouter(include_in_schema=False)
Token = Path(min_length=38, max_length=70, pattern=TOKEN_PATTERN)
ListId = Path(ge=1, le=2_147_483_647)
ACTIONS = ("leave", "join", "object_marketing", "object_research", "withdraw")


def _bad_link(request: Request, lang: str) -> HTMLResponse:
    return render(request, "centre/bad_link.html", lang=lang, status_code=404)


@router.get("/privacy/preferences/{token}", response_class=HTMLResponse)
def page(request: Request, session: SessionDep, token: Annotated[str, Token]) -> HTMLResponse:
    lang = page_language(request)
    try:
        prefs = preferences.preferences(session, token=token)
    except InvalidUnsubscribeToken:
        return _bad_link(request, lang)
    done = request.query_params.get("done")
    return render(request, "centre/preferences.html", lang=lang, prefs=prefs, token=token,
                  done=done if done in (*ACTIONS, "joined", "blocked", "test") else None,
                  action=f"/privacy/preferences/{token}?lang={lang}")


@router.get("/public/unsubscribe/{token}")
def old_page(request: Request, token: Annotated[str, Token]) -> Response:
    """The opt-out link of messages sent before: the preference page (a forged token: 404 here)."""
    lang = page_language(request)
    try:
        parse_token(token)
    except InvalidUnsubscribeToken:
        return _bad_link(request, lang)
    return RedirectResponse(f"/privacy/preferences/{token}?lang={lang}", status_code=303)


def _number(values: dict[str, str], name: str) -> int:
    value = values.get(name, "")
    if not value.isdigit() or len(value) > 10:
        raise NotFound(f"no such {name}")
    return int(value)


def _act(session, *, token: str, action: str, values: dict[str, str], lang: str) -> str:
    """Do the chosen thing; what the page then says."""
    if action == "leave":
        preferences.leave_list(session, token=token, list_id=_number(values, "list_id"))
    elif action == "join":
        try:
            preferences.join_again(session, token=token, list_id=_number(values, "list_id"), language=lang)
        except Conflict:
            return "blocked"
    elif action == "withdraw":
        preferences.withdraw(session, token=token, consent_id=_number(values, "consent_id"))
    else:
        choice = Choice.direct_marketing if action == "object_marketing" else Choice.research
        if unsubscribe(session, token=token, choice=choice) == "test":
            return "test"
    return action


@router.post("/privacy/preferences/{token}", response_class=HTMLResponse)
def choose(request: Request, session: SessionDep, token: Annotated[str, Token], values: FormValues) -> Response:
    lang = page_language(request)
    action = values.get("action", "")
    if action not in ACTIONS:
        return _bad_link(request, lang)
    try:
        done = _act(session, token=token, action=action, values=values, lang=lang)
    except (InvalidUnsubscribeToken, preferences.NotYours, NotFound):
        return _bad_link(request, lang)
    return RedirectResponse(f"/privacy/preferences/{token}?lang={lang}&done={done}", status_code=303)


@router.get("/privacy/preferences/{token}/join/{list_id}", response_class=HTMLResponse)
def join_page(request: Request, session: SessionDep, token: Annotated[str, Token], list_id: Annotated[int, ListId],
              expires: Annotated[str | None, Query(max_length=20)] = None,
              sig: Annotated[str | None, Query(max_length=128)] = None) -> HTMLResponse:
    """The double opt-in link's page: one button (mail scanners follow links)."""
    lang = page_language(request)
    try:
        preferences.check_join_link(token=token, list_id=list_id, expires=expires, sig=sig)
        name = get_list(session, list_id=list_id).name
    except (InvalidUnsubscribeToken, preferences.JoinLinkInvalid, NotFound):
        return render(request, "centre/join_invalid.html", lang=lang, token=token, status_code=404)
    return render(request, "centre/join.html", lang=lang, list_name=name,
                  action=f"/privacy/preferences/{token}/join/{list_id}?expires={expires}&sig={sig}&lang={lang}")


@router.post("/privacy/preferences/{token}/join/{list_id}", response_class=HTMLResponse)
def join(request: Request, session: SessionDep, token: Annotated[str, Token], list_id: Annotated[int, ListId],
         expires: Annotated[str | None, Query(max_length=20)] = None,
         sig: Annotated[str | None, Query(max_length=128)] = None) -> Response:
    lang = page_language(request)
    try:
        preferences.confirm_join(session, token=token, list_id=list_id, expires=expires, sig=sig)
    except (InvalidUnsubscribeToken, preferences.JoinLinkInvalid, preferences.NotYours):
        return render(request, "centre/join_invalid.html", lang=lang, token=token, status_code=404)
    except Conflict:
        return RedirectResponse(f"/privacy/preferences/{token}?lang={lang}&done=blocked", status_code=303)
    return RedirectResponse(f"/privacy/preferences/{token}?lang={lang}&done=joined", status_code=303)
