"""Domain errors become HTTP answers here, so that routes stay thin."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shared.pagination import BadCursor
from shared.register.errors import Conflict, InvalidReference, NotFound


def install_error_handlers(app: FastAPI) -> None:
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
