"""Dedup through the API on real PostgreSQL: run, review, dismiss, merge, undo; roles; the
restriction rule. The routes' rules and job kinds are patched in until they are wired."""

from __future__ import annotations

import random
import uuid

import pytest

import shared.jobs.service as jobs_service
from support import auth
from services.api.authz import ROUTE_RULES, staff
from shared.dedup.service import run_dedup_job
from shared.jobs.runner import run_job
from shared.models import Role
from factories import PROVENANCE

READ = staff(Role.sales, Role.marketing, Role.privacy, personal_data=True)
WRITE = staff(Role.sales, Role.marketing, Role.privacy)
RULES = {("POST", "/v1/dedup/runs"): WRITE, ("GET", "/v1/dedup/runs/{run_id}"): WRITE,
         ("GET", "/v1/dedup/candidates"): READ, ("POST", "/v1/dedup/candidates/{group_id}/dismiss"): WRITE,
         ("POST", "/v1/dedup/merges"): WRITE, ("POST", "/v1/dedup/merges/{merge_id}/undo"): WRITE}


@pytest.fixture
def client(api, monkeypatch):
    """The app as wired (routes, rules); jobs are run in-process below instead of by a worker."""
    monkeypatch.setattr(jobs_service, "publish_job", lambda **_: True)
    return api


def test_the_dedup_routes_have_the_rules_of_the_issue():
    assert {route: ROUTE_RULES[route] for route in RULES} == RULES


def _twins(client, token) -> tuple[int, int]:
    tag = uuid.uuid4().hex[:8]
    company = client.post("/v1/companies", json={"name": f"Kone {tag} Oy", **PROVENANCE}, headers=auth(token)).json()
    phone = f"+35840{random.randrange(1_000_000, 9_999_999)}"
    ids = []
    for last, domain in ((f"Järvinen{tag}", "example.fi"), (f"Jarvinen{tag}", "gmail.com")):
        body = {"first_name": "Aino", "last_name": last, "email": f"aino.jarvinen{tag}@{domain}",
                "phone": phone, "company_id": company["id"], **PROVENANCE}
        response = client.post("/v1/contacts", json=body, headers=auth(token))
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids[0], ids[1]


def _run(client, token) -> dict:
    started = client.post("/v1/dedup/runs", json={"entity": "contacts"}, headers=auth(token))
    assert started.status_code == 202, started.text
    assert run_job(started.json()["job_id"], run_dedup_job) == "succeeded"
    run = client.get(f"/v1/dedup/runs/{started.json()['id']}", headers=auth(token)).json()
    assert run["status"] == "succeeded" and run["stats"]["groups"] >= 1
    return run


def _group(client, token, a: int, b: int) -> dict:
    cursor, key = None, ",".join(map(str, sorted((a, b))))
    while True:
        page = client.get("/v1/dedup/candidates", params={"limit": 200, **({"cursor": cursor} if cursor else {})},
                          headers=auth(token)).json()
        for item in page["items"]:
            if sorted(m["id"] for m in item["members"]) == sorted((a, b)):
                return item
        cursor = page["next_cursor"]
        assert cursor, f"no open group {key}"


def test_run_review_merge_and_undo(client, role_tokens):
    token = role_tokens["sales"]
    a, b = _twins(client, token)
    _run(client, token)
    group = _group(client, token, a, b)
    assert group["score"] > 0.99 and {m["record"]["last_name"][:3] for m in group["members"]} == {"Jär", "Jar"}
    assert {f["field"] for f in group["explanation"][0]["fields"]} >= {"first_name", "last_name", "phone"}
    log = client.get(f"/v1/contacts/{a}/access-log", headers=auth(role_tokens["privacy"])).json()
    assert any(entry["route"] == "GET /v1/dedup/candidates" for entry in log)

    merged = client.post("/v1/dedup/merges", json={"candidate_id": group["id"]}, headers=auth(token))
    assert merged.status_code == 201, merged.text
    merge = merged.json()
    survivor, [gone] = merge["survivor_id"], merge["merged_ids"]
    assert {survivor, gone} == {a, b} and merge["choices"]["first_name"]["rule"] == "most_recent"
    assert client.get(f"/v1/contacts/{gone}", headers=auth(token)).status_code == 404
    history = client.get(f"/v1/contacts/{survivor}/history", headers=auth(token)).json()
    assert {"merged_contact", "survivorship"} <= {h["field"] for h in history if h["action"] == "merge"}
    again = client.post("/v1/dedup/merges", json={"candidate_id": group["id"]}, headers=auth(token))
    assert again.status_code == 409

    undone = client.post(f"/v1/dedup/merges/{merge['id']}/undo", headers=auth(token))
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert client.get(f"/v1/contacts/{gone}", headers=auth(token)).status_code == 200
    assert client.post(f"/v1/dedup/merges/{merge['id']}/undo", headers=auth(token)).status_code == 409


def test_dismiss_and_roles(client, role_tokens):
    a, b = _twins(client, role_tokens["marketing"])
    _run(client, role_tokens["marketing"])
    group = _group(client, role_tokens["privacy"], a, b)
    assert client.get("/v1/dedup/candidates", headers=auth(role_tokens["admin"])).status_code == 403
    assert client.get("/v1/dedup/candidates", headers=auth(role_tokens["admin"], **{
        "X-Access-Reason": "support ticket 1234"})).status_code == 200
    assert client.post("/v1/dedup/merges", json={"candidate_id": group["id"]},
                       headers=auth(role_tokens["admin"])).status_code == 403
    dismissed = client.post(f"/v1/dedup/candidates/{group['id']}/dismiss", json={"reason": "different_records"},
                            headers=auth(role_tokens["marketing"]))
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    assert client.post(f"/v1/dedup/candidates/{group['id']}/dismiss", json={},
                       headers=auth(role_tokens["marketing"])).status_code == 409
    assert client.post(f"/v1/dedup/candidates/{group['id']}/dismiss", json={"reason": "Aino Järvinen on eri"},
                       headers=auth(role_tokens["marketing"])).status_code == 422  # codes only, no free text
    assert client.post("/v1/dedup/merges", json={"entity": "contacts"},
                       headers=auth(role_tokens["sales"])).status_code == 422


def test_a_restricted_person_is_merged_only_by_the_privacy_officer(client, role_tokens):
    from shared.audit.service import Actor
    from shared.contacts.service import get_contact, restrict
    from shared.db import session_scope

    a, b = _twins(client, role_tokens["sales"])
    with session_scope() as session:
        restrict(session, contact=get_contact(session, contact_id=b), reason="kiistetty", actor=Actor(label="test"))
    body = {"survivor_id": a, "member_ids": [b], "include_restricted": True}
    refused = client.post("/v1/dedup/merges", json=body, headers=auth(role_tokens["sales"]))
    assert refused.status_code == 409 and "restriction" in refused.json()["detail"]
    allowed = client.post("/v1/dedup/merges", json=body, headers=auth(role_tokens["privacy"]))
    assert allowed.status_code == 201, allowed.text
    merged = client.get(f"/v1/contacts/{a}", headers=auth(role_tokens["privacy"])).json()
    assert merged["restricted_at"] is not None
