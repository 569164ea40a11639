"""Real services for the tests: PostgreSQL and Redis (embedded, or given by
REKISTERI_TEST_DATABASE_URL / REKISTERI_TEST_REDIS_URL), migrated once per run; a rolled-back
transaction per test; a real SMTP server when a test is about mail."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session

from shared.db import get_engine
from shared.embedded.mailcatcher import MailCatcher
from shared.embedded.ports import free_port
from shared.settings import get_settings
from browser import browser  # noqa: F401  (the real browser fixture for page tests)
from support import tokens_for_roles


class Database:
    """A throwaway database on the test server; `create` returns its URL."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.names: list[str] = []

    def _admin(self) -> psycopg.Connection:
        url = make_url(self.server_url).set(drivername="postgresql", database="postgres")
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def create(self, prefix: str = "rekisteri_test") -> str:
        from shared.migrations import upgrade

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.names.append(name)
        url = make_url(self.server_url).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        return url

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in self.names:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory) -> Iterator[Database]:
    given = os.environ.get("REKISTERI_TEST_DATABASE_URL")
    if given:
        databases = Database(given)
        yield databases
        databases.drop_all()
        return
    from shared.embedded.postgres import start_postgres

    server = start_postgres(tmp_path_factory.mktemp("pg") / "data")
    try:
        yield Database(server.admin_url)
    finally:
        server.destroy()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    given = os.environ.get("REKISTERI_TEST_REDIS_URL")
    if given:
        yield given
        return
    from shared.embedded.redis import start_redis

    server = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def database_url(pg_server: Database) -> str:
    return pg_server.create()


@pytest.fixture(scope="session", autouse=True)
def _test_settings(request, tmp_path_factory) -> Iterator[None]:
    """Every test sees test settings; the database and Redis come in only when a test asks."""
    patch = pytest.MonkeyPatch()
    patch.setenv("REKISTERI_ENVIRONMENT", "test")
    patch.setenv("REKISTERI_SECRET_KEY", "test-secret-key-not-for-production")
    patch.setenv("REKISTERI_FLOWER_PASSWORD", "test-flower-password-0123")
    patch.setenv("REKISTERI_VAR_DIR", str(tmp_path_factory.mktemp("var")))
    # Every in-process test client shares one address; the per-client limit has its own test.
    patch.setenv("REKISTERI_PUBLIC_REQUESTS_PER_CLIENT_PER_HOUR", "100000")
    patch.setenv("REKISTERI_PUBLIC_CALLS_PER_CLIENT_PER_MINUTE", "100000")  # counted in the shared Redis
    # Partner test servers listen on 127.0.0.1; tests/shared/partners/test_partner_addresses.py turns it off.
    patch.setenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", "true")
    patch.delenv("REKISTERI_DATABASE_URL", raising=False)
    patch.delenv("REKISTERI_REDIS_URL", raising=False)
    get_settings.cache_clear()
    yield
    patch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def services_env(database_url: str, redis_url: str) -> Iterator[dict[str, str]]:
    """The process environment pointing at the test database and Redis."""
    patch = pytest.MonkeyPatch()
    patch.setenv("REKISTERI_DATABASE_URL", database_url)
    patch.setenv("REKISTERI_REDIS_URL", redis_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield {"REKISTERI_DATABASE_URL": database_url, "REKISTERI_REDIS_URL": redis_url}
    patch.undo()
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture(scope="session")
def engine(services_env) -> Engine:
    return get_engine()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included."""
    connection = engine.connect()
    outer = connection.begin()
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
        yield s
    outer.rollback()
    connection.close()


@pytest.fixture
def mail_catcher(tmp_path: Path) -> Iterator[MailCatcher]:
    catcher = MailCatcher(port=free_port(), mail_dir=tmp_path / "mail").start()
    yield catcher
    catcher.stop()


@pytest.fixture
def api(services_env):
    """The API app in-process on the test database and Redis."""
    from fastapi.testclient import TestClient

    from services.api.main import create_app

    with TestClient(create_app(), raise_server_exceptions=os.environ.get("RAISE") == "1") as client:
        yield client


@pytest.fixture(scope="session")
def role_tokens(engine) -> dict[str, str]:
    """A committed user and bearer token for every role: {"admin": "rk_…", "sales": …}."""
    return tokens_for_roles(engine)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true", default=False,
                     help="fault suite (tests/faults/conftest.py): many rounds, every fault in each, "
                          "two workers (REKISTERI_FAULT_ROUNDS=N: N rounds)")
