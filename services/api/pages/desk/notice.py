"""The privacy notice: the draft (as it would be published now) beside the published version, line
by line with their differences (shared/notice/diff.py), and publishing it with a change note
through the API's own `notice.publish` (409 there when nothing changed; here a message)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import may, reason_error
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from shared import notice
from shared.common.errors import Conflict
from shared.i18n import LANGUAGES, t
from shared.notice.diff import notice_diff

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
NOTE_MIN = 3  # as PublishRequest.changes in services/api/routes/notice.py


def _page(request: Request, session, desk: Desk, *, errors=None, values=None, problem=None,
          status_code: int = 200) -> HTMLResponse:
    shown = request.query_params.get("notice_lang")
    shown = shown if shown in LANGUAGES else desk.lang
    return render(request, "desk/notice.html", lang=desk.lang, desk=desk, diff=notice_diff(session, language=shown),
                  shown=shown, errors=errors or {}, values=values or {}, problem=problem,
                  published=request.query_params.get("published"), status_code=status_code,
                  can_publish=may(desk, "POST", "/desk/notice"))


@router.get("/desk/notice", response_class=HTMLResponse)
def draft(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _page(request, session, desk)


@router.post("/desk/notice", response_class=HTMLResponse)
def publish(request: Request, session: SessionDep, desk: DeskUser, values: FormValues) -> Response:
    if errors := reason_error(values, desk.lang, minimum=NOTE_MIN, field="changes"):
        errors = {"changes": t("reg.notice.note_short", desk.lang)}
        return _page(request, session, desk, errors=errors, values=values, status_code=422)
    try:
        version = notice.publish(session, changes=values["changes"].strip()[:1000], published_by=desk.user.id)
    except Conflict:
        return _page(request, session, desk, values=values, problem=t("reg.notice.unchanged", desk.lang),
                     status_code=409)
    return RedirectResponse(f"/desk/notice?lang={desk.lang}&published={version.version}", status_code=303)
