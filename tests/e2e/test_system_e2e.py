"""The whole system as real processes: API, worker, beat and notifier on real PostgreSQL, Redis
and an SMTP server; the CLI makes the user and token."""

from __future__ import annotations

import hashlib
import json

import pytest
import redis

from support import FAST, running_system, wait_until

pytestmark = pytest.mark.e2e

SCRAPE_TOKEN = "rkm_scrape-token-of-the-e2e-test"


@pytest.fixture(scope="module")
def system(pg_server, redis_url, tmp_path_factory, request):
    env = {**FAST, "REKISTERI_METRICS_TOKEN_SHA256": hashlib.sha256(SCRAPE_TOKEN.encode()).hexdigest()}
    with running_system(pg_server, redis_url, tmp_path_factory, request, name="e2e",
                        processes=("api", "worker-1", "beat", "notifier"), env=env, public_base=False) as services:
        yield services


@pytest.fixture(scope="module")
def admin_token(system) -> str:
    created = system.cli("users", "create", "--name", "e2e-admin", "--role", "admin")
    assert created.returncode == 0, created.stderr
    issued = system.cli("tokens", "create", "--user", "e2e-admin")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert token.startswith("rk_")
    return token


def _job(client, job_id: str) -> dict:
    response = client.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200, response.text
    return response.json()


def test_health_and_readiness(system):
    with system.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"database": "ok", "redis": "ok"}
        assert client.get("/metrics").status_code == 401
        scraped = client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"})
        assert "rekisteri_http_requests_total" in scraped.text
        assert client.get("/openapi.json").json()["info"]["title"] == "Rekisteri"
        assert client.get("/docs").status_code == 200


def test_authentication_is_required(system, admin_token):
    with system.client() as anonymous:
        assert anonymous.get("/v1/me").status_code == 401
        assert anonymous.post("/v1/jobs/selftest", json={}).status_code == 401
    with system.client("rk_wrong") as wrong:
        assert wrong.get("/v1/me").status_code == 401
    with system.client(admin_token) as client:
        me = client.get("/v1/me")
        assert me.status_code == 200 and me.json()["role"] == "admin"
    assert system.cli("users", "create", "--name", "e2e-sales", "--role", "sales").returncode == 0
    sales_token = system.cli("tokens", "create", "--user", "e2e-sales").stdout.strip()
    with system.client(sales_token) as sales:
        assert sales.get("/v1/me").json()["role"] == "sales"
        forbidden = sales.post("/v1/jobs/selftest", json={})
        assert forbidden.status_code == 403 and "id" not in forbidden.json()


def test_job_runs_through_celery_with_the_request_id(system, admin_token):
    with system.client(admin_token, **{"X-Request-ID": "e2e-request-0001"}) as client:
        created = client.post("/v1/jobs/selftest", json={"echo": "hello", "seconds": 0.2})
        assert created.status_code == 202, created.text
        assert created.headers["x-request-id"] == "e2e-request-0001"
        job_id = created.json()["id"]
        done = wait_until(lambda: (j := _job(client, job_id))["status"] == "succeeded" and j,
                          message="the selftest job to succeed")
    assert done["result"]["echo"] == "hello"
    assert done["attempts"] == 1 and done["request_id"] == "e2e-request-0001"
    worker_lines = [json.loads(line) for line in system.logs().splitlines() if line.startswith("{")]
    assert any(line.get("request_id") == "e2e-request-0001" and line.get("event") == "job.succeeded"
               for line in worker_lines), "the worker's log lines carry the API's request id"


def test_validation_errors_name_the_field(system, admin_token):
    with system.client(admin_token) as client:
        response = client.post("/v1/jobs/selftest", json={"seconds": -1})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "seconds"]


def test_test_email_reaches_the_smtp_server(system, admin_token):
    with system.client(admin_token) as client:
        queued = client.post("/v1/emails/test", json={"to": "someone@example.com"})
        assert queued.status_code == 202, queued.text
        email = queued.json()
        wait_until(lambda: client.get(f"/v1/emails/{email['id']}").json()["status"] == "sent",
                   message="the email to be sent")
    caught = [m for m in system.catcher.messages if m.parsed()["Message-ID"] == email["message_id"]]
    assert len(caught) == 1
    assert caught[0].rcpt_tos == ["someone@example.com"]
    assert caught[0].path is not None and caught[0].path.read_bytes() == caught[0].data


def test_killed_worker_job_finishes_once_on_a_new_worker(system, admin_token):
    from sqlalchemy import create_engine, text

    with system.client(admin_token) as client:
        job_id = client.post("/v1/jobs/selftest", json={"echo": "survivor", "seconds": 4}).json()["id"]
        wait_until(lambda: _job(client, job_id)["status"] == "running", message="the job to start")
        system.kill9("worker-1")
        system.start("worker-2")
        done = wait_until(lambda: (j := _job(client, job_id))["status"] == "succeeded" and j,
                          timeout=60, message="the job to finish on the new worker")
    assert done["attempts"] == 2 and done["result"]["echo"] == "survivor"
    engine = create_engine(system.env["REKISTERI_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        events = [row[0] for row in conn.execute(
            text("SELECT event FROM job_events WHERE job_id = :id ORDER BY id"), {"id": job_id})]
    engine.dispose()
    assert events.count("succeeded") == 1
    assert "lease_expired" in events and events.count("claimed") == 2


def test_flushed_redis_loses_no_job(system, admin_token):
    system.stop("worker-2")
    with system.client(admin_token) as client:
        job_id = client.post("/v1/jobs/selftest", json={"echo": "after-flush"}).json()["id"]
        broker = redis.Redis.from_url(system.env["REKISTERI_REDIS_URL"])
        wait_until(lambda: broker.llen("default") > 0, message="the job's message in Redis")
        broker.flushall()
        assert broker.llen("default") == 0
        system.start("worker-3")
        done = wait_until(lambda: (j := _job(client, job_id))["status"] == "succeeded" and j,
                          timeout=60, message="the reconciler to bring the job back")
    assert done["result"]["echo"] == "after-flush" and done["attempts"] == 1
