"""Domain errors become HTTP answers here, so that routes stay thin."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from shared.pagination import BadCursor
from shared.register.errors import Conflict, InvalidReference, NotFound


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

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(InvalidReference)
    async def _invalid_reference(request: Request, exc: InvalidReference) -> JSONResponse:
        detail = [{"loc": ["body", exc.field], "msg": str(exc), "type": "invalid_reference"}]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(BadCursor)
    async def _bad_cursor(request: Request, exc: BadCursor) -> JSONResponse:
        detail = [{"loc": ["query", "cursor"], "msg": str(exc), "type": "bad_cursor"}]
        return JSONResponse({"detail": detail}, status_code=422)
