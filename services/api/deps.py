"""What routes get injected: a session (unit of work) and the request id. The current user
and the role checks are in `services.api.authz`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from shared.db import session_scope


def get_session() -> Iterator[Session]:
    """One transaction per request: committed when the route returns, before the response is
    sent, and rolled back if anything raised."""
    with session_scope() as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit
# is never answered with a 2xx.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


RequestId = Annotated[str | None, Depends(request_id)]
