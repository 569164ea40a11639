"""Companies and contacts through the API on real PostgreSQL: validation, ETags, history,
access log, search and keyset pagination."""

from __future__ import annotations

import uuid

import pytest

from support import auth
from testdata.business_ids import valid_business_id
from factories import PROVENANCE


def _company(api, token, **fields):
    body = {"name": f"Testi Oy {uuid.uuid4().hex[:6]}", **PROVENANCE, **fields}
    response = api.post("/v1/companies", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()


def _contact(api, token, **fields):
    body = {"first_name": "Matti", "last_name": f"Meikäläinen{uuid.uuid4().hex[:4]}",
            "email": f"matti.{uuid.uuid4().hex[:8]}@example.fi", **PROVENANCE, **fields}
    response = api.post("/v1/contacts", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return response


def test_company_business_id_is_checked_and_unique(api, role_tokens):
    token = role_tokens["sales"]
    bid = valid_business_id(uuid.uuid4().int % 9_000_000 + 100_000)
    created = _company(api, token, business_id=bid)
    assert created["business_id"] == bid
    again = api.post("/v1/companies", json={"name": "Other", "business_id": bid, **PROVENANCE}, headers=auth(token))
    assert again.status_code == 409 and bid not in again.text
    bad = api.post("/v1/companies", json={"name": "X", "business_id": "1086291-4", **PROVENANCE}, headers=auth(token))
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "business_id"]
    assert "check digit" in bad.json()["detail"][0]["msg"]


@pytest.mark.parametrize("field, value", [
    ("email", "not-an-email"), ("phone", "123"), ("language", "de"), ("first_name", ""),
    ("last_name", "x" * 101), ("unknown_field", 1), ("purposes", []), ("legal_basis", "whim"),
])
def test_bad_contact_input_names_the_field(api, role_tokens, field, value):
    body = {"first_name": "A", "last_name": "B", **PROVENANCE, field: value}
    response = api.post("/v1/contacts", json=body, headers=auth(role_tokens["sales"]))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", field]
    if field in ("email", "phone"):
        assert str(value) not in response.json()["detail"][0]["msg"]


def test_contact_email_and_phone_are_normalized_and_unique(api, role_tokens):
    token = role_tokens["marketing"]
    email = f"Anna.{uuid.uuid4().hex[:6]}@Example.FI"
    contact = _contact(api, token, email=email, phone="040 123 4567").json()
    assert contact["email"] == email.lower() and contact["phone"] == "+358401234567"
    duplicate = api.post("/v1/contacts", json={"first_name": "A", "last_name": "B", "email": email, **PROVENANCE},
                         headers=auth(token))
    assert duplicate.status_code == 409


def test_search_by_phone_in_any_writing(api, role_tokens):
    token = role_tokens["sales"]
    number = f"040 {uuid.uuid4().int % 10**7:07d}"
    contact = _contact(api, token, phone=number).json()
    found = api.get("/v1/contacts", params={"phone": number.replace(" ", "")}, headers=auth(token))
    assert [c["id"] for c in found.json()["items"]] == [contact["id"]]
    bad = api.get("/v1/contacts", params={"phone": "ei numero"}, headers=auth(token))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "phone"]


def test_unknown_company_is_422_on_its_field(api, role_tokens):
    response = api.post("/v1/contacts", json={"first_name": "A", "last_name": "B", "company_id": 999999999, **PROVENANCE},
                        headers=auth(role_tokens["sales"]))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "company_id"]


def test_updates_need_the_current_etag_and_write_history(api, role_tokens):
    token = role_tokens["sales"]
    created = _contact(api, token)
    contact, etag = created.json(), created.headers["etag"]
    url = f"/v1/contacts/{contact['id']}"
    assert api.patch(url, json={"position": "CEO"}, headers=auth(token)).status_code == 428
    first = api.patch(url, json={"position": "CEO"}, headers=auth(token, **{"If-Match": etag}))
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api.patch(url, json={"position": "CTO"}, headers=auth(token, **{"If-Match": etag}))
    assert stale.status_code == 412
    assert api.get(url, headers=auth(token)).json()["position"] == "CEO"
    changes = api.get(f"{url}/history", headers=auth(token)).json()
    position = [c for c in changes if c["field"] == "position"]
    assert position[0]["action"] == "update" and position[0]["new_value"] == "CEO"
    assert position[0]["actor"].startswith("user:")
    assert {c["action"] for c in changes} >= {"create", "update"}
    delete = api.delete(url, headers=auth(token, **{"If-Match": first.headers["etag"]}))
    assert delete.status_code == 204
    assert api.get(url, headers=auth(token)).status_code == 404


def test_reads_are_in_the_access_log(api, role_tokens):
    contact = _contact(api, role_tokens["sales"]).json()
    api.get(f"/v1/contacts/{contact['id']}", headers=auth(role_tokens["marketing"]))
    api.get("/v1/contacts", params={"email": contact["email"]}, headers=auth(role_tokens["sales"]))
    log = api.get(f"/v1/contacts/{contact['id']}/access-log", headers=auth(role_tokens["privacy"]))
    assert log.status_code == 200
    routes = [entry["route"] for entry in log.json()]
    assert "GET /v1/contacts/{contact_id}" in routes and "GET /v1/contacts" in routes
    assert api.get(f"/v1/contacts/{contact['id']}/access-log", headers=auth(role_tokens["sales"])).status_code == 403


def test_admin_needs_a_reason_to_see_personal_data(api, role_tokens):
    contact = _contact(api, role_tokens["sales"]).json()
    url = f"/v1/contacts/{contact['id']}"
    refused = api.get(url, headers=auth(role_tokens["admin"]))
    assert refused.status_code == 403 and contact["email"] not in refused.text
    reason = "ticket 4711: the customer asked us to check a bounce"
    allowed = api.get(url, headers=auth(role_tokens["admin"], **{"X-Access-Reason": reason}))
    assert allowed.status_code == 200
    log = api.get(f"{url}/access-log", headers=auth(role_tokens["privacy"])).json()
    assert any(entry["reason"] == reason for entry in log)


def test_search_filters_and_keyset_pages(api, role_tokens):
    token = role_tokens["sales"]
    company = _company(api, token, status="customer", business_id=valid_business_id(uuid.uuid4().int % 9_000_000 + 100_000))
    surname = f"Virtanen{uuid.uuid4().hex[:5]}"
    ids = {_contact(api, token, last_name=surname, first_name=f"N{i}", company_id=company["id"]).json()["id"]
           for i in range(7)}
    seen, cursor = [], None
    while True:
        params = {"q": surname.lower(), "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/contacts", params=params, headers=auth(token)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 7
    by_company = api.get("/v1/contacts", params={"business_id": company["business_id"], "company_status": "customer"},
                         headers=auth(token)).json()
    assert {c["id"] for c in by_company["items"]} == ids
    assert api.get("/v1/contacts", params={"cursor": "garbage"}, headers=auth(token)).status_code == 422
    none = api.get("/v1/contacts", params={"q": surname, "objection": "direct_marketing"}, headers=auth(token)).json()
    assert none["items"] == []


def test_search_finds_first_and_last_names_by_folded_prefix(api, role_tokens):
    token = role_tokens["sales"]
    company = _company(api, token)
    for first, last in [("Maija", "Korhonen"), ("Timo", "Mäkinen"), ("Anna-Liisa", "Järvinen"),
                        ("ÅSA", "JÄRVINEN"), ("Jarmo", "Virtanen"), ("Pekka", "Åberg")]:
        _contact(api, token, first_name=first, last_name=last, company_id=company["id"])

    def found(q: str) -> set[tuple[str, str]]:
        answer = api.get("/v1/contacts", params={"q": q, "company_id": company["id"]}, headers=auth(token))
        assert answer.status_code == 200, answer.text
        return {(c["first_name"], c["last_name"]) for c in answer.json()["items"]}

    assert found("maija") == {("Maija", "Korhonen")}  # a first name alone
    assert found("mak") == found("MÄK") == {("Timo", "Mäkinen")}
    assert found("jarv") == {("Anna-Liisa", "Järvinen"), ("ÅSA", "JÄRVINEN")}
    assert found("jar") == {("Anna-Liisa", "Järvinen"), ("ÅSA", "JÄRVINEN"), ("Jarmo", "Virtanen")}
    assert found("aberg") == {("Pekka", "Åberg")} and found("asa") == {("ÅSA", "JÄRVINEN")}
    assert found("matti") == set()
    # More words: the start of the first name and of the last name, in either order.
    assert found("jarmo vir") == found("virtanen jarmo") == {("Jarmo", "Virtanen")}
    assert found("anna-liisa jä") == found("anna liisa jarvinen") == {("Anna-Liisa", "Järvinen")}
    assert found("timo jarvinen") == set()


def test_consents_are_recorded_and_withdrawn(api, role_tokens):
    token = role_tokens["marketing"]
    contact = _contact(api, token).json()
    granted = api.post(f"/v1/contacts/{contact['id']}/consents",
                       json={"purpose": "sister_marketing", "channel": "web", "evidence": "form 2026-11-25 #12"},
                       headers=auth(token))
    assert granted.status_code == 201
    withdrawn = api.post(f"/v1/contacts/{contact['id']}/consents/{granted.json()['id']}/withdraw", headers=auth(token))
    assert withdrawn.json()["withdrawn_at"] is not None
    detail = api.get(f"/v1/contacts/{contact['id']}", headers=auth(token)).json()
    assert detail["consents"][0]["purpose"] == "sister_marketing"


def test_former_customer_gets_an_end_date(api, role_tokens):
    token = role_tokens["sales"]
    created = api.post("/v1/companies", json={"name": "Entinen Oy", "status": "customer", **PROVENANCE}, headers=auth(token))
    company = created.json()
    changed = api.patch(f"/v1/companies/{company['id']}", json={"status": "former_customer"},
                        headers=auth(token, **{"If-Match": created.headers["etag"]}))
    assert changed.status_code == 200 and changed.json()["relationship_ended_at"] is not None


@pytest.mark.parametrize("path", ["/v1/contacts/99999999999", "/v1/contacts/0", "/v1/contacts/-1",
                                  "/v1/companies/3000000000", "/v1/contacts?company_id=99999999999",
                                  "/v1/contacts/1/consents/99999999999/withdraw"])
def test_out_of_range_ids_are_422_not_500(api, role_tokens, path):
    method = "POST" if path.endswith("withdraw") else "GET"
    assert api.request(method, path, headers=auth(role_tokens["sales"])).status_code == 422


def test_oversized_body_is_413(api, role_tokens):
    body = {"first_name": "A", "last_name": "B", **PROVENANCE, "position": "x" * (6 * 1024 * 1024)}
    response = api.post("/v1/contacts", json=body, headers=auth(role_tokens["sales"]))
    assert response.status_code == 413


def test_overlong_company_id_in_body_is_422(api, role_tokens):
    body = {"first_name": "A", "last_name": "B", "company_id": 2**40, **PROVENANCE}
    response = api.post("/v1/contacts", json=body, headers=auth(role_tokens["sales"]))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "company_id"]


def test_validation_errors_do_not_echo_what_was_sent(api, role_tokens):
    body = {"first_name": "Salainen", "last_name": "B", "email": "salainen.henkilo@@example.fi", **PROVENANCE}
    response = api.post("/v1/contacts", json=body, headers=auth(role_tokens["sales"]))
    assert response.status_code == 422
    assert "salainen" not in response.text.lower()
    assert set(response.json()["detail"][0]) == {"loc", "msg", "type"}


@pytest.mark.parametrize("params", [{"q": "nul\x00l"}, {"email": "a\x00@b.fi"}, {"q": "x" * 201}])
def test_hostile_search_input_is_422(api, role_tokens, params):
    assert api.get("/v1/contacts", params=params, headers=auth(role_tokens["sales"])).status_code == 422
