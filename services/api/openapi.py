"""The error answers every route can give, written into the OpenAPI document from the same
facts that produce them: the role matrix (401/403), unreadable bodies (400), path ids and
bodies (404), writes (409),
If-Match (412/428), the body limit (413) and the public rate limits (429). A route's own
`responses=` always wins. Public routes say they need no bearer token. The schema fuzzer (tests/hostile/) holds every answer to this."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from services.api.authz import ROUTE_RULES

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class Problem(BaseModel):
    """An error that is not about one field: what went wrong, never the value that was sent."""

    detail: str


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": PROBLEM_REF}}}


def _takes_if_match(route: APIRoute) -> bool:
    return any(getattr(p.field_info, "alias", None) == "If-Match" for p in route.dependant.header_params)


def error_responses(route: APIRoute, method: str, *, rate_limited: Callable[[str, str], bool]) -> dict[str, dict]:
    """The 4xx answers `method route` may give besides 422, by the rules the app enforces."""
    rule = ROUTE_RULES.get((method, route.path))
    public = rule is not None and rule.public
    found: dict[int, dict] = {}
    if not public:
        found[401] = _error("no valid bearer token (missing, unknown, expired or revoked)")
        found[403] = _error("the token's role may not call this route")
    if route.dependant.path_params or route.body_field is not None:
        found[404] = _error("a record named in the path or body does not exist")
    if method in WRITES and not public:
        found[409] = _error("the record's state or a unique value does not allow this")
    if route.body_field is not None:
        found[400] = _error("the body could not be read (not UTF-8 text, or not the declared media type)")
        found[413] = _error("the body is larger than the API accepts")
    if _takes_if_match(route):
        found[412] = _error("the record changed since its ETag was read")
        found[428] = _error("If-Match with the ETag is required")
    if rate_limited(method, route.path):
        found[429] = _error("too many requests from this client or for this address; try again later")
    return {str(code): answer for code, answer in found.items()}


def api_routes(routes) -> list[APIRoute]:
    """Every APIRoute, also those inside included routers (FastAPI may keep them nested)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += api_routes(route.original_router.routes)
        elif hasattr(route, "routes"):
            found += api_routes(route.routes)
    return found


def document_errors(app: FastAPI, *, rate_limited: Callable[[str, str], bool] = lambda method, path: False) -> None:
    """Build the OpenAPI document with the generic error answers of every operation added; an
    answer the route documents itself is kept as it is."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        for route in api_routes(app.routes):
            if not route.include_in_schema:
                continue
            for method in route.methods:
                operation = document["paths"].get(route.path_format, {}).get(method.lower())
                if operation is None:
                    continue
                for code, answer in error_responses(route, method, rate_limited=rate_limited).items():
                    operation["responses"].setdefault(code, answer)
                rule = ROUTE_RULES.get((method, route.path))
                if rule is not None and rule.public:
                    operation["security"] = []  # no bearer token (the app-wide dependency declares one)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
