"""Web behaviour over HTTP (TestClient) on the real test database: site keys, ingest, identify, read."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

import factories
from support import auth, staff_token
from shared.models import AccessRecord, Role, SiteKey, SourceKind, WebEvent
from shared.web_events.service import create_site_key, revoke_site_key

READ_ROUTE = "GET /v1/web-events"


@pytest.fixture
def sales(engine) -> dict[str, str]:
    return auth(staff_token(engine, Role.sales))


@pytest.fixture
def admin(engine) -> dict[str, str]:
    return auth(staff_token(engine, Role.admin))


@pytest.fixture
def site(engine) -> tuple[str, dict[str, str]]:
    """A unique site and the headers that send events as it."""
    name = f"site-{uuid.uuid4().hex[:8]}.example"
    with Session(engine) as session:
        key, _ = create_site_key(session, site=name)
        session.commit()
    return name, {"X-Site-Key": key}


def _contact(engine) -> int:
    with Session(engine) as session:
        contact = factories.contact(session, email=None, source=SourceKind.controller)
        session.commit()
        return contact.id


def _count(engine, *conditions) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(WebEvent).where(*conditions)).one()


def _batch(visitor: str, n: int = 1) -> dict:
    return {"events": [{"page": f"https://www.jetmasters.fi/{i}", "visitor_id": visitor} for i in range(n)]}


def test_events_without_a_valid_site_key_get_401_and_nothing_else(api, engine, site):
    _, headers = site
    with Session(engine) as session:
        key, revoked = create_site_key(session, site="revoked.example")
        revoke_site_key(session, key_id=revoked.id)
        session.commit()
    for bad in ({}, {"X-Site-Key": ""}, {"X-Site-Key": "sk_wrong"}, {"X-Site-Key": key},
                {"X-Site-Key": headers["X-Site-Key"] + "x"}):
        response = api.post("/v1/web-events", json=_batch("v1"), headers=bad)
        assert response.status_code == 401
        assert response.json() == {"detail": "a valid site key is required"}
    # the key is checked before the body: no validation details for a caller without a key
    assert api.post("/v1/web-events", json={"events": []}).status_code == 401
    # a bearer token is not a site key
    assert api.post("/v1/web-events", json=_batch("v1"),
                       headers={"Authorization": "Bearer rk_x"}).status_code == 401


def test_invalid_events_get_422_with_the_field_path(api, site):
    _, headers = site
    future = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    cases = [
        ({"page": "/" * 2001}, ["body", "events", 3, "page"]),
        ({"referrer": "r" * 2001}, ["body", "events", 3, "referrer"]),
        ({"visitor_id": "not ok!"}, ["body", "events", 3, "visitor_id"]),
        ({"visitor_id": "v" * 101}, ["body", "events", 3, "visitor_id"]),
        ({"occurred_at": future}, ["body", "events", 3, "occurred_at"]),
        ({"email": "anna@example.com"}, ["body", "events", 3, "email"]),
    ]
    for change, loc in cases:
        body = _batch("v-ok", 5)
        body["events"][3].update(change)
        response = api.post("/v1/web-events", json=body, headers=headers)
        assert response.status_code == 422, change
        assert [error["loc"] for error in response.json()["detail"]] == [loc]
    for body in ({"events": []}, _batch("v", 1001)):
        response = api.post("/v1/web-events", json=body, headers=headers)
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "events"]
    missing = api.post("/v1/web-events", json={"events": [{"page": "/p"}]}, headers=headers)
    assert missing.json()["detail"][0]["loc"] == ["body", "events", 0, "visitor_id"]


def test_a_batch_of_1000_is_accepted_under_the_key_site(api, engine, site):
    name, headers = site
    visitor = f"v-{uuid.uuid4().hex}"
    body = _batch(visitor, 1000)
    body["events"][0]["page"] = "https://www.jetmasters.fi/?email=anna%40example.com&x=1"
    response = api.post("/v1/web-events", json=body, headers=headers)
    assert response.status_code == 202 and response.json() == {"accepted": 1000}
    assert _count(engine, WebEvent.site == name) == 1000
    assert _count(engine, WebEvent.visitor_id == visitor, WebEvent.page.contains("anna")) == 0


def test_identify_links_events_and_later_ingest(api, engine, site, sales):
    _, headers = site
    visitor = f"v-{uuid.uuid4().hex}"
    api.post("/v1/web-events", json=_batch(visitor, 3), headers=headers)
    missing = api.post("/v1/web-events/identify", json={"visitor_id": visitor, "contact_id": 2_000_000_000},
                          headers=sales)
    assert missing.status_code == 404 and missing.json() == {"detail": "no such contact"}
    contact_id = _contact(engine)
    body = {"visitor_id": visitor, "contact_id": contact_id}
    assert api.post("/v1/web-events/identify", json=body, headers=sales).json() == {"linked_events": 3}
    api.post("/v1/web-events", json=_batch(visitor, 2), headers=headers)
    assert _count(engine, WebEvent.visitor_id == visitor, WebEvent.contact_id == contact_id) == 5
    bad = api.post("/v1/web-events/identify", json={"visitor_id": "a b", "contact_id": 0}, headers=sales)
    assert {tuple(e["loc"]) for e in bad.json()["detail"]} == {("body", "visitor_id"), ("body", "contact_id")}
    assert api.post("/v1/web-events/identify", json=body, headers=site[1]).status_code == 401


def test_reading_events_needs_a_filter_and_is_logged(api, engine, site, sales):
    _, headers = site
    visitor = f"v-{uuid.uuid4().hex}"
    contact_id = _contact(engine)
    api.post("/v1/web-events", json=_batch(visitor, 5), headers=headers)
    api.post("/v1/web-events/identify", json={"visitor_id": visitor, "contact_id": contact_id}, headers=sales)

    unfiltered = api.get("/v1/web-events", headers=sales)
    assert unfiltered.status_code == 422 and unfiltered.json()["detail"][0]["loc"] == ["query", "contact_id"]
    bad_cursor = api.get("/v1/web-events", params={"visitor_id": visitor, "cursor": "nope"}, headers=sales)
    assert bad_cursor.status_code == 422 and bad_cursor.json()["detail"][0]["loc"] == ["query", "cursor"]

    pages, cursor = [], None
    while True:
        params = {"contact_id": contact_id, "limit": 2} | ({"cursor": cursor} if cursor else {})
        response = api.get("/v1/web-events", params=params, headers={**sales, "X-Request-ID": "read-events-1"})
        assert response.status_code == 200
        pages.append(response.json()["items"])
        if not (cursor := response.json()["next_cursor"]):
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    events = [e for p in pages for e in p]
    assert [e["page"] for e in events] == [f"https://www.jetmasters.fi/{i}" for i in range(4, -1, -1)]
    assert {e["visitor_id"] for e in events} == {visitor} and {e["contact_id"] for e in events} == {contact_id}
    with Session(engine) as session:
        logged = session.exec(select(AccessRecord).where(AccessRecord.contact_ids.contains([contact_id]))).all()
    assert [(a.route, a.request_id) for a in logged] == [(READ_ROUTE, "read-events-1")] * 3


def test_unlinked_events_leave_no_access_record_and_admins_need_a_reason(api, engine, site, admin):
    _, headers = site
    visitor = f"v-{uuid.uuid4().hex}"
    api.post("/v1/web-events", json=_batch(visitor, 1), headers=headers)
    assert api.get("/v1/web-events", params={"visitor_id": visitor}, headers=admin).status_code == 403
    request_id = f"unlinked-{uuid.uuid4().hex[:8]}"
    reason = {**admin, "X-Access-Reason": "checking a support case", "X-Request-ID": request_id}
    response = api.get("/v1/web-events", params={"visitor_id": visitor}, headers=reason)
    assert response.status_code == 200 and len(response.json()["items"]) == 1
    with Session(engine) as session:
        assert session.exec(select(AccessRecord).where(AccessRecord.request_id == request_id)).all() == []


def test_site_keys_are_for_admins_and_never_show_the_hash(api, engine, admin, sales):
    for method, path in (("GET", "/v1/site-keys"), ("POST", "/v1/site-keys"), ("DELETE", "/v1/site-keys/1")):
        assert api.request(method, path, json={"site": "x"}, headers=sales).status_code == 403
    assert api.get("/v1/site-keys").status_code == 401

    site = f"new-{uuid.uuid4().hex[:8]}.example"
    created = api.post("/v1/site-keys", json={"site": site}, headers=admin)
    assert created.status_code == 201 and created.headers["cache-control"] == "no-store"
    issued = created.json()
    assert issued["key"].startswith("sk_") and issued["site"] == site and issued["revoked_at"] is None
    with Session(engine) as session:
        assert issued["key"] not in session.get(SiteKey, issued["id"]).model_dump().values()

    listed = api.get("/v1/site-keys", headers=admin).json()
    mine = [k for k in listed if k["id"] == issued["id"]]
    assert mine and set(mine[0]) == {"id", "site", "origins", "created_at", "revoked_at"}
    assert all("key" not in k and "key_hash" not in k for k in listed)

    events = {"X-Site-Key": issued["key"]}
    assert api.post("/v1/web-events", json=_batch("v"), headers=events).status_code == 202
    assert api.delete(f"/v1/site-keys/{issued['id']}", headers=admin).status_code == 204
    assert api.post("/v1/web-events", json=_batch("v"), headers=events).status_code == 401
    assert api.delete("/v1/site-keys/2000000000", headers=admin).status_code == 404
    assert api.post("/v1/site-keys", json={"site": "bad site"}, headers=admin).status_code == 422
