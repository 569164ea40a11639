"""Signing in and out, the second factor's code, setting a password through a one-time link,
"forgot password", and an admin's stated reason. Thin: the rules are in shared/auth/desk.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.desk.auth import (
    DeskUser,
    clear_session_cookie,
    pre_session_page,
    pre_session_post_ok,
    safe_next,
    set_session_cookie,
)
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import page_language, render
from shared.auth import desk as auth, sessions
from shared.i18n import t
from shared.models import Role, utcnow
from shared.outbox.service import enqueue_email
from shared.settings import get_settings
from services.api.authz import MIN_REASON_LENGTH

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
HOME = {Role.privacy: "/desk/requests", Role.sales: "/desk/search",  # where each role starts; the others
        Role.marketing: "/desk/search"}  # at their account page


def _signin_form(request: Request, *, values: dict[str, str], errors: dict[str, str], status_code: int = 200,
                 note: str | None = None) -> HTMLResponse:
    return pre_session_page(request, "desk/signin.html", lang=page_language(request), values=values, errors=errors,
                            note=note, status_code=status_code)


@router.get("/desk", response_class=HTMLResponse)
def home(request: Request, desk: DeskUser) -> Response:
    return RedirectResponse(f"{HOME.get(desk.user.role, '/desk/account')}?lang={desk.lang}", status_code=303)


@router.get("/desk/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> HTMLResponse:
    query = request.query_params
    note = "ended" if query.get("ended") else "password_set" if query.get("done") else None
    return _signin_form(request, values={"next": safe_next(query.get("next"))}, errors={}, note=note)


@router.post("/desk/signin", response_class=HTMLResponse)
def signin(request: Request, session: SessionDep, values: FormValues) -> Response:
    lang = page_language(request)
    if not pre_session_post_ok(request, values):
        return render(request, "desk/refused.html", lang=lang, desk=None, kind="csrf", status_code=403)
    shown = {"email": values.get("email", ""), "next": safe_next(values.get("next"))}
    try:
        signed = auth.sign_in(session, email=values.get("email", ""), password=values.get("password", ""),
                              client=request.client.host if request.client else None,
                              user_agent=request.headers.get("user-agent", ""))
    except auth.SigninLimited as limited:
        wait = max(1, int((limited.retry_at - utcnow()).total_seconds()))
        page = _signin_form(request, values=shown, status_code=429,
                            errors={"email": t("desk.signin.limited", lang, minutes=max(1, round(wait / 60)))})
        page.headers["Retry-After"] = str(wait)
        return page
    except auth.SigninRefused:
        return _signin_form(request, values=shown, errors={"email": t("desk.signin.refused", lang)}, status_code=401)
    stage_page = {"code": "/desk/signin/code", "enrol": "/desk/account/totp"}.get(signed.row.stage)
    target = f"{stage_page}?lang={lang}&next={shown['next']}" if stage_page else shown["next"]
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, signed.token)
    return response


@router.get("/desk/signin/code", response_class=HTMLResponse)
def code_form(request: Request, desk: DeskUser) -> Response:
    if desk.row.stage != "code":
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "desk/code.html", lang=desk.lang, desk=desk,
                  values={"next": safe_next(request.query_params.get("next"))})


@router.post("/desk/signin/code", response_class=HTMLResponse)
def code(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    target = safe_next(values.get("next"))
    if desk.row.stage != "code":
        return RedirectResponse(target, status_code=303)
    if not auth.check_second_factor(session, user=desk.user, code=values.get("code", "")):
        return render(request, "desk/code.html", lang=desk.lang, desk=desk, values={"next": target},
                      errors={"code": t("desk.code.wrong", desk.lang)}, status_code=401)
    auth.promote(session, row=desk.row)
    return RedirectResponse(target, status_code=303)


@router.post("/desk/signout")
def signout(request: Request, session: SessionDep, desk: DeskUser) -> Response:
    sessions.end(session, row=desk.row)
    response = RedirectResponse(f"/desk/signin?lang={desk.lang}", status_code=303)
    clear_session_cookie(response)
    return response


@router.post("/desk/reason", response_class=HTMLResponse)
def reason(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    """An admin's reason for opening personal data, kept on the session (and in every access-log row)."""
    text = " ".join(values.get("reason", "").split())[:500]
    target = safe_next(values.get("next"))
    if len(text) < MIN_REASON_LENGTH:
        return render(request, "desk/reason.html", lang=desk.lang, desk=desk, next=target, values={"reason": text},
                      errors={"reason": t("desk.reason.too_short", desk.lang, n=MIN_REASON_LENGTH)}, status_code=422)
    desk.row.access_reason = text
    session.add(desk.row)
    return RedirectResponse(target, status_code=303)


# -- setting a password through a link ------------------------------------------------------------

def _password_page(request: Request, *, token: str, user, errors: dict[str, str], status_code: int = 200):
    return pre_session_page(request, "desk/password.html", lang=page_language(request), token=token, person=user,
                            min_length=get_settings().desk_min_passphrase_length, errors=errors,
                            status_code=status_code)


@router.get("/desk/password/{token}", response_class=HTMLResponse)
def password_form(request: Request, session: SessionDep, token: str) -> HTMLResponse:
    try:
        _, user = auth.link_user(session, token=token)
    except auth.LinkInvalid:
        return render(request, "desk/link_invalid.html", lang=page_language(request), status_code=410)
    return _password_page(request, token=token, user=user, errors={})


def password_errors(lang: str, values: dict[str, str], problem: str | None) -> dict[str, str]:
    """The errors of a new password and its repetition (one place for the link and the account page)."""
    if problem:
        return {"password": t(f"desk.password.{problem}", lang, n=get_settings().desk_min_passphrase_length)}
    if values.get("password") != values.get("password_again"):
        return {"password_again": t("desk.password.mismatch", lang)}
    return {}


@router.post("/desk/password/{token}", response_class=HTMLResponse)
def password_set(request: Request, session: SessionDep, token: str, values: FormValues) -> Response:
    lang = page_language(request)
    try:
        _, user = auth.link_user(session, token=token)
    except auth.LinkInvalid:
        return render(request, "desk/link_invalid.html", lang=lang, status_code=410)
    if not pre_session_post_ok(request, values):
        return render(request, "desk/refused.html", lang=lang, desk=None, kind="csrf", status_code=403)
    password = values.get("password", "")
    problem = auth.password_problem(password, user_inputs=(user.name, user.email or ""))
    if errors := password_errors(lang, values, problem):
        return _password_page(request, token=token, user=user, errors=errors, status_code=422)
    auth.use_link(session, token=token, password=password)
    return RedirectResponse(f"/desk/signin?done=1&lang={lang}", status_code=303)


# -- forgotten password ---------------------------------------------------------------------------

@router.get("/desk/forgot", response_class=HTMLResponse)
def forgot_form(request: Request) -> HTMLResponse:
    return pre_session_page(request, "desk/forgot.html", lang=page_language(request), sent=False)


@router.post("/desk/forgot", response_class=HTMLResponse)
def forgot(request: Request, session: SessionDep, values: FormValues) -> Response:
    """The same answer whether or not the address has an account; the link goes by email."""
    lang = page_language(request)
    if not pre_session_post_ok(request, values):
        return render(request, "desk/refused.html", lang=lang, desk=None, kind="csrf", status_code=403)
    found = auth.forgotten(session, email=values.get("email", ""))
    if found:
        user, link = found
        settings = get_settings()
        enqueue_email(session, to_address=user.email, from_address=settings.mail_from,
                      subject=t("desk.mail.reset.subject", lang),
                      body_text=t("desk.mail.reset.body", lang, link=link.url,
                                  hours=settings.desk_link_ttl_hours))
    return render(request, "desk/forgot.html", lang=lang, sent=True)


