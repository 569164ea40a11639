"""Interactions through the API on real PostgreSQL: who recorded them, the contact's last
activity, filters and keyset pages, ETags, history, the access log and hostile input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from support import auth
from shared.pagination import encode_cursor
from factories import PROVENANCE


def _if(token: str, etag: str) -> dict[str, str]:
    """Headers for a change: the bearer token and the ETag read before."""
    return auth(token, **{"If-Match": etag})


def _contact(api, token) -> dict:
    body = {"first_name": "Ilkka", "last_name": f"Interaktio{uuid.uuid4().hex[:6]}",
            "email": f"ilkka.{uuid.uuid4().hex[:8]}@example.fi", **PROVENANCE}
    response = api.post("/v1/contacts", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()


def _company(api, token) -> int:
    response = api.post("/v1/companies", json={"name": f"Vuorovaikutus Oy {uuid.uuid4().hex[:6]}", **PROVENANCE},
                        headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _interaction(api, token, **fields):
    body = {"kind": "meeting", "summary": "Esittelytapaaminen", **fields}
    return api.post("/v1/interactions", json=body, headers=auth(token))


def _ago(**delta) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def test_crud_round_trip_with_etags_and_history(api, role_tokens):
    token = role_tokens["sales"]
    contact = _contact(api, token)
    me = api.get("/v1/me", headers=auth(token)).json()
    created = _interaction(api, token, contact_id=contact["id"], kind="call", product="Jetmaster 3000",
                           notes="Soitti tarjouksesta")
    assert created.status_code == 201, created.text
    interaction, url = created.json(), f"/v1/interactions/{created.json()['id']}"
    assert interaction["user_id"] == me["id"] and interaction["occurred_at"] is not None
    read = api.get(url, headers=auth(role_tokens["privacy"]))
    assert read.status_code == 200 and read.headers["etag"] == created.headers["etag"]
    assert api.patch(url, json={"summary": "x"}, headers=auth(token)).status_code == 428
    changed = api.patch(url, json={"summary": "Tarjous lähetetty", "kind": "offering"},
                        headers=_if(token, read.headers["etag"]))
    assert changed.status_code == 200 and changed.json()["kind"] == "offering" and changed.json()["version"] == 2
    stale = api.patch(url, json={"summary": "y"}, headers=_if(token, read.headers["etag"]))
    assert stale.status_code == 412
    assert api.patch(url, json={"user_id": 1}, headers=_if(token, "*")).status_code == 422
    assert api.patch(url, json={"summary": None}, headers=_if(token, "*")).status_code == 422
    orphan = api.patch(url, json={"contact_id": None}, headers=_if(token, changed.headers["etag"]))
    assert orphan.status_code == 422 and orphan.json()["detail"][0]["loc"] == ["body", "contact_id"]
    assert api.delete(url, headers=auth(token)).status_code == 428
    assert api.delete(url, headers=_if(token, changed.headers["etag"])).status_code == 204
    assert api.get(url, headers=auth(token)).status_code == 404
    history = api.get(f"/v1/contacts/{contact['id']}/history", headers=auth(token)).json()
    rows = {(c["action"], c["field"]) for c in history if c["entity"] == "interactions"}
    assert {("create", "summary"), ("create", "user_id"), ("update", "kind"), ("delete", None)} <= rows


def test_creating_bumps_last_activity_only_forward(api, role_tokens):
    token = role_tokens["marketing"]
    contact = _contact(api, token)
    assert contact["last_activity_at"] is None
    recent = _interaction(api, token, contact_id=contact["id"], occurred_at=_ago(hours=1)).json()
    after = api.get(f"/v1/contacts/{contact['id']}", headers=auth(token)).json()
    assert after["last_activity_at"] == recent["occurred_at"] and after["version"] == contact["version"]
    _interaction(api, token, contact_id=contact["id"], occurred_at=_ago(days=30))
    again = api.get(f"/v1/contacts/{contact['id']}", headers=auth(token)).json()
    assert again["last_activity_at"] == recent["occurred_at"]


def test_who_and_what_it_is_about(api, role_tokens):
    token = role_tokens["sales"]
    neither = _interaction(api, token)
    assert neither.status_code == 422
    company_only = _interaction(api, token, company_id=_company(api, token))
    assert company_only.status_code == 201 and company_only.json()["contact_id"] is None
    for field in ("contact_id", "company_id"):
        unknown = _interaction(api, token, **{field: 2_147_483_000})
        assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", field]
    assert _interaction(api, token, company_id=_company(api, token), user_id=1).status_code == 422


def test_filters_and_keyset_pages(api, role_tokens):
    token = role_tokens["sales"]
    contact, company = _contact(api, token), _company(api, token)
    ids = [_interaction(api, token, contact_id=contact["id"], company_id=company, kind="email" if i % 2 else "call",
                        occurred_at=_ago(days=i)).json()["id"] for i in range(7)]
    seen, cursor = [], None
    while True:
        params = {"contact_id": contact["id"], "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/interactions", params=params, headers=auth(token)).json()
        seen += [i["id"] for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ids  # newest first
    emails = api.get("/v1/interactions", params={"company_id": company, "kind": "email"}, headers=auth(token)).json()
    assert [i["id"] for i in emails["items"]] == ids[1::2]
    window = {"contact_id": contact["id"], "occurred_after": _ago(days=3, hours=12), "occurred_before": _ago(hours=12)}
    in_window = api.get("/v1/interactions", params=window, headers=auth(token)).json()
    assert [i["id"] for i in in_window["items"]] == ids[1:4]
    me = api.get("/v1/me", headers=auth(token)).json()["id"]
    mine = api.get("/v1/interactions", params={"contact_id": contact["id"], "user_id": me}, headers=auth(token)).json()
    assert len(mine["items"]) == 7
    others = api.get("/v1/interactions", params={"contact_id": contact["id"], "user_id": me + 1}, headers=auth(token))
    assert others.json()["items"] == []


def test_reads_are_in_the_access_log(api, role_tokens):
    token = role_tokens["sales"]
    contact = _contact(api, token)
    created = _interaction(api, token, contact_id=contact["id"]).json()
    api.get(f"/v1/interactions/{created['id']}", headers=auth(role_tokens["marketing"]))
    api.get("/v1/interactions", params={"contact_id": contact["id"]}, headers=auth(token))
    log = api.get(f"/v1/contacts/{contact['id']}/access-log", headers=auth(role_tokens["privacy"])).json()
    routes = [entry["route"] for entry in log]
    assert "GET /v1/interactions" in routes and "GET /v1/interactions/{interaction_id}" in routes


@pytest.mark.parametrize("fields, loc", [
    ({"summary": "x" * 501}, "summary"), ({"summary": ""}, "summary"), ({"product": "p" * 201}, "product"),
    ({"notes": "n" * 10_001}, "notes"), ({"notes": "a\x00b"}, "notes"), ({"kind": "gossip"}, "kind"),
    ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at"),
    ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
    ({"occurred_at": "not a time"}, "occurred_at"), ({"contact_id": 2**31}, "contact_id"),
    ({"contact_id": 10**30}, "contact_id"), ({"company_id": -5}, "company_id"), ({"surprise": 1}, "surprise"),
])
def test_bad_input_names_the_field(api, role_tokens, fields, loc):
    response = _interaction(api, role_tokens["sales"], **{"company_id": 1, **fields})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][:2] == ["body", loc]


def test_hostile_ids_and_cursors(api, role_tokens):
    token = role_tokens["sales"]
    for bad_id in ("2147483648", "99999999999999999999999", "0", "-1", "x"):
        assert api.get(f"/v1/interactions/{bad_id}", headers=auth(token)).status_code == 422
        assert api.get("/v1/interactions", params={"contact_id": bad_id}, headers=auth(token)).status_code == 422
        assert api.delete(f"/v1/interactions/{bad_id}", headers=_if(token, "*")).status_code == 422
    assert api.get("/v1/interactions/2147483647", headers=auth(token)).status_code == 404
    naive = api.get("/v1/interactions", params={"occurred_after": "2020-01-01T00:00:00", "limit": 1},
                    headers=auth(token))
    assert naive.status_code == 200
    for cursor in ("garbage", encode_cursor("abc", 1), encode_cursor(5, 1), encode_cursor(datetime.now(UTC), 2**40)):
        assert api.get("/v1/interactions", params={"cursor": cursor}, headers=auth(token)).status_code == 422


def test_roles(api, role_tokens):
    created = _interaction(api, role_tokens["marketing"], company_id=_company(api, role_tokens["sales"]))
    url, privacy = f"/v1/interactions/{created.json()['id']}", role_tokens["privacy"]
    assert api.get(url, headers=auth(privacy)).status_code == 200
    assert _interaction(api, privacy, company_id=1).status_code == 403
    assert api.patch(url, json={}, headers=_if(privacy, created.headers["etag"])).status_code == 403
    assert api.delete(url, headers=_if(privacy, created.headers["etag"])).status_code == 403
    assert api.get(url, headers=auth(role_tokens["admin"])).status_code == 403
    reason = {"X-Access-Reason": "ticket 4711: checking a disputed call"}
    assert api.get(url, headers=auth(role_tokens["admin"], **reason)).status_code == 200
