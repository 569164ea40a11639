"""A request id on every request: taken from X-Request-ID when sane, generated otherwise,
returned in the response and bound to every log line written while handling it."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.metrics import http_duration, http_requests

REQUEST_ID_HEADER = "x-request-id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = structlog.get_logger("rekisteri.api.access")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = given if _VALID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_code = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((REQUEST_ID_HEADER.encode(), request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # The route template, not the raw path: a path may carry personal data.
            route = getattr(scope.get("route"), "path", "<unmatched>")
            elapsed = time.perf_counter() - started
            http_requests.labels(scope["method"], route, str(status_code)).inc()
            http_duration.labels(scope["method"], route).observe(elapsed)
            log.info("http.request", method=scope["method"], route=route, status=status_code,
                     duration_ms=round(elapsed * 1000, 1))
            structlog.contextvars.clear_contextvars()
