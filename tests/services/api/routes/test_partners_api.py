"""Partners, transfers (the download channel end to end through the job and the public link),
authority disclosures, legal holds, the retention endpoints and breaches through the API."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from sqlmodel import Session, select

from support import auth
from services.api.authz import PUBLIC, ROUTE_RULES, staff
from shared.jobs.runner import run_job
from shared.models import ChangeRecord, Contact, Disclosure, EmailMessage, Role, utcnow
from shared.models.partners import Partner
from shared.partners import delivery
from shared.transfers.service import run_transfer_job
from partner_api import new_contact, new_partner  # noqa: F401

PRIVACY_ADMIN = staff(Role.privacy, Role.admin)
PRIVACY = staff(Role.privacy)
TRANSFERS = staff(Role.privacy, personal_data=True)
# The rules services/api/authz.py needs for these routes (the report lists them).
RULES = {
    ("GET", "/v1/partners"): PRIVACY_ADMIN, ("POST", "/v1/partners"): PRIVACY_ADMIN,
    ("GET", "/v1/partners/{partner_id}"): PRIVACY_ADMIN, ("PATCH", "/v1/partners/{partner_id}"): PRIVACY_ADMIN,
    ("GET", "/v1/transfers"): TRANSFERS, ("POST", "/v1/transfers"): TRANSFERS,
    ("GET", "/v1/transfers/{transfer_id}"): TRANSFERS,
    ("GET", "/v1/disclosures"): staff(Role.privacy, personal_data=True),
    ("POST", "/v1/disclosures"): PRIVACY,
    ("GET", "/public/transfers/{transfer_id}/file"): PUBLIC,  # signed, expiring link
    ("GET", "/v1/retention/policy"): PRIVACY_ADMIN, ("GET", "/v1/retention/plan"): PRIVACY_ADMIN,
    ("GET", "/v1/retention/runs"): PRIVACY_ADMIN, ("POST", "/v1/retention/runs"): PRIVACY_ADMIN,
    ("GET", "/v1/legal-holds"): PRIVACY, ("POST", "/v1/legal-holds"): PRIVACY,
    ("POST", "/v1/legal-holds/{hold_id}/release"): PRIVACY,
    ("GET", "/public/privacy-notice"): PUBLIC, ("GET", "/public/privacy-notice/versions"): PUBLIC,
    ("POST", "/v1/privacy-notice/versions"): PRIVACY, ("GET", "/v1/privacy-notice/draft"): PRIVACY_ADMIN,
    ("GET", "/v1/records-of-processing"): PRIVACY_ADMIN,
    ("GET", "/v1/breaches"): PRIVACY_ADMIN, ("POST", "/v1/breaches"): PRIVACY_ADMIN,
    ("GET", "/v1/breaches/{breach_id}"): PRIVACY_ADMIN, ("PATCH", "/v1/breaches/{breach_id}"): PRIVACY_ADMIN,
    ("POST", "/v1/breaches/{breach_id}/estimate"): PRIVACY_ADMIN,
}
SECRET = "jaettu-salaisuus-jota-ei-koskaan-naytetä-01"


def test_the_rules_are_the_reports():
    """services/api/authz.py holds these routes' rules as the report lists them."""
    assert {route: ROUTE_RULES[route] for route in RULES} == RULES


def test_partner_registry_never_shows_the_secret(api, role_tokens, engine):
    token = role_tokens["privacy"]
    partner = new_partner(api, token, delivery="https", endpoint_url="https://kumppani.example/in", secret=SECRET)
    assert partner["has_secret"] is True and "secret" not in partner and "secret_sealed" not in partner
    assert SECRET not in api.get(f"/v1/partners/{partner['id']}", headers=auth(token)).text
    duplicate = {k: partner[k] for k in ("name", "role", "agreement_reference", "agreement_signed_on", "purposes",
                                         "fields")}
    assert api.post("/v1/partners", json={**duplicate, "delivery": "download"},
                       headers=auth(token)).status_code == 409
    assert api.post("/v1/partners", json={**duplicate, "name": "X Oy", "delivery": "https",
                                             "endpoint_url": "http://kumppani.example/in", "secret": SECRET},
                       headers=auth(token)).status_code == 422  # plain http only to localhost
    read = api.get(f"/v1/partners/{partner['id']}", headers=auth(token))
    rotated = api.patch(f"/v1/partners/{partner['id']}", json={"secret": "u" * 40}, headers=auth(token))
    assert rotated.status_code == 428
    rotated = api.patch(f"/v1/partners/{partner['id']}", json={"secret": "u" * 40},
                           headers=auth(token, **{"If-Match": read.headers["ETag"]}))
    assert rotated.status_code == 200 and rotated.json()["version"] == 2
    assert api.get("/v1/partners", headers=auth(role_tokens["sales"])).status_code == 403
    with Session(engine) as s:
        sealed = s.get(Partner, partner["id"]).secret_sealed
        history = s.exec(select(ChangeRecord).where(ChangeRecord.entity == "partners",
                                                    ChangeRecord.entity_id == partner["id"])).all()
    assert sealed.startswith("a2:server:") and "u" * 40 not in sealed  # AES-GCM, the server key
    assert all(SECRET not in (h.new_value or "") and "uuuu" not in (h.new_value or "") for h in history)
    assert {h.field for h in history} >= {"secret", "name", "purposes"}


def test_a_download_transfer_from_request_to_disclosure(api, role_tokens, engine):
    token = role_tokens["privacy"]
    partner = new_partner(api, token)
    person = new_contact(api, role_tokens)
    response = api.post("/v1/transfers", json={"partner_id": partner["id"], "purpose": "billing",
                                                  "selection": {"company_ids": [person["company_id"]]}},
                           headers=auth(token))
    assert response.status_code == 202, response.text
    transfer = response.json()
    shown_once = transfer["download_url"]
    assert run_job(transfer["job_id"], run_transfer_job) == "succeeded"
    transfer = api.get(f"/v1/transfers/{transfer['id']}", headers=auth(token)).json()
    assert (transfer["status"], transfer["rows"]) == ("ready", 1) and transfer["download_url"] is None
    transfer["download_url"] = shown_once
    with Session(engine) as s:
        [mail] = s.exec(select(EmailMessage).where(EmailMessage.body_text.contains(transfer["id"]))).all()
        assert mail.to_address == partner["notify_email"] and "/public/transfers/" in mail.body_text
        assert s.exec(select(Disclosure).where(Disclosure.request_id == uuid.UUID(transfer["id"]))).all() == []
    link = "/" + transfer["download_url"].split("/", 3)[3]
    assert api.get(link.replace("sig=", "sig=0")).status_code == 404
    first, second = api.get(link), api.get(link)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Rekisteri-Content-SHA256"] == transfer["sha256"]
    [row] = list(csv.DictReader(io.StringIO(first.text)))
    assert set(row) == {"ref", "first_name", "last_name", "email"} and row["email"] == person["email"]
    with Session(engine) as s:
        rows = s.exec(select(Disclosure).where(Disclosure.request_id == uuid.UUID(transfer["id"]))).all()
        assert [(d.contact_id, d.purpose, d.recipient) for d in rows] == [(person["id"], "billing", partner["name"])]
    after = api.get(f"/v1/transfers/{transfer['id']}", headers=auth(token)).json()
    assert (after["status"], after["downloads"], after["download_url"]) == ("delivered", 2, None)
    expired = delivery.download_link(uuid.UUID(transfer["id"]), expires_at=utcnow() - timedelta(seconds=1))
    assert api.get("/" + expired.split("/", 3)[3]).status_code == 410


def test_a_waiting_file_with_someone_restricted_since_is_not_given_out(api, role_tokens, engine):
    token = role_tokens["privacy"]
    partner = new_partner(api, token)
    person = new_contact(api, role_tokens)
    transfer = api.post("/v1/transfers", json={"partner_id": partner["id"], "purpose": "marketing",
                                                  "selection": {"company_ids": [person["company_id"]]}},
                           headers=auth(token)).json()
    run_job(transfer["job_id"], run_transfer_job)
    link = transfer["download_url"]
    with Session(engine) as s:
        s.get(Contact, person["id"]).restricted_at = utcnow()
        s.commit()
    response = api.get("/" + link.split("/", 3)[3])
    assert response.status_code == 410 and "out of date" in response.json()["detail"]
    after = api.get(f"/v1/transfers/{transfer['id']}", headers=auth(token)).json()
    assert after["status"] == "expired" and "restricted" in after["reason"]
    with Session(engine) as s:
        assert s.exec(select(Disclosure).where(Disclosure.request_id == uuid.UUID(transfer["id"]))).all() == []


def test_a_refused_transfer_answers_409_with_the_reason(api, role_tokens):
    partner = new_partner(api, role_tokens["privacy"], purposes=["billing"])
    response = api.post("/v1/transfers", json={"partner_id": partner["id"], "purpose": "marketing"},
                           headers=auth(role_tokens["admin"], **{"X-Access-Reason": "ticket 77: partner set-up check"}))
    assert response.status_code == 409
    refused = response.json()
    assert refused["status"] == "refused" and "does not cover the purpose 'marketing'" in refused["reason"]
    assert api.get("/v1/transfers", headers=auth(role_tokens["admin"])).status_code == 403  # no reason given
    assert api.get("/v1/transfers", headers=auth(role_tokens["privacy"])).status_code == 200


def test_authority_disclosures_and_legal_holds(api, role_tokens, engine):
    token = role_tokens["privacy"]
    person = new_contact(api, role_tokens)
    body = {"contact_ids": [person["id"]], "authority": "Poliisi", "legal_ground": "Poliisilaki 872/2011 4:3",
            "purpose": "esitutkinta", "fields": ["name", "email"], "disclosed_at": utcnow().isoformat()}
    assert api.post("/v1/disclosures", json=body, headers=auth(token)).status_code == 201
    listed = api.get(f"/v1/disclosures?contact_id={person['id']}", headers=auth(token)).json()
    assert [(d["recipient"], d["recipient_kind"], d["legal_ground"]) for d in listed] == [
        ("Poliisi", "authority", "Poliisilaki 872/2011 4:3")]
    assert api.post("/v1/disclosures", json={**body, "contact_ids": [2_000_000_000]},
                       headers=auth(token)).status_code == 422
    hold = api.post("/v1/legal-holds", json={"contact_id": person["id"], "reason": "Riita-asia 2026/12"},
                       headers=auth(token))
    assert hold.status_code == 201 and hold.json()["active"] is True
    with Session(engine) as s:
        assert s.get(Contact, person["id"]).restricted_at is not None
    released = api.post(f"/v1/legal-holds/{hold.json()['id']}/release", headers=auth(token))
    assert released.json()["active"] is False
    assert api.post(f"/v1/legal-holds/{hold.json()['id']}/release", headers=auth(token)).status_code == 409
    with Session(engine) as s:
        assert s.get(Contact, person["id"]).restricted_at is None


def test_retention_endpoints(api, role_tokens):
    token = role_tokens["admin"]
    rules = api.get("/v1/retention/policy", headers=auth(token)).json()
    assert {r["rule"]: r["period"] for r in rules}["web_events"] == "14 months"
    planned = api.get("/v1/retention/plan", headers=auth(token)).json()
    assert set(planned["rules"]) == {r["rule"] for r in rules} and "@" not in str(planned)
    assert api.post("/v1/retention/runs", json={}, headers=auth(token)).status_code == 422
    first = api.post("/v1/retention/runs", json={"reason": "testi"}, headers=auth(token)).json()
    again = api.post("/v1/retention/runs", json={"reason": "testi"}, headers=auth(token)).json()
    assert first["id"] == again["id"] and first["kind"] == "retention.sweep" and first["queue"] == "bulk"
    assert api.get("/v1/retention/runs", headers=auth(token)).status_code == 200


def test_breaches_count_the_deadline_and_estimate_from_the_logs(api, role_tokens):
    token = role_tokens["privacy"]
    person = new_contact(api, role_tokens)
    since = utcnow() - timedelta(minutes=1)
    api.get(f"/v1/contacts/{person['id']}", headers=auth(role_tokens["sales"]))  # a read in the access log
    known = utcnow() - timedelta(hours=80)
    response = api.post("/v1/breaches", json={"summary": "Kadonnut kannettava", "description": "Myyjän kone",
                                                 "discovered_at": known.isoformat(), "categories": ["contact"]},
                           headers=auth(token))
    breach = response.json()
    assert response.status_code == 201 and breach["overdue"] is True
    assert breach["report_deadline"].startswith((known + timedelta(hours=72)).isoformat()[:16])
    sales_user = api.get("/v1/me", headers=auth(role_tokens["sales"])).json()["id"]
    estimated = api.post(f"/v1/breaches/{breach['id']}/estimate", headers=auth(token), json={
        "since": since.isoformat(), "until": utcnow().isoformat(), "user_id": sales_user}).json()
    assert estimated["computed"]["people"] >= 1 and estimated["computed"]["reads"] >= 1
    assert estimated["estimated_people"] == estimated["computed"]["people"]
    etag = api.get(f"/v1/breaches/{breach['id']}", headers=auth(token)).headers["ETag"]
    patched = api.patch(f"/v1/breaches/{breach['id']}", headers=auth(token, **{"If-Match": etag}), json={
        "authority_notified_at": utcnow().isoformat(), "delay_reason": "Havaittiin viikonloppuna"}).json()
    assert patched["overdue"] is False and patched["version"] == 3
