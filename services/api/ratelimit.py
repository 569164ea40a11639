"""A rate limit on the routes that open without a login (the signed links, the privacy centre's
pages, the privacy notice, website events): at most `PUBLIC_CALLS_PER_CLIENT_PER_MINUTE`
calls per client address per minute, then 429 with `Retry-After` until the minute is over.

It is checked before routing, authorization or any database work. The counts live in Redis,
which every API replica shares: one counter per client and minute (INCR), expiring with its
minute, so memory stays bounded by the clients of the current minute and several replicas do
not multiply the limit. Should Redis not answer, each process counts on its own for the while
(a bounded dictionary), so a flood is still held back. The client is the connection's peer
address unless REKISTERI_FORWARDED_ALLOW_IPS names the proxy in front (shared/cli/main.py).
Client addresses are never logged or stored: the Redis key holds a keyed hash of it.

The subject-request form has its own, stricter limits per address and client in the database
(shared/subject_requests/service.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time

import structlog
from redis import asyncio as aioredis
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.partners.crypto import derived_key

log = structlog.get_logger(__name__)

PUBLIC_PREFIX = "/public/"
PAGES_PREFIX = "/privacy"  # the privacy centre's pages
INGEST = {("POST", "/v1/web-events"), ("OPTIONS", "/v1/web-events")}  # websites (the GET beside it is staff's)
MAX_CLIENTS = 50_000  # counts kept at once in the fallback; older windows are dropped first
WINDOW_SECONDS = 60.0
KEY_PREFIX = "rekisteri:public-calls:"
REDIS_TIMEOUT_SECONDS = 0.5


def applies(method: str, path: str) -> bool:
    return path.startswith((PUBLIC_PREFIX, PAGES_PREFIX)) or (method, path) in INGEST


class ClientWindows:
    """Calls per client in the current fixed window, in this process (thread-safe)."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """0 if the call may go ahead, otherwise the seconds until the client's window ends."""
        now = time.time() if now is None else now
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


class SharedWindows:
    """The same fixed windows, counted in Redis for every replica at once."""

    def __init__(self, limit: int, redis_url: str | None, window: float = WINDOW_SECONDS) -> None:
        self.limit, self.window, self.redis_url = limit, window, redis_url
        self.local = ClientWindows(limit, window)
        self._key = derived_key("public-rate-limit-client")
        self._client: aioredis.Redis | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._warned_at = 0.0

    def _redis(self) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:  # a connection belongs to its event loop
            self._client = aioredis.Redis.from_url(self.redis_url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                                   socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
            self._loop = loop
        return self._client

    def key(self, client: str, start: int) -> str:
        digest = hmac.new(self._key, client.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{KEY_PREFIX}{start}:{digest}"

    async def take(self, client: str) -> float:
        now = time.time()
        start = int(now // self.window)
        if self.redis_url is None:
            return self.local.take(client, now)
        try:
            async with self._redis().pipeline(transaction=True) as pipe:
                key = self.key(client, start)
                count, _ = await pipe.incr(key).expire(key, int(self.window) + 1).execute()
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            if now - self._warned_at > self.window:
                self._warned_at = now
                log.warning("ratelimit.redis_unavailable", error=type(exc).__name__)
            return self.local.take(client, now)
        return (start + 1) * self.window - now if count > self.limit else 0.0


class PublicRateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, per_minute: int, redis_url: str | None = None) -> None:
        self.app = app
        self.windows = SharedWindows(per_minute, redis_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and applies(scope["method"], scope.get("path", "")):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = await self.windows.take(client)
            if wait:
                body = json.dumps({"detail": "too many requests from this address; try again later"}).encode()
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"retry-after", str(max(1, int(wait + 0.999))).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
