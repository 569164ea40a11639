"""A fresh install answers /public/privacy-notice from the first start: migrating a new database
publishes version 1 from the configuration, once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, create_engine, select

from shared.db import get_engine, normalize_database_url
from shared.migrations import upgrade
from shared.models.partners import PrivacyNoticeVersion
from shared.settings import get_settings


def _versions(url: str) -> list[PrivacyNoticeVersion]:
    engine = create_engine(normalize_database_url(url))
    try:
        with Session(engine) as s:
            return list(s.exec(select(PrivacyNoticeVersion)).all())
    finally:
        engine.dispose()


def test_a_freshly_migrated_database_has_a_published_notice(pg_server, monkeypatch):
    url = pg_server.create("rekisteri_fresh")  # created and migrated, as `rekisteri up` does
    [first] = _versions(url)
    assert first.version == 1 and first.published_by is None and set(first.html) == {"fi", "sv", "en"}

    monkeypatch.setenv("REKISTERI_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        from services.api.main import create_app

        with TestClient(create_app()) as client:
            for lang in ("fi", "sv", "en"):
                page = client.get(f"/public/privacy-notice?lang={lang}")
                assert page.status_code == 200 and page.headers["X-Privacy-Notice-Version"] == "1", page.text
                assert page.headers["Content-Language"] == lang
            assert [v["version"] for v in client.get("/public/privacy-notice/versions").json()] == [1]
    finally:
        get_settings.cache_clear()
        get_engine.cache_clear()

    upgrade(url)  # every later start migrates again: nothing more is published
    assert [v.version for v in _versions(url)] == [1]
