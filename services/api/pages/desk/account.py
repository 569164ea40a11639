"""One's own account on the desk: open sessions (end any), the password, the second factor and
its recovery codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.desk.auth import DeskUser
from services.api.pages.desk.signin import password_errors
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from shared.auth import desk as auth, sessions
from shared.common.errors import Forbidden
from shared.i18n import t
from shared.models import DeskSession
from shared.settings import get_settings

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]


def _account(request: Request, session, desk, *, errors: dict[str, str] | None = None, note: str | None = None,
             status_code: int = 200) -> HTMLResponse:
    return render(request, "desk/account.html", lang=desk.lang, desk=desk, errors=errors or {}, note=note,
                  open_sessions=sessions.live(session, user_id=desk.user.id),
                  codes_left=auth.unused_recovery_codes(session, user_id=desk.user.id),
                  required=auth.second_factor_required(desk.user),
                  min_length=get_settings().desk_min_passphrase_length, status_code=status_code)


@router.get("/desk/account", response_class=HTMLResponse)
def account(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _account(request, session, desk, note=request.query_params.get("note"))


@router.post("/desk/account/sessions/{session_id}/end")
def end_session(request: Request, session: SessionDep, desk: DeskUser, session_id: int) -> Response:
    row = session.get(DeskSession, session_id)
    if row is not None and row.user_id == desk.user.id:  # another's session is not even acknowledged
        sessions.end(session, row=row)
    target = "/desk/signin" if row is not None and row.id == desk.row.id else "/desk/account"
    return RedirectResponse(f"{target}?lang={desk.lang}", status_code=303)


@router.post("/desk/account/password", response_class=HTMLResponse)
def change_password(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    if not auth.verify_password(desk.user, values.get("current", "")):
        return _account(request, session, desk, errors={"current": t("desk.account.current_wrong", desk.lang)},
                        status_code=422)
    password = values.get("password", "")
    problem = auth.password_problem(password, user_inputs=(desk.user.name, desk.user.email or ""))
    if errors := password_errors(desk.lang, values, problem):
        return _account(request, session, desk, errors=errors, status_code=422)
    auth.set_password(session, user=desk.user, password=password, actor=desk.actor)
    # every session ended with the new password; this browser signs in again
    return RedirectResponse(f"/desk/signin?done=1&lang={desk.lang}", status_code=303)


@router.get("/desk/account/totp", response_class=HTMLResponse)
def totp_form(request: Request, session: SessionDep, desk: DeskUser) -> Response:
    if desk.user.totp_enabled:
        return RedirectResponse(f"/desk/account?lang={desk.lang}", status_code=303)
    secret = auth.pending_totp_secret(desk.user) or auth.begin_totp(session, user=desk.user)
    return render(request, "desk/totp.html", lang=desk.lang, desk=desk, secret=secret,
                  uri=auth.totp_uri(desk.user, secret))


@router.post("/desk/account/totp", response_class=HTMLResponse)
def totp_confirm(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    codes = auth.confirm_totp(session, user=desk.user, code=values.get("code", ""))
    if codes is None:
        secret = auth.pending_totp_secret(desk.user) or auth.begin_totp(session, user=desk.user)
        return render(request, "desk/totp.html", lang=desk.lang, desk=desk, secret=secret,
                      uri=auth.totp_uri(desk.user, secret), errors={"code": t("desk.code.wrong", desk.lang)},
                      status_code=422)
    auth.promote(session, row=desk.row)
    return render(request, "desk/recovery_codes.html", lang=desk.lang, desk=desk, codes=codes)


@router.post("/desk/account/recovery-codes", response_class=HTMLResponse)
def recovery_codes(request: Request, session: SessionDep, desk: DeskUser) -> Response:
    if not desk.user.totp_enabled:
        return RedirectResponse(f"/desk/account?lang={desk.lang}", status_code=303)
    return render(request, "desk/recovery_codes.html", lang=desk.lang, desk=desk,
                  codes=auth.new_recovery_codes(session, user=desk.user))


@router.post("/desk/account/totp/off", response_class=HTMLResponse)
def totp_off(request: Request, session: SessionDep, desk: DeskUser) -> Response:
    try:
        auth.disable_totp(session, user=desk.user)
    except Forbidden:
        return _account(request, session, desk, errors={"totp": t("desk.account.totp_required", desk.lang)},
                        status_code=403)
    return RedirectResponse(f"/desk/account?lang={desk.lang}&note=totp_off", status_code=303)
