"""The API in-process (TestClient) on the real test database and Redis."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from shared.auth.service import create_user, issue_token
from shared.db import get_engine
from shared.models import Role
from shared.settings import get_settings


@pytest.fixture
def admin_token(engine) -> str:
    import uuid

    with Session(engine) as session:
        name = f"admin-{uuid.uuid4().hex[:6]}"
        create_user(session, name=name, role=Role.admin)
        token = issue_token(session, user_name=name).token
        session.commit()
    return token


def test_request_id_is_taken_or_generated(api):
    given = api.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    generated = api.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    for hostile in ("bad id <script>", "x" * 200, "a\\b"):
        answered = api.get("/healthz", headers={"X-Request-ID": hostile}).headers["x-request-id"]
        assert answered != hostile and len(answered) == 32


def test_unknown_job_is_404_and_bad_id_is_422(api, admin_token):
    headers = {"Authorization": f"Bearer {admin_token}"}
    assert api.get("/v1/jobs/00000000-0000-0000-0000-000000000000", headers=headers).status_code == 404
    bad = api.get("/v1/jobs/not-a-uuid", headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["path", "job_id"]


def test_bad_email_gets_422_with_the_field(api, admin_token):
    response = api.post("/v1/emails/test", json={"to": "not-an-email"},
                           headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "to"]


def test_a_failed_commit_is_never_a_2xx(api, admin_token, monkeypatch):
    def failing_commit(self):
        raise RuntimeError("the database went away at commit")

    headers = {"Authorization": f"Bearer {admin_token}"}
    monkeypatch.setattr(Session, "commit", failing_commit)
    response = api.post("/v1/jobs/selftest", json={}, headers=headers)
    assert response.status_code == 500


def test_readyz_is_503_while_the_database_is_stopped(tmp_path, redis_url, monkeypatch):
    from services.api.main import create_app
    from shared.embedded.postgres import start_postgres

    server = start_postgres(tmp_path / "pg")
    try:
        monkeypatch.setenv("REKISTERI_DATABASE_URL", server.create_database("readyz"))
        monkeypatch.setenv("REKISTERI_REDIS_URL", redis_url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        with TestClient(create_app()) as api:
            assert api.get("/readyz").status_code == 200
            server.stop()
            down = api.get("/readyz")
            assert down.status_code == 503
            assert down.json() == {"database": "unavailable", "redis": "ok"}
            assert api.get("/healthz").status_code == 200  # alive, just not ready
            server.start()
            assert api.get("/readyz").status_code == 200
    finally:
        get_engine().dispose()
        server.destroy()
        get_settings.cache_clear()
        get_engine.cache_clear()


def test_readyz_is_503_without_redis(services_env, monkeypatch):
    from services.api.main import create_app
    from shared.embedded.ports import free_port

    monkeypatch.setenv("REKISTERI_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as api:
            response = api.get("/readyz")
        assert response.status_code == 503 and response.json()["redis"] == "unavailable"
    finally:
        get_settings.cache_clear()
