"""What every desk page depends on: the session cookie resolved to the staff user, the route's
rule from the one role table (services/api/authz.py), the CSRF token on every POST (and no
cross-site POST at all, by Sec-Fetch-Site and Origin) — before there is a session too: the sign-in,
forgotten-password and set-password forms carry a token tied to a cookie of their own — the admin's stated reason for pages that
show personal data, and the actor the access log records, as the API's routes have it."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from services.api.authz import REASON_NEEDED, Rule, refusal, route_rule
from services.api.deps import SessionDep
from services.api.pages.rendering import page_language, render
from shared.audit.service import Actor
from shared.auth import sessions
from shared.models import DeskSession, Role, User
from shared.settings import get_settings

# Where a session that has not passed its second factor may go: the code page, or setting one up.
STAGE_PAGES = {
    "code": ("/desk/signin/code", "/desk/signout"),
    "enrol": ("/desk/account/totp", "/desk/signout"),
}
STAGE_HOME = {"code": "/desk/signin/code", "enrol": "/desk/account/totp"}
CSRF_FIELD = "csrf"


def cookie_name() -> str:
    """`__Host-` (Secure, this host only, path /) wherever the cookie is Secure."""
    return "__Host-rekisteri_desk" if get_settings().desk_cookie_secure else "rekisteri_desk"


def set_session_cookie(response: Response, token: str) -> None:
    """HttpOnly, SameSite=Strict, Secure outside development; no Max-Age: the server decides when it ends."""
    response.set_cookie(cookie_name(), token, httponly=True, samesite="strict", secure=get_settings().desk_cookie_secure,
                        path="/")


def pre_cookie_name() -> str:
    """The cookie of the forms shown before there is a session."""
    return "__Host-rekisteri_pre" if get_settings().desk_cookie_secure else "rekisteri_pre"


def _pre_token(value: str) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, b"desk-pre-session:" + value.encode(), hashlib.sha256).hexdigest()


def pre_session_page(request: Request, template: str, *, lang: str, status_code: int = 200, **context) -> Response:
    """A form shown before there is a session (sign-in, forgotten password, a set-password link). Its
    CSRF token is the keyed hash of a random value kept in a cookie of its own (a signed double
    submit), set here when the browser has none: another site can neither read the cookie nor
    make the token."""
    value = request.cookies.get(pre_cookie_name()) or ""
    new = None if 20 <= len(value) <= 64 else secrets.token_urlsafe(24)
    response = render(request, template, lang=lang, status_code=status_code, pre_csrf=_pre_token(new or value),
                      **context)
    if new:
        response.set_cookie(pre_cookie_name(), new, httponly=True, samesite="strict",
                            secure=get_settings().desk_cookie_secure, path="/")
    return response


def pre_session_post_ok(request: Request, values: dict[str, str]) -> bool:
    """A POST of such a form: from our own pages, with the token of the browser's cookie."""
    value = request.cookies.get(pre_cookie_name())
    given = values.get(CSRF_FIELD, "")
    return same_site(request) and bool(value) and hmac.compare_digest(_pre_token(value), given)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(cookie_name(), path="/", httponly=True, samesite="strict",
                           secure=get_settings().desk_cookie_secure)


class SignInNeeded(Exception):
    """No live session: to the sign-in page, then back."""

    def __init__(self, next_path: str, *, ended: bool = False):
        self.next_path, self.ended = next_path, ended


class StageRedirect(Exception):
    def __init__(self, to: str):
        self.to = to


class PageRefused(Exception):
    """A desk refusal as a page: `role` (403), `reason` (an admin's form, 403), `csrf` (403). The page
    is rendered after the request's transaction ended: it gets plain values, not the rows."""

    def __init__(self, kind: str, *, desk: Desk):
        self.kind = kind
        self.desk = SimpleNamespace(csrf=desk.csrf, lang=desk.lang, row=SimpleNamespace(id=desk.row.id, stage=desk.row.stage),
                                    user=SimpleNamespace(name=desk.user.name, role=desk.user.role))


@dataclass
class Desk:
    """The signed-in staff member on a desk page."""

    user: User
    row: DeskSession
    actor: Actor
    lang: str
    csrf: str

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.admin


def same_site(request: Request) -> bool:
    """A POST from the desk's own pages. A browser says where it comes from in Sec-Fetch-Site; one
    that does not is judged by Origin (our pages send no referrer, so Chromium's form posts carry
    `Origin: null`: believed only beside Sec-Fetch-Site). A client sending neither (not a browser)
    is left to the CSRF token."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def _path_with_query(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def desk_user(request: Request, session: SessionDep) -> Desk:
    rule: Rule | None = route_rule(request)
    assert rule is not None and rule.desk, "a desk page needs a desk_page rule in services/api/authz.py"
    token = request.cookies.get(cookie_name())
    back = _path_with_query(request) if request.method == "GET" else "/desk"
    if not token:
        raise SignInNeeded(back)
    try:
        row, user = sessions.resolve(session, token=token)
    except sessions.NoSession:
        raise SignInNeeded(back, ended=True) from None
    lang = page_language(request)
    desk = Desk(user=user, row=row, lang=lang, csrf=sessions.csrf_token(row),
                actor=Actor.user(user.id, request_id=getattr(request.state, "request_id", None)))
    if row.stage != "full" and request.url.path not in STAGE_PAGES.get(row.stage, ()):
        raise StageRedirect(STAGE_HOME[row.stage])
    if request.method == "POST":
        form = await request.form()
        given = form.get(CSRF_FIELD)
        if not same_site(request) or not isinstance(given, str) or not hmac.compare_digest(desk.csrf, given):
            raise PageRefused("csrf", desk=desk)
    reason = row.access_reason if user.role == Role.admin and rule.personal_data else None
    refused = refusal(rule, role=user.role, reason=reason)
    if refused == REASON_NEEDED:
        raise PageRefused("reason", desk=desk)
    if refused:
        raise PageRefused("role", desk=desk)
    if reason:
        desk.actor = Actor.user(user.id, reason=reason, request_id=desk.actor.request_id)
    request.state.actor = desk.actor
    return desk


DeskUser = Annotated[Desk, Depends(desk_user)]


def safe_next(value: str | None) -> str:
    """Only a path of the desk itself (never another host)."""
    if value and value.startswith("/desk") and not value.startswith("//") and "\\" not in value:
        return value
    return "/desk"


def install(app: FastAPI) -> None:
    """The desk's refusals as pages (and redirects), not the API's JSON."""

    @app.exception_handler(SignInNeeded)
    def _sign_in(request: Request, exc: SignInNeeded) -> Response:
        target = f"/desk/signin?next={quote(exc.next_path, safe='')}&lang={page_language(request)}"
        response = RedirectResponse(target + ("&ended=1" if exc.ended else ""), status_code=303)
        clear_session_cookie(response)
        return response

    @app.exception_handler(StageRedirect)
    def _stage(request: Request, exc: StageRedirect) -> Response:
        return RedirectResponse(f"{exc.to}?lang={page_language(request)}", status_code=303)

    @app.exception_handler(PageRefused)
    def _refused(request: Request, exc: PageRefused) -> Response:
        desk = exc.desk
        lang = page_language(request)
        if exc.kind == "reason":
            return render(request, "desk/reason.html", lang=lang, desk=desk, next=_path_with_query(request),
                          status_code=403)
        return render(request, "desk/refused.html", lang=lang, desk=desk, kind=exc.kind, status_code=403)
