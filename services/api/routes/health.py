"""Liveness, readiness and metrics: no login, no personal data."""

from __future__ import annotations

import redis
from fastapi import APIRouter, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from services.api.metrics import registry
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


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics() -> Response:
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
