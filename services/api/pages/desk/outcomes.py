"""Unknown mail outcomes, marketing and transactional: each message whose content reached the SMTP
server without an answer, with what to look for in the relay's log (its Message-ID, when it was
handed over, every attempt), resolved as delivered or sent again with a reason through the API's
own `review.resolve_unknown`. Listing shows people's addresses: it writes the access log."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.api.deps import SessionDep
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.privacy_centre import form_values
from services.api.pages.rendering import render
from shared.audit.service import record_access
from shared.campaigns import review
from shared.campaigns.schemas import ResolveIn
from shared.common.errors import DomainError
from shared.i18n import t

router = APIRouter(include_in_schema=False)
FormValues = Annotated[dict[str, str], Depends(form_values)]
Kind = Path(pattern="^(marketing|transactional)$")
SHOWN = 200


def _page(request: Request, session, desk: Desk, *, errors=None, values=None, open_id: str | None = None,
          status_code: int = 200) -> HTMLResponse:
    groups = {"marketing": review.unknown_outcomes(session, limit=SHOWN),
              "transactional": review.unknown_outcomes(session, limit=SHOWN, transactional=True)}
    page = render(request, "desk/outcomes.html", lang=desk.lang, desk=desk, groups=groups, errors=errors or {},
                  values=values or {}, open_id=open_id, note=request.query_params.get("note"),
                  status_code=status_code)
    record_access(session, actor=desk.actor, contact_ids=[r["contact_id"] for rows in groups.values() for r in rows],
                  route="GET /desk/mail-outcomes")
    return page


@router.get("/desk/mail-outcomes", response_class=HTMLResponse)
def outcomes(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _page(request, session, desk)


@router.post("/desk/mail-outcomes/{kind}/{email_id}", response_class=HTMLResponse)
def resolve(request: Request, session: SessionDep, desk: DeskUser, values: FormValues,
            kind: Annotated[str, Kind], email_id: uuid.UUID) -> Response:
    try:
        body = ResolveIn.model_validate({"decision": values.get("decision"), "reason": values.get("reason", "")})
        review.resolve_unknown(session, email_id=email_id, decision=review.Decision(body.decision),
                               reason=body.reason, actor=desk.actor, transactional=kind == "transactional")
    except ValidationError as error:
        errors: dict[str, str] = {}
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "decision"
            errors.setdefault(name, t("reg.outcomes.decision_missing", desk.lang) if name == "decision"
                              else t("reg.reason_short", desk.lang, n=10))
        return _page(request, session, desk, errors=errors, values=values, open_id=str(email_id), status_code=422)
    except DomainError as refused:
        return _page(request, session, desk, errors={"reason": t(refused.key, desk.lang)}, values=values,
                     open_id=str(email_id), status_code=409)
    return RedirectResponse(f"/desk/mail-outcomes?lang={desk.lang}&note=resolved", status_code=303)
