"""Domain errors become HTTP answers here, from one table, so that routes map nothing by hand.
The pages use the same table: `error_answer(error)` gives (status, message key)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from shared.common.errors import (
    Conflict,
    DomainError,
    Gone,
    InvalidInput,
    NotAuthenticated,
    Forbidden,
    NotFound,
    TooLarge,
    TooManyRequests,
)

# Each kind of domain error (shared/common/errors.py) and its HTTP status; a subclass takes the
# status of the nearest kind it derives from.
STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Gone: 410,
    Conflict: 409,
    InvalidInput: 422,
    TooLarge: 413,
    TooManyRequests: 429,
    NotAuthenticated: 401,
    Forbidden: 403,
    DomainError: 400,
}


def error_answer(error: DomainError) -> tuple[int, str]:
    """The HTTP status and the i18n message key of a domain error (for JSON routes and pages)."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind], error.key
    raise TypeError(f"not a domain error: {type(error).__name__}")


def error_response(error: DomainError) -> JSONResponse:
    """The JSON answer for a domain error. Routes raise the error; a route whose transaction must
    still commit (the error is the answer, not a failure) returns this instead."""
    status, _ = error_answer(error)
    headers = {}
    if isinstance(error, InvalidInput):
        body = {"detail": [{"loc": list(error.location), "msg": str(error), "type": error.code}]}
    else:
        body = {"detail": str(error)}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    return JSONResponse(body, status_code=status, headers=headers or None)


def _safe(error: dict) -> dict:
    """A validation error without the value that was sent: it may be personal data (an email,
    a phone number), and a value that cannot be encoded must not turn a 422 into a 500."""
    return {"loc": list(error.get("loc", ())), "msg": str(error.get("msg", "")), "type": error.get("type", "")}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": [_safe(e) for e in exc.errors()]}, status_code=422)

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        # Last line of defence: a value PostgreSQL refuses (validation should have caught it).
        detail = [{"loc": ["body"], "msg": "a value could not be stored or searched", "type": "data_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return error_response(exc)
