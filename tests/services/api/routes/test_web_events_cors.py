"""A website's own JavaScript sends web events: each site key names the origins it may be used
from; /v1/web-events answers the CORS preflight for those origins only, and only that endpoint
does; a browser's POST is accepted only from an origin its key names."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, func, select

from shared.models import WebEvent
from support import auth

SITE_ORIGIN = "https://www.jetmasters.fi"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-site-key"}


def _batch(visitor: str) -> dict:
    return {"events": [{"page": "https://www.jetmasters.fi/tuotteet", "referrer": None, "visitor_id": visitor}]}


@pytest.fixture
def site_key(api, role_tokens) -> dict:
    created = api.post("/v1/site-keys", headers=auth(role_tokens["admin"]), json={
        "site": f"www-{uuid.uuid4().hex[:6]}.jetmasters.fi", "origins": [SITE_ORIGIN + "/", "https://JETMASTERS.fi:443"]})
    assert created.status_code == 201, created.text
    assert created.json()["origins"] == [SITE_ORIGIN, "https://jetmasters.fi"]  # as browsers send them
    return created.json()


def _events(engine, visitor: str) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(WebEvent).where(WebEvent.visitor_id == visitor)).one()


def test_preflight_only_for_the_origins_a_key_names(api, site_key, role_tokens):
    allowed = api.options("/v1/web-events", headers={"Origin": SITE_ORIGIN, **PREFLIGHT})
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert allowed.headers["Access-Control-Allow-Methods"] == "POST"
    assert {h.strip().lower() for h in allowed.headers["Access-Control-Allow-Headers"].split(",")} >= {
        "content-type", "x-site-key"}
    assert "Origin" in allowed.headers["Vary"]

    for origin in ("https://evil.example", "http://www.jetmasters.fi", "https://www.jetmasters.fi.evil.example"):
        refused = api.options("/v1/web-events", headers={"Origin": origin, **PREFLIGHT})
        assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers, origin
    wrong_method = api.options("/v1/web-events", headers={"Origin": SITE_ORIGIN, "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in wrong_method.headers
    for path in ("/v1/contacts", "/v1/site-keys", "/v1/me", "/public/requests", "/v1/web-events/identify"):
        other = api.options(path, headers={"Origin": SITE_ORIGIN, **PREFLIGHT})
        assert other.status_code in (403, 405) and "Access-Control-Allow-Origin" not in other.headers, path
    staff_read = api.get("/v1/web-events?visitor_id=x", headers={"Origin": SITE_ORIGIN, **auth(role_tokens["sales"])})
    assert "Access-Control-Allow-Origin" not in staff_read.headers

    assert api.delete(f"/v1/site-keys/{site_key['id']}", headers=auth(role_tokens["admin"])).status_code == 204
    revoked = api.options("/v1/web-events", headers={"Origin": "https://jetmasters.fi", **PREFLIGHT})
    assert revoked.status_code == 403 and "Access-Control-Allow-Origin" not in revoked.headers


def test_a_browser_post_is_readable_only_from_an_origin_of_its_key(api, site_key, engine):
    key = {"X-Site-Key": site_key["key"]}
    visitor = f"v-{uuid.uuid4().hex[:8]}"
    sent = api.post("/v1/web-events", json=_batch(visitor), headers={**key, "Origin": SITE_ORIGIN})
    assert sent.status_code == 202 and sent.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert "Origin" in sent.headers["Vary"]

    foreign = api.post("/v1/web-events", json=_batch(visitor), headers={**key, "Origin": "https://evil.example"})
    assert foreign.status_code == 403 and "Access-Control-Allow-Origin" not in foreign.headers
    server = api.post("/v1/web-events", json=_batch(visitor), headers=key)  # a server sends no Origin
    assert server.status_code == 202 and "Access-Control-Allow-Origin" not in server.headers
    assert _events(engine, visitor) == 2


@pytest.mark.parametrize("origin", ["www.jetmasters.fi", "https://www.jetmasters.fi/page", "ftp://jetmasters.fi",
                                    "https://user@jetmasters.fi", "https://jetmasters.fi?x=1", "https://jätkä.fi"])
def test_an_origin_that_is_not_one_is_refused_with_its_field(api, role_tokens, origin):
    answer = api.post("/v1/site-keys", headers=auth(role_tokens["admin"]),
                      json={"site": "www.jetmasters.fi", "origins": ["https://ok.jetmasters.fi", origin]})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "origins", 1]
