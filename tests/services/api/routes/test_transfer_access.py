"""Transfers are personal-data routes (issue 13, item 1): an admin needs a stated reason; making,
reading and downloading a transfer are in the access log of every person in it, with who and
why; the download link is shown once, to the one who asked for the transfer."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from support import auth
from shared.jobs.runner import run_job
from shared.models import AccessRecord
from shared.transfers.service import run_transfer_job
from partner_api import new_contact, new_partner  # noqa: F401

REASON = "ticket 4711: the billing partner's yearly check"


def _log(engine, transfer_id: str, contact_id: int) -> list[tuple]:
    with Session(engine) as s:
        rows = s.exec(select(AccessRecord).where(AccessRecord.request_id == transfer_id)
                      .order_by(AccessRecord.id)).all()
    return [(r.route, r.user_id, r.reason) for r in rows if contact_id in r.contact_ids]


def test_an_admin_transfer_needs_a_reason_and_leaves_a_trace_per_person(api, role_tokens, engine):  # noqa: F811
    admin, privacy = role_tokens["admin"], role_tokens["privacy"]
    admin_id = api.get("/v1/me", headers=auth(admin)).json()["id"]
    partner = new_partner(api, admin, fields=["first_name", "last_name", "email", "phone"])
    person = new_contact(api, role_tokens)
    body = {"partner_id": partner["id"], "purpose": "billing", "selection": {"company_ids": [person["company_id"]]}}
    assert api.post("/v1/transfers", json=body, headers=auth(admin)).status_code == 403
    assert api.get("/v1/transfers", headers=auth(admin)).status_code == 403
    with_reason = auth(admin, **{"X-Access-Reason": REASON})
    created = api.post("/v1/transfers", json=body, headers=with_reason)
    assert created.status_code == 202, created.text
    transfer = created.json()
    link = transfer["download_url"]
    assert link and "/public/transfers/" in link  # shown once, now
    assert run_job(transfer["job_id"], run_transfer_job) == "succeeded"

    for reader in (with_reason, auth(privacy)):
        shown = api.get(f"/v1/transfers/{transfer['id']}", headers=reader).json()
        assert shown["status"] == "ready" and shown["download_url"] is None
        assert all(t["download_url"] is None for t in api.get("/v1/transfers", headers=reader).json())
    assert api.get(f"/v1/transfers/{transfer['id']}", headers=auth(admin)).status_code == 403

    assert api.get("/" + link.split("/", 3)[3]).status_code == 200
    assert api.get("/" + link.split("/", 3)[3]).status_code == 200
    privacy_id = api.get("/v1/me", headers=auth(privacy)).json()["id"]
    log = _log(engine, transfer["id"], person["id"])
    routes = [route for route, _, _ in log]
    assert routes == ["POST /v1/transfers", "GET /v1/transfers/{transfer_id}", "GET /v1/transfers/{transfer_id}",
                      "GET /public/transfers/{transfer_id}/file", "GET /public/transfers/{transfer_id}/file"]
    made, admin_read, privacy_read, download, _ = log
    assert made[1] == admin_id and REASON in made[2] and partner["name"] in made[2]
    assert admin_read[1] == admin_id and REASON in admin_read[2]
    assert privacy_read[1] == privacy_id and "billing" in privacy_read[2]
    assert download[1] is None and "downloaded by the partner" in download[2]
    # The person's own access log (what the privacy officer and an access request see) has them all.
    shown = api.get(f"/v1/contacts/{person['id']}/access-log", headers=auth(privacy))
    assert shown.status_code == 200
    assert {"POST /v1/transfers", "GET /public/transfers/{transfer_id}/file"} <= {r["route"] for r in shown.json()}


def test_a_stranger_reading_someone_elses_transfer_gets_no_link(api, role_tokens):  # noqa: F811
    """Even the privacy officer who did not create it: the link is the partner's credential."""
    partner = new_partner(api, role_tokens["privacy"])
    person = new_contact(api, role_tokens)
    created = api.post("/v1/transfers", headers=auth(role_tokens["privacy"]), json={
        "partner_id": partner["id"], "purpose": "billing", "selection": {"company_ids": [person["company_id"]]}})
    run_job(created.json()["job_id"], run_transfer_job)
    again = api.get(f"/v1/transfers/{created.json()['id']}", headers=auth(role_tokens["privacy"])).json()
    assert again["download_url"] is None and str(uuid.UUID(again["id"])) == created.json()["id"]
