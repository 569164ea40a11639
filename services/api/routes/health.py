"""Liveness, readiness and metrics: no staff login, no personal data. Metrics want the scrape
token (`rekisteri metrics-token`), whose SHA-256 is REKISTERI_METRICS_TOKEN_SHA256."""

from __future__ import annotations

import hashlib
import hmac

import redis
from fastapi import APIRouter, Request, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from services.api.metrics import registry
from shared.common.errors import Forbidden, NotAuthenticated
from shared.db import get_engine
from shared.settings import get_settings

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _database_answers() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def _redis_answers() -> bool:
    try:
        client = redis.Redis.from_url(
            get_settings().require_redis_url(), socket_timeout=2, socket_connect_timeout=2
        )
        with client:
            return bool(client.ping())
    except Exception:
        return False


@router.get("/readyz", summary="PostgreSQL and Redis answer (503 otherwise)")
def readyz(response: Response) -> dict[str, str]:
    checks = {"database": _database_answers(), "redis": _redis_answers()}
    if not all(checks.values()):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {name: "ok" if ok else "unavailable" for name, ok in checks.items()}


def _scraper(request: Request) -> None:
    """401 unless the request carries the scrape token (403 while none is configured)."""
    expected = get_settings().metrics_token_sha256
    if not expected:
        raise Forbidden("metrics are off: set REKISTERI_METRICS_TOKEN_SHA256")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    given = hashlib.sha256(token.strip().encode()).hexdigest()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given, expected):
        raise NotAuthenticated("the scrape token is required")


@router.get("/metrics", summary="Prometheus metrics (the scrape token as a bearer token)", response_class=Response,
            responses={401: {"description": "no or a wrong scrape token"},
                       403: {"description": "REKISTERI_METRICS_TOKEN_SHA256 is not set"}})
def metrics(request: Request) -> Response:
    _scraper(request)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
