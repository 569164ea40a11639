"""What routes get injected: a session (unit of work) and the request id. The current user
and the role checks are in `services.api.authz`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from shared.db import session_scope, unreachable

UNAVAILABLE = "the database cannot be reached just now; nothing was saved, try again shortly"


def get_session() -> Iterator[Session]:
    """One transaction per request: committed when the route returns, before the response is
    sent, and rolled back if anything raised. A database that cannot be reached (restarting,
    connection cut) is a 503 with Retry-After, not a 500: the client may simply try again."""
    try:
        with session_scope() as session:
            yield session
    except DBAPIError as exc:
        if not unreachable(exc):
            raise
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=UNAVAILABLE,
                            headers={"Retry-After": "2"}) from None


# scope="function": the commit happens before the response is sent, so a failed commit
# is never answered with a 2xx.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


RequestId = Annotated[str | None, Depends(request_id)]
