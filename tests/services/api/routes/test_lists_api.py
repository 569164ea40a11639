"""Mailing lists and subscriptions through the API on real PostgreSQL: unique names, ETags,
the subscription status machine, objections and restrictions, history and the access log."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update
from sqlmodel import Session

from support import auth
from shared.audit.service import Actor
from shared.lists import service
from shared.lists.schemas import MailingListCreate
from shared.models import Contact, utcnow
from shared.pagination import encode_cursor
from shared.common.errors import Conflict
from factories import PROVENANCE


def _if(token: str, etag: str) -> dict[str, str]:
    """Headers for a change: the bearer token and the ETag read before."""
    return auth(token, **{"If-Match": etag})


def _contact(api, token) -> int:
    body = {"first_name": "Liisa", "last_name": f"Lista{uuid.uuid4().hex[:6]}",
            "email": f"liisa.{uuid.uuid4().hex[:8]}@example.fi", **PROVENANCE}
    response = api.post("/v1/contacts", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _list(api, token, **fields):
    response = api.post("/v1/lists", json={"name": f"Uutiskirje {uuid.uuid4().hex[:8]}", **fields},
                        headers=auth(token))
    assert response.status_code == 201, response.text
    return response


def _subscribe(api, token, list_id, contact_id, **fields):
    return api.post(f"/v1/lists/{list_id}/subscriptions",
                    json={"contact_id": contact_id, "source": "data_subject", **fields}, headers=auth(token))


def _set_contact(engine, contact_id: int, **values) -> None:
    with Session(engine) as s:
        s.exec(update(Contact).where(Contact.id == contact_id).values(**values))
        s.commit()


def test_list_crud_with_etags_and_unique_names(api, role_tokens):
    token = role_tokens["marketing"]
    created = _list(api, token, description="Kuukausittainen")
    mailing_list, url = created.json(), f"/v1/lists/{created.json()['id']}"
    assert created.headers["etag"] == f'"{mailing_list["id"]}.1"' and mailing_list["owner"] == "Jetmasters Oy"
    read = api.get(url, headers=auth(role_tokens["privacy"]))
    assert read.status_code == 200 and read.headers["etag"] == created.headers["etag"]
    again = api.post("/v1/lists", json={"name": mailing_list["name"]}, headers=auth(token))
    assert again.status_code == 409
    assert api.patch(url, json={"description": "x"}, headers=auth(token)).status_code == 428
    changed = api.patch(url, json={"description": "Viikoittainen"}, headers=_if(token, read.headers["etag"]))
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = api.patch(url, json={"description": "y"}, headers=_if(token, read.headers["etag"]))
    assert stale.status_code == 412
    other = _list(api, token).json()
    taken = api.patch(url, json={"name": other["name"]}, headers=_if(token, changed.headers["etag"]))
    assert taken.status_code == 409
    assert api.patch(url, json={"name": None}, headers=_if(token, changed.headers["etag"])).status_code == 422
    assert api.delete(url, headers=auth(token)).status_code == 428
    assert api.delete(url, headers=_if(token, changed.headers["etag"])).status_code == 204
    assert api.get(url, headers=auth(token)).status_code == 404


def test_lists_page_by_name(api, role_tokens):
    token = role_tokens["sales"]
    prefix = f"Sivutus {uuid.uuid4().hex[:6]}"
    names = {_list(api, token, name=f"{prefix} {i}").json()["name"] for i in range(5)}
    seen, cursor = [], None
    while True:
        params = {"q": prefix, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/lists", params=params, headers=auth(token)).json()
        seen += [item["name"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == sorted(names)
    newest = api.get("/v1/lists", params={"q": prefix, "sort": "-created_at", "limit": 1}, headers=auth(token)).json()
    assert newest["items"][0]["name"] == f"{prefix} 4"


def test_subscription_lifecycle_with_history_and_access_log(api, role_tokens):
    token = role_tokens["marketing"]
    list_id, contact_id = _list(api, token).json()["id"], _contact(api, token)
    pending = _subscribe(api, token, list_id, contact_id, status="pending")
    assert pending.status_code == 201, pending.text
    sub = pending.json()
    assert sub["status"] == "pending" and sub["confirmed_at"] is None and sub["etag"] == pending.headers["etag"]
    assert _subscribe(api, token, list_id, contact_id).status_code == 409
    url = f"/v1/subscriptions/{sub['id']}"
    assert api.patch(url, json={"status": "subscribed"}, headers=auth(token)).status_code == 428
    confirmed = api.patch(url, json={"status": "subscribed"}, headers=_if(token, sub["etag"]))
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_at"] is not None
    stale = api.patch(url, json={"status": "unsubscribed"}, headers=_if(token, sub["etag"]))
    assert stale.status_code == 412
    back = api.patch(url, json={"status": "pending"}, headers=_if(token, confirmed.headers["etag"]))
    assert back.status_code == 409
    ended = api.patch(url, json={"status": "unsubscribed"}, headers=_if(token, confirmed.headers["etag"]))
    assert ended.status_code == 200 and ended.json()["unsubscribed_at"] is not None

    listed = api.get(f"/v1/lists/{list_id}/subscriptions", params={"status": "unsubscribed"},
                     headers=auth(token)).json()
    assert [s["id"] for s in listed["items"]] == [sub["id"]] and listed["items"][0]["etag"] == ended.headers["etag"]
    assert api.get(f"/v1/lists/{list_id}/subscriptions", params={"status": "pending"},
                   headers=auth(token)).json()["items"] == []
    log = api.get(f"/v1/contacts/{contact_id}/access-log", headers=auth(role_tokens["privacy"])).json()
    assert "GET /v1/lists/{list_id}/subscriptions" in [entry["route"] for entry in log]

    assert api.delete(url, headers=_if(token, ended.headers["etag"])).status_code == 204
    history = api.get(f"/v1/contacts/{contact_id}/history", headers=auth(token)).json()
    rows = [(c["action"], c["field"], c["new_value"]) for c in history if c["entity"] == "subscriptions"]
    assert ("create", "status", "pending") in rows and ("update", "status", "subscribed") in rows
    assert ("update", "status", "unsubscribed") in rows and ("delete", None, None) in rows
    assert any(field == "confirmed_at" for _, field, _ in rows)


def test_subscription_references_and_hostile_input(api, role_tokens):
    token = role_tokens["sales"]
    list_id = _list(api, token).json()["id"]
    unknown = _subscribe(api, token, list_id, 2_147_483_000)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "contact_id"]
    for contact_id in (0, -1, 2**31, 10**30, "abc", None):
        response = _subscribe(api, token, list_id, contact_id)
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "contact_id"]
    contact_id = _contact(api, token)
    assert _subscribe(api, token, list_id, contact_id, status="unsubscribed").status_code == 422
    pending_but_confirmed = _subscribe(api, token, list_id, contact_id, status="pending", confirmed_at="2025-01-01")
    assert pending_but_confirmed.status_code == 422
    assert _subscribe(api, token, list_id, contact_id, confirmed_at="0001-01-01T00:00:00+14:00").status_code == 422
    assert _subscribe(api, token, list_id, contact_id, surprise=1).status_code == 422
    assert _subscribe(api, token, 2_147_483_000, contact_id).status_code == 404
    for bad_id in ("2147483648", "99999999999999999999999", "0", "x"):
        assert _subscribe(api, token, bad_id, contact_id).status_code == 422
        assert api.get(f"/v1/lists/{bad_id}", headers=auth(token)).status_code == 422
        assert api.delete(f"/v1/subscriptions/{bad_id}", headers=_if(token, "*")).status_code == 422
    assert api.patch("/v1/subscriptions/2147483647", json={}, headers=_if(token, "*")).status_code == 404
    too_long = api.post("/v1/lists", json={"name": "x" * 201}, headers=auth(token))
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["loc"] == ["body", "name"]
    assert api.post("/v1/lists", json={"name": "nul\x00"}, headers=auth(token)).status_code == 422
    assert api.get("/v1/lists", params={"q": "a\x00"}, headers=auth(token)).status_code == 422
    for cursor in ("garbage", encode_cursor(utcnow(), 1), encode_cursor("a", 2**40), encode_cursor(None, 1)):
        assert api.get("/v1/lists", params={"cursor": cursor}, headers=auth(token)).status_code == 422
        subscriptions = api.get(f"/v1/lists/{list_id}/subscriptions", params={"cursor": cursor}, headers=auth(token))
        assert subscriptions.status_code == 422


def test_lone_surrogate_is_refused(api, role_tokens):
    body = b'{"name": "\\ud800"}'
    headers = auth(role_tokens["sales"], **{"Content-Type": "application/json"})
    response = api.post("/v1/lists", content=body, headers=headers)
    assert response.status_code == 422


@pytest.mark.parametrize("column, message", [
    ("objects_direct_marketing_at", "objected"), ("restricted_at", "restricted"),
])
def test_objection_or_restriction_blocks_subscribing(api, role_tokens, engine, column, message):
    token = role_tokens["marketing"]
    list_id, contact_id = _list(api, token).json()["id"], _contact(api, token)
    sub = _subscribe(api, token, list_id, contact_id)
    assert sub.status_code == 201
    ended = api.patch(f"/v1/subscriptions/{sub.json()['id']}", json={"status": "unsubscribed"},
                      headers=_if(token, sub.headers["etag"]))
    _set_contact(engine, contact_id, **{column: utcnow()})
    again = api.patch(f"/v1/subscriptions/{sub.json()['id']}", json={"status": "subscribed"},
                      headers=_if(token, ended.headers["etag"]))
    assert again.status_code == 409 and message in again.json()["detail"]
    other_list = _list(api, token).json()["id"]
    refused = _subscribe(api, token, other_list, contact_id)
    assert refused.status_code == 409 and message in refused.json()["detail"]
    assert "Liisa" not in refused.text and "Lista" not in refused.text


def test_resubscribing_restamps_and_subscriptions_page(api, role_tokens):
    token = role_tokens["sales"]
    list_id = _list(api, token).json()["id"]
    ids = [_subscribe(api, token, list_id, _contact(api, token)).json()["id"] for _ in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get(f"/v1/lists/{list_id}/subscriptions", params=params, headers=auth(token)).json()
        seen += [s["id"] for s in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ids
    first = api.get(f"/v1/lists/{list_id}/subscriptions", params={"limit": 1}, headers=auth(token)).json()["items"][0]
    url = f"/v1/subscriptions/{first['id']}"
    ended = api.patch(url, json={"status": "unsubscribed"}, headers=_if(token, first["etag"])).json()
    again = api.patch(url, json={"status": "subscribed"}, headers=_if(token, ended["etag"])).json()
    assert again["status"] == "subscribed" and again["unsubscribed_at"] is None
    assert again["subscribed_at"] > first["subscribed_at"]


def test_deleting_a_list_records_its_subscriptions_in_history(api, role_tokens):
    token = role_tokens["marketing"]
    created = _list(api, token)
    contact_id = _contact(api, token)
    assert _subscribe(api, token, created.json()["id"], contact_id).status_code == 201
    deleted = api.delete(f"/v1/lists/{created.json()['id']}", headers=_if(token, created.headers["etag"]))
    assert deleted.status_code == 204
    history = api.get(f"/v1/contacts/{contact_id}/history", headers=auth(token)).json()
    assert ("subscriptions", "delete") in [(c["entity"], c["action"]) for c in history]


def test_roles(api, role_tokens):
    created = _list(api, role_tokens["sales"])
    url, privacy = f"/v1/lists/{created.json()['id']}", role_tokens["privacy"]
    assert api.get(url, headers=auth(privacy)).status_code == 200
    assert api.get(f"{url}/subscriptions", headers=auth(privacy)).status_code == 200
    assert api.post("/v1/lists", json={"name": f"P {uuid.uuid4().hex}"}, headers=auth(privacy)).status_code == 403
    assert api.patch(url, json={}, headers=_if(privacy, created.headers["etag"])).status_code == 403
    assert api.patch("/v1/subscriptions/1", json={}, headers=auth(privacy)).status_code == 403
    assert api.get(f"{url}/subscriptions", headers=auth(role_tokens["admin"])).status_code == 403
    reason = {"X-Access-Reason": "ticket 4711: checking a list for a complaint"}
    assert api.get(f"{url}/subscriptions", headers=auth(role_tokens["admin"], **reason)).status_code == 200


def test_a_duplicate_name_that_slips_past_the_check_is_a_conflict(session, monkeypatch):
    """Two requests racing for one name: the unique index answers, as 409 rather than 500."""
    monkeypatch.setattr(service, "_ensure_name_free", lambda *args, **kwargs: None)
    data = MailingListCreate(name=f"Kilpa {uuid.uuid4().hex[:8]}")
    service.create_list(session, data=data, actor=Actor(label="system"))
    with pytest.raises(Conflict):
        service.create_list(session, data=data, actor=Actor(label="system"))
