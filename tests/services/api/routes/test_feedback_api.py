"""Feedback through the API on real PostgreSQL: receive, correct, handle once, filters and
keyset pages, ETags, history, the access log and hostile input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from support import auth
from shared.pagination import encode_cursor

PROVENANCE = {"legal_basis": "customer_relationship", "purposes": ["feedback"], "source": "data_subject"}


def _if(token: str, etag: str) -> dict[str, str]:
    """Headers for a change: the bearer token and the ETag read before."""
    return auth(token, **{"If-Match": etag})


def _contact(api, token) -> int:
    body = {"first_name": "Paula", "last_name": f"Palaute{uuid.uuid4().hex[:6]}",
            "email": f"paula.{uuid.uuid4().hex[:8]}@example.fi", **PROVENANCE}
    response = api.post("/v1/contacts", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _feedback(api, token, **fields):
    return api.post("/v1/feedback", json={"channel": "email", "text": "Toimitus myöhästyi", **fields},
                    headers=auth(token))


def test_crud_round_trip_with_etags_and_history(api, role_tokens):
    token = role_tokens["marketing"]
    contact_id = _contact(api, token)
    created = _feedback(api, token, contact_id=contact_id, rating=2)
    assert created.status_code == 201, created.text
    feedback, url = created.json(), f"/v1/feedback/{created.json()['id']}"
    assert feedback["status"] == "new" and feedback["handled_by"] is None and feedback["received_at"]
    read = api.get(url, headers=auth(role_tokens["privacy"]))
    assert read.status_code == 200 and read.headers["etag"] == created.headers["etag"]
    assert api.patch(url, json={"rating": 3}, headers=auth(token)).status_code == 428
    changed = api.patch(url, json={"rating": 3, "channel": "phone"}, headers=_if(token, read.headers["etag"]))
    assert changed.status_code == 200 and changed.json()["rating"] == 3 and changed.json()["version"] == 2
    assert api.patch(url, json={"rating": 1}, headers=_if(token, read.headers["etag"])).status_code == 412
    cleared = api.patch(url, json={"rating": None}, headers=_if(token, changed.headers["etag"]))
    assert cleared.status_code == 200 and cleared.json()["rating"] is None
    assert api.patch(url, json={"text": None}, headers=_if(token, "*")).status_code == 422
    assert api.patch(url, json={"status": "handled"}, headers=_if(token, "*")).status_code == 422
    assert api.delete(url, headers=auth(token)).status_code == 428
    assert api.delete(url, headers=_if(token, cleared.headers["etag"])).status_code == 204
    assert api.get(url, headers=auth(token)).status_code == 404
    history = api.get(f"/v1/contacts/{contact_id}/history", headers=auth(token)).json()
    rows = {(c["action"], c["field"]) for c in history if c["entity"] == "feedback"}
    assert {("create", "text"), ("create", "rating"), ("update", "channel"), ("delete", None)} <= rows


def test_handling_once_by_the_acting_user(api, role_tokens):
    token = role_tokens["sales"]
    contact_id = _contact(api, token)
    created = _feedback(api, token, contact_id=contact_id)
    url = f"/v1/feedback/{created.json()['id']}/handle"
    assert api.post(url, json={"resolution": "Hyvitys"}, headers=auth(token)).status_code == 428
    assert api.post(url, json={"resolution": ""}, headers=_if(token, "*")).status_code == 422
    assert api.post(url, json={"resolution": "x", "handled_by": 1}, headers=_if(token, "*")).status_code == 422
    handled = api.post(url, json={"resolution": "Hyvitys lähetetty"}, headers=_if(token, created.headers["etag"]))
    assert handled.status_code == 200, handled.text
    body, me = handled.json(), api.get("/v1/me", headers=auth(token)).json()
    assert body["status"] == "handled" and body["handled_by"] == me["id"] and body["handled_at"]
    assert body["resolution"] == "Hyvitys lähetetty" and handled.headers["etag"] != created.headers["etag"]
    assert api.post(url, json={"resolution": "x"}, headers=_if(token, created.headers["etag"])).status_code == 412
    twice = api.post(url, json={"resolution": "x"}, headers=_if(token, handled.headers["etag"]))
    assert twice.status_code == 409
    history = api.get(f"/v1/contacts/{contact_id}/history", headers=auth(token)).json()
    fields = {c["field"]: c["new_value"] for c in history if c["entity"] == "feedback" and c["action"] == "update"}
    assert fields["status"] == "handled" and fields["handled_by"] == str(me["id"]) and "resolution" in fields
    assert api.post("/v1/feedback/2147483647/handle", json={"resolution": "x"},
                    headers=_if(token, "*")).status_code == 404


def test_filters_and_keyset_pages(api, role_tokens):
    token = role_tokens["sales"]
    contact_id = _contact(api, token)
    now = datetime.now(UTC)
    ids = [_feedback(api, token, contact_id=contact_id, channel="web" if i % 2 else "phone",
                     received_at=(now - timedelta(days=i)).isoformat()).json()["id"] for i in range(6)]
    seen, cursor = [], None
    while True:
        params = {"contact_id": contact_id, "limit": 4, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/feedback", params=params, headers=auth(token)).json()
        seen += [f["id"] for f in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ids  # newest first
    web = api.get("/v1/feedback", params={"contact_id": contact_id, "channel": "web"}, headers=auth(token)).json()
    assert [f["id"] for f in web["items"]] == ids[1::2]
    api.post(f"/v1/feedback/{ids[0]}/handle", json={"resolution": "ok"}, headers=_if(token, "*"))
    new = api.get("/v1/feedback", params={"contact_id": contact_id, "status": "new"}, headers=auth(token)).json()
    assert [f["id"] for f in new["items"]] == ids[1:]
    handled = api.get("/v1/feedback", params={"contact_id": contact_id, "status": "handled"},
                      headers=auth(token)).json()
    assert [f["id"] for f in handled["items"]] == ids[:1]
    company = api.post("/v1/companies", json={"name": f"Palaute Oy {uuid.uuid4().hex[:6]}", **PROVENANCE},
                       headers=auth(token)).json()["id"]
    by_company = _feedback(api, token, company_id=company, text="Anonyymi").json()["id"]
    of_company = api.get("/v1/feedback", params={"company_id": company}, headers=auth(token)).json()
    assert [f["id"] for f in of_company["items"]] == [by_company]


def test_reads_are_in_the_access_log(api, role_tokens):
    token = role_tokens["sales"]
    contact_id = _contact(api, token)
    created = _feedback(api, token, contact_id=contact_id).json()
    api.get(f"/v1/feedback/{created['id']}", headers=auth(role_tokens["marketing"]))
    api.get("/v1/feedback", params={"contact_id": contact_id}, headers=auth(token))
    log = api.get(f"/v1/contacts/{contact_id}/access-log", headers=auth(role_tokens["privacy"])).json()
    routes = [entry["route"] for entry in log]
    assert "GET /v1/feedback" in routes and "GET /v1/feedback/{feedback_id}" in routes


@pytest.mark.parametrize("fields, loc", [
    ({"text": "x" * 5001}, "text"), ({"text": "  "}, "text"), ({"text": "a\x00b"}, "text"),
    ({"rating": 0}, "rating"), ({"rating": 6}, "rating"), ({"rating": 10**30}, "rating"), ({"rating": 2.5}, "rating"),
    ({"channel": "pigeon"}, "channel"), ({"contact_id": 2**31}, "contact_id"), ({"company_id": 0}, "company_id"),
    ({"contact_id": 2_147_483_000}, "contact_id"), ({"company_id": 2_147_483_000}, "company_id"),
    ({"received_at": "2999-01-01T00:00:00Z"}, "received_at"),
    ({"received_at": "0001-01-01T00:00:00+14:00"}, "received_at"),
    ({"status": "handled"}, "status"), ({"handled_by": 1}, "handled_by"),
])
def test_bad_input_names_the_field(api, role_tokens, fields, loc):
    response = _feedback(api, role_tokens["sales"], **fields)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][:2] == ["body", loc]


def test_hostile_ids_and_cursors(api, role_tokens):
    token = role_tokens["sales"]
    for bad_id in ("2147483648", "99999999999999999999999", "0", "x"):
        assert api.get(f"/v1/feedback/{bad_id}", headers=auth(token)).status_code == 422
        assert api.get("/v1/feedback", params={"company_id": bad_id}, headers=auth(token)).status_code == 422
        assert api.post(f"/v1/feedback/{bad_id}/handle", json={"resolution": "x"},
                        headers=_if(token, "*")).status_code == 422
    for cursor in ("garbage", encode_cursor("abc", 1), encode_cursor([1], 1), encode_cursor(datetime.now(UTC), 2**31)):
        assert api.get("/v1/feedback", params={"cursor": cursor}, headers=auth(token)).status_code == 422


def test_roles(api, role_tokens):
    created = _feedback(api, role_tokens["sales"])
    url, privacy = f"/v1/feedback/{created.json()['id']}", role_tokens["privacy"]
    etag = {"If-Match": created.headers["etag"]}
    assert api.get(url, headers=auth(privacy)).status_code == 200
    assert api.get("/v1/feedback", headers=auth(privacy)).status_code == 200
    assert _feedback(api, privacy).status_code == 403
    assert api.post(f"{url}/handle", json={"resolution": "x"}, headers=auth(privacy, **etag)).status_code == 403
    assert api.patch(url, json={}, headers=auth(privacy, **etag)).status_code == 403
    assert api.delete(url, headers=auth(privacy, **etag)).status_code == 403
    assert api.get(url, headers=auth(role_tokens["admin"])).status_code == 403
    reason = {"X-Access-Reason": "ticket 4711: customer complaint follow-up"}
    assert api.get(url, headers=auth(role_tokens["admin"], **reason)).status_code == 200
