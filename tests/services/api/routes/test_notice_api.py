"""The published privacy notice: generated from the configuration in fi/sv/en, versions are
immutable and dated, served by language and format; the records of processing from the same
configuration and the partner registry."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from support import auth
from shared import notice
from shared.notice.config import current_config
from shared.notice.render import render
from shared.retention.policy import load_policy
from partner_api import new_partner  # noqa: F401

SECTION_ONE = {"fi": "## 1. Rekisterinpitäjä", "sv": "## 1. Personuppgiftsansvarig", "en": "## 1. Controller"}
RETENTION = {"fi": "14 kuukautta", "sv": "14 månader", "en": "14 months"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_notice_renders_in_every_language(language):
    markdown, html = render(current_config(), language=language, version=3, published=notice.utcnow().date(),
                            policy=load_policy(), partners=[], base_url="https://rekisteri.example",
                            privacy_email="tietosuoja@jetmasters.example")
    assert markdown.count("\n## ") == 12 and SECTION_ONE[language] in markdown
    assert "1086291-5" in markdown and RETENTION[language] in markdown
    assert "https://rekisteri.example/privacy" in markdown
    assert f'<html lang="{language}">' in html and "<h2>12. " in html and "<script" not in html
    assert "kerran kalenterivuodessa" not in markdown and "once per calendar year" not in markdown
    assert "523/1999" not in markdown  # the repealed Personal Data Act is gone


def test_publishing_versions_and_serving_them(api, role_tokens, engine):  # noqa: F811
    token = role_tokens["privacy"]
    new_partner(api, token, name=f"Laskutuspalvelu {uuid.uuid4().hex[:6]} Oy")  # the notice names partners
    draft = api.get("/v1/privacy-notice/draft?lang=en", headers=auth(token))
    assert draft.status_code == 200 and "Laskutuspalvelu" in draft.text
    first = api.post("/v1/privacy-notice/versions", json={"changes": "Kumppani lisätty"}, headers=auth(token))
    assert first.status_code == 201, first.text
    version = first.json()["version"]
    again = api.post("/v1/privacy-notice/versions", json={"changes": "ei mitään"}, headers=auth(token))
    assert again.status_code == 409 and "nothing has changed" in again.json()["detail"]
    assert api.post("/v1/privacy-notice/versions", json={"changes": "x" * 5},
                       headers=auth(role_tokens["marketing"])).status_code == 403

    fi = api.get("/public/privacy-notice")
    assert fi.status_code == 200 and fi.headers["content-type"].startswith("text/html")
    assert fi.headers["Content-Language"] == "fi" and "Tietosuojaseloste" in fi.text
    assert fi.headers["X-Privacy-Notice-Version"] == str(version) and "Laskutuspalvelu" in fi.text
    sv = api.get("/public/privacy-notice", headers={"Accept-Language": "de-DE, sv;q=0.9, en;q=0.8"})
    assert sv.headers["Content-Language"] == "sv" and "Dataskyddsbeskrivning" in sv.text
    md = api.get("/public/privacy-notice", headers={"Accept": "text/markdown", "Accept-Language": "en"})
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# Privacy notice")
    assert api.get("/public/privacy-notice?lang=en&format=md").text == md.text

    new_partner(api, token)  # the registry changed: a new version, the old one as it was
    second = api.post("/v1/privacy-notice/versions", json={"changes": "Toinen kumppani"}, headers=auth(token))
    assert second.json()["version"] == version + 1
    assert api.get(f"/public/privacy-notice?version={version}&lang=fi").text == fi.text
    history = api.get("/public/privacy-notice/versions").json()
    assert [v["version"] for v in history][:2] == [version + 1, version]
    assert history[1]["changes"] == "Kumppani lisätty" and history[1]["languages"] == ["en", "fi", "sv"]
    assert api.get("/public/privacy-notice?version=99999").status_code == 404
    with Session(engine) as s, pytest.raises(DBAPIError, match="cannot be changed"):
        s.execute(text("UPDATE privacy_notice_versions SET changes = 'muutettu' WHERE version = :v"), {"v": version})


def test_records_of_processing(api, role_tokens):  # noqa: F811
    token = role_tokens["admin"]
    partner = new_partner(api, role_tokens["privacy"], role="processor")
    record = api.get("/v1/records-of-processing", headers=auth(token)).json()
    assert record["controller"]["business_id"] == "1086291-5"
    assert partner["name"] in [p["name"] for p in record["processors"]]
    assert {r["rule"] for r in record["retention"]} >= {"prospects", "web_events"}
    markdown = api.get("/v1/records-of-processing?format=md&lang=fi", headers=auth(token))
    assert markdown.headers["content-type"].startswith("text/markdown") and "Art. 30" in markdown.text
    assert api.get("/v1/records-of-processing", headers=auth(role_tokens["sales"])).status_code == 403
