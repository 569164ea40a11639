"""A rate limit on the routes that open without a login (the signed links, the privacy centre's
pages, the privacy notice, website events): at most `PUBLIC_CALLS_PER_CLIENT_PER_MINUTE`
calls per client address per minute, then 429 with `Retry-After` until the minute is over.

It is checked before routing, authorization or any database work, so a flood costs a dictionary
lookup per call and the service keeps answering everybody else. Counts live in the process
(each API process counts on its own; they are a shield against floods, not an account). The
subject-request form has its own, stricter limits per address and client in the database
(shared/subject_requests/service.py). Client addresses are never logged or stored.
"""

from __future__ import annotations

import json
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

PUBLIC_PREFIX = "/public/"
PAGES_PREFIX = "/privacy"  # the privacy centre's pages
INGEST = ("POST", "/v1/web-events")  # websites, with a site key (the GET beside it is staff's)
MAX_CLIENTS = 50_000  # counts kept at once; older windows are dropped first
WINDOW_SECONDS = 60.0


def applies(method: str, path: str) -> bool:
    return path.startswith((PUBLIC_PREFIX, PAGES_PREFIX)) or (method, path) == INGEST


class ClientWindows:
    """Calls per client in the current fixed window (thread-safe)."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """0 if the call may go ahead, otherwise the seconds until the client's window ends."""
        now = time.monotonic() if now is None else now
        start = now - now % self.window
        with self._lock:
            began, count = self._counts.get(client, (start, 0))
            if began != start:
                began, count = start, 0
            if count >= self.limit:
                return began + self.window - now
            self._counts[client] = (began, count + 1)
            if len(self._counts) > MAX_CLIENTS:
                self._counts = {c: v for c, v in self._counts.items() if v[0] == start}
        return 0.0


class PublicRateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, per_minute: int) -> None:
        self.app = app
        self.windows = ClientWindows(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and applies(scope["method"], scope.get("path", "")):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.windows.take(client)
            if wait:
                body = json.dumps({"detail": "too many requests from this address; try again later"}).encode()
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"retry-after", str(max(1, int(wait + 0.999))).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
