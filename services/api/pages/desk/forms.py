"""What the desk's register pages share: a reason checked as the domain's schema checks it, with
the error next to its field in the reader's language, and a Finnish-time moment from a form."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from services.api.authz import REASON_NEEDED, ROUTE_RULES, refusal
from shared.i18n import HELSINKI, t


def may(desk, method: str, path: str) -> bool:
    """Whether the signed-in user may use that page now: the one table decides which forms and links a
    page shows (the page itself refuses anyway)."""
    return refusal(ROUTE_RULES[(method, path)], role=desk.user.role, reason=desk.actor.reason) is None


def may_open(desk, path: str) -> bool:
    """Whether the desk's navigation shows the page at `path` to this user: the role table lets their
    role open it (an admin asked for a reason on the way is not refused). A page not built has no rule."""
    rule = ROUTE_RULES.get(("GET", path))
    return rule is not None and refusal(rule, role=desk.user.role, reason=None) in (None, REASON_NEEDED)


def reason_error(values: dict[str, str], lang: str, *, minimum: int = 10, field: str = "reason") -> dict[str, str]:
    """{field: message} when the reason is shorter than `minimum` (the schema's own minimum)."""
    return {} if len(values.get(field, "").strip()) >= minimum else {field: t("reg.reason_short", lang, n=minimum)}


def moment(value: str | None) -> datetime | None:
    """`YYYY-MM-DD HH:MM` (or the browser's `YYYY-MM-DDTHH:MM`) in Finnish time; ValueError if not one."""
    if not value or not value.strip():
        return None
    parsed = datetime.fromisoformat(value.strip().replace(" ", "T"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=HELSINKI)


async def _posted(request: Request) -> FormData:
    """The posted form, parsed once (the CSRF check read it): repeated fields and files as sent."""
    return await request.form()


Posted = Annotated[FormData, Depends(_posted)]
