"""/metrics wants the scrape token (issue 13, item 6): stored only as its SHA-256 in the settings,
made by `rekisteri metrics-token`; the database figures are read at most once per few seconds."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from services.api import metrics
from shared.models import Job, JobStatus
from shared.settings import get_settings

TOKEN = "rkm_" + uuid.uuid4().hex


@pytest.fixture
def scraped_api(services_env, monkeypatch):
    from services.api.main import create_app

    monkeypatch.setenv("REKISTERI_METRICS_TOKEN_SHA256", hashlib.sha256(TOKEN.encode()).hexdigest())
    get_settings.cache_clear()
    with TestClient(create_app()) as client:
        yield client
    get_settings.cache_clear()


def test_metrics_are_off_without_a_configured_token(api):
    assert api.get("/metrics").status_code == 403
    assert "rekisteri_" not in api.get("/metrics").text


def test_only_the_scrape_token_opens_metrics(scraped_api, role_tokens):
    assert scraped_api.get("/metrics").status_code == 401
    for wrong in ("Bearer rkm_wrong", f"Basic {TOKEN}", f"Bearer {role_tokens['admin']}", f"Bearer {TOKEN}x"):
        response = scraped_api.get("/metrics", headers={"Authorization": wrong})
        assert response.status_code == 401 and "rekisteri_" not in response.text
    scraped = scraped_api.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert scraped.status_code == 200 and "rekisteri_http_requests_total" in scraped.text


def _pending_selftests(text: str) -> float:
    for line in text.splitlines():
        if line.startswith('rekisteri_jobs{kind="metrics.cache_probe",status="cancelled"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_database_figures_are_cached_for_a_few_seconds(scraped_api, engine, monkeypatch):
    monkeypatch.setattr(metrics, "DATABASE_FIGURES_SECONDS", 1.0)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    time.sleep(1.1)  # whatever an earlier scrape cached is stale now
    before = _pending_selftests(scraped_api.get("/metrics", headers=headers).text)
    with Session(engine) as s:
        s.add(Job(kind="metrics.cache_probe", queue="system", status=JobStatus.cancelled, payload={}))
        s.commit()
    assert _pending_selftests(scraped_api.get("/metrics", headers=headers).text) == before  # cached
    time.sleep(1.1)
    assert _pending_selftests(scraped_api.get("/metrics", headers=headers).text) == before + 1


def test_the_command_makes_a_token_and_its_hash():
    done = subprocess.run([sys.executable, "-m", "shared.cli.main", "metrics-token"], capture_output=True, text=True,
                          timeout=60, check=True)
    lines = dict(line.split(": " if line.startswith("token") else "=", 1) for line in done.stdout.splitlines())
    assert lines["REKISTERI_METRICS_TOKEN_SHA256"] == hashlib.sha256(lines["token"].encode()).hexdigest()
