"""What the fault suite found when PostgreSQL restarted under load: the API answered 500 to every
request that met the closed database. Now it is a 503 with Retry-After (nothing was saved; the
client may try again), and an error in a statement is still a 500."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError, OperationalError

from shared.db import get_engine, unreachable
from shared.embedded.ports import free_port
from shared.settings import get_settings


@pytest.fixture
def dead_database(monkeypatch):
    monkeypatch.setenv("REKISTERI_DATABASE_URL", f"postgresql://rekisteri:x@127.0.0.1:{free_port()}/rekisteri")
    monkeypatch.setenv("REKISTERI_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(dead_database):
    from services.api.main import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.get("/v1/me", headers={"Authorization": "Bearer rk_not_checked_the_database_is_down"})
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "2"
    assert "nothing was saved" in response.json()["detail"]


def test_only_connection_errors_count_as_unreachable():
    def wrapped(orig: Exception) -> DBAPIError:
        return DBAPIError("SELECT 1", {}, orig)

    assert unreachable(wrapped(psycopg.OperationalError("connection refused")))  # no SQLSTATE: never connected
    assert unreachable(wrapped(psycopg.errors.AdminShutdown()))  # 57P01: the server is shutting down
    assert unreachable(wrapped(psycopg.errors.ConnectionFailure()))  # 08006
    assert unreachable(OperationalError("SELECT 1", {}, psycopg.OperationalError("x"), connection_invalidated=True))
    assert not unreachable(wrapped(psycopg.errors.SyntaxError()))  # 42601: our mistake, still a 500
    assert not unreachable(wrapped(psycopg.errors.UniqueViolation()))
