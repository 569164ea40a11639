"""Campaigns through the API on real PostgreSQL (and Redis for the job wake-up): create with
validation, roles, preview, test send, schedule, start, pause, resume, cancel, statistics and the
recipient log. The build job runs in-process through the real job runner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from support import auth
from services.api.authz import staff
from shared.outbox.service import FAR_FUTURE
from shared.db import session_scope
from shared.models import (
    AccessRecord,
    EmailMessage,
    EmailStatus,
    Job,
    JobStatus,
    Role,
    utcnow,
)
from campaign_setup import campaign_body, campaign_messages, create_campaign, make_audience, run_build  # noqa: F401

MARKETING = staff(Role.marketing)
READ = staff(Role.marketing, Role.privacy)
PERSONAL = staff(Role.marketing, personal_data=True)
LOG = staff(Role.marketing, Role.privacy, personal_data=True)


def test_only_marketing_staff_run_campaigns(api, role_tokens):
    list_id, _ = make_audience(1)
    body = campaign_body([list_id])
    for role in ("sales", "privacy"):
        assert api.post("/v1/campaigns", json=body, headers=auth(role_tokens[role])).status_code == 403
    created = create_campaign(api, role_tokens["marketing"], [list_id])
    assert created["status"] == "draft" and created["fallback_language"] == "fi"
    assert api.get(f"/v1/campaigns/{created['id']}", headers=auth(role_tokens["privacy"])).status_code == 200
    assert api.post(f"/v1/campaigns/{created['id']}/start", headers=auth(role_tokens["privacy"])).status_code == 403
    assert api.get(f"/v1/campaigns/{created['id']}/preview", headers=auth(role_tokens["admin"])).status_code == 403


@pytest.mark.parametrize("change, field", [
    ({"category": "transactional"}, "category"),
    ({"templates": {"fi": {"subject": "Hei {etunimi}", "body_text": "x"}}}, "templates"),
    ({"fallback_language": "sv"}, "body"),
    ({"relevant_to_role": True}, "body"),
    ({"list_ids": []}, "list_ids"),
    ({"sender_email": "ei-osoite"}, "sender_email"),
    ({"unknown": 1}, "unknown"),
])
def test_bad_campaigns_are_refused_with_the_field(api, role_tokens, change, field):
    response = api.post("/v1/campaigns", json=campaign_body([1]) | change, headers=auth(role_tokens["marketing"]))
    assert response.status_code == 422, response.text
    assert any(field in error["loc"] for error in response.json()["detail"])


def test_a_list_that_does_not_exist_is_named(api, role_tokens):
    response = api.post("/v1/campaigns", json=campaign_body([2_000_000_000]), headers=auth(role_tokens["marketing"]))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "list_ids"]


def test_preview_for_a_contact_is_logged_and_test_send_goes_to_staff(api, role_tokens):
    token = role_tokens["marketing"]
    list_id, [contact_id] = make_audience(1, language="en")
    campaign = create_campaign(api, token, [list_id], relevant_to_role=True,
                               relevance_justification="Uutiset koskevat hankintapäälliköiden työtä suoraan")
    assert campaign["relevance_recorded_by"] is not None and campaign["relevance_recorded_at"]
    url = f"/v1/campaigns/{campaign['id']}"
    preview = api.get(f"{url}/preview?contact_id={contact_id}", headers=auth(token)).json()
    assert preview["language"] == "en" and preview["subject"] == "Hello Henkilö0"
    assert preview["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/public/unsubscribe/{campaign['id']}.0.0." in preview["headers"]["List-Unsubscribe"]  # staff cannot opt out for them
    with session_scope() as s:
        logged = s.exec(select(AccessRecord).where(AccessRecord.contact_ids.contains([contact_id]))).all()
    assert any(r.route.endswith("/preview") for r in logged)
    sample = api.get(f"{url}/preview?language=sv", headers=auth(token)).json()
    assert sample["language"] == "fi" and "Maija" in sample["subject"]
    sent = api.post(f"{url}/test-send", json={"to": "Anna.Staff@Jetmasters.example"}, headers=auth(token))
    assert sent.status_code == 202, sent.text
    with session_scope() as s:
        message = s.get(EmailMessage, sent.json()["email_id"])
        assert message.to_address == "anna.staff@jetmasters.example" and message.category == "transactional"
        assert message.subject.startswith("[TEST") and message.contact_id is None
        link = message.headers["List-Unsubscribe"][1:-1]
    assert "/public/unsubscribe/" + str(campaign["id"]) + ".0.0." in link


def test_lifecycle_start_pause_resume_cancel(api, role_tokens):
    token = role_tokens["marketing"]
    list_id, contacts = make_audience(3)
    campaign = create_campaign(api, token, [list_id])
    url = f"/v1/campaigns/{campaign['id']}"
    assert api.post(f"{url}/pause", headers=auth(token)).status_code == 409
    started = api.post(f"{url}/start", headers=auth(token))
    assert started.status_code == 200 and started.json()["status"] == "sending"
    assert run_build(started.json()) == "succeeded" and run_build(started.json()) == "skipped"
    assert sorted(m.contact_id for m in campaign_messages(campaign["id"])) == sorted(contacts)
    assert api.post(f"{url}/pause", headers=auth(token)).json()["status"] == "paused"
    assert all(m.next_attempt_at >= FAR_FUTURE for m in campaign_messages(campaign["id"]))
    assert api.post(f"{url}/resume", headers=auth(token)).json()["status"] == "sending"
    assert all(m.next_attempt_at <= utcnow() for m in campaign_messages(campaign["id"]))
    stats = api.get(f"{url}/stats", headers=auth(token)).json()
    assert stats["audience"] == 3 and stats["pending"] == 3 and stats["status"] == "sending"
    cancelled = api.post(f"{url}/cancel", headers=auth(token))
    assert cancelled.json()["status"] == "cancelled"
    assert {m.status for m in campaign_messages(campaign["id"])} == {EmailStatus.cancelled}
    assert api.get(f"{url}/stats", headers=auth(token)).json()["cancelled"] == 3
    assert api.post(f"{url}/start", headers=auth(token)).status_code == 409
    late_change = api.patch(url, json={"name": "x"}, headers=auth(token, **{"If-Match": cancelled.headers["etag"]}))
    assert late_change.status_code == 409


def test_schedule_waits_for_its_time_and_start_sends_at_once(api, role_tokens):
    token = role_tokens["marketing"]
    list_id, _ = make_audience(2)
    campaign = create_campaign(api, token, [list_id])
    url = f"/v1/campaigns/{campaign['id']}"
    send_at = (utcnow() + timedelta(days=2)).isoformat()
    scheduled = api.post(f"{url}/schedule", json={"send_at": send_at}, headers=auth(token)).json()
    assert scheduled["status"] == "scheduled" and run_build(scheduled) == "skipped"  # not due yet
    assert campaign_messages(campaign["id"]) == []
    changed = api.patch(url, json={"name": "Uusi nimi"}, headers=auth(token, **{"If-Match": f'"{campaign["id"]}.2"'}))
    assert changed.status_code == 200, changed.text
    assert api.post(f"{url}/schedule", json={"send_at": "2000-01-01T00:00:00Z"}, headers=auth(token)).status_code == 422
    started = api.post(f"{url}/start", headers=auth(token)).json()
    assert started["status"] == "sending" and started["build_job_id"] != scheduled["build_job_id"]
    with session_scope() as s:
        assert s.get(Job, scheduled["build_job_id"]).status == JobStatus.cancelled
    assert run_build(started) == "succeeded" and len(campaign_messages(campaign["id"])) == 2


def test_statistics_and_the_recipient_log(api, role_tokens):
    token = role_tokens["marketing"]
    list_id, contacts = make_audience(5)
    campaign = create_campaign(api, token, [list_id])
    url = f"/v1/campaigns/{campaign['id']}"
    run_build(api.post(f"{url}/start", headers=auth(token)).json())
    outcomes = [dict(status=EmailStatus.sent, sent_at=utcnow()), dict(status=EmailStatus.sent, sent_at=utcnow()),
                dict(status=EmailStatus.skipped, skip_reason="objected_direct_marketing"),
                dict(status=EmailStatus.failed, last_error="550 5.1.1 no such user"),
                dict(status=EmailStatus.failed, last_error="timeout", outcome_unknown=True)]
    with session_scope() as s:
        for message, values in zip(sorted(campaign_messages(campaign["id"]), key=lambda m: m.contact_id), outcomes):
            s.exec(update(EmailMessage).where(EmailMessage.id == message.id).values(**values))
    stats = api.get(f"{url}/stats", headers=auth(role_tokens["privacy"])).json()
    assert stats == {"campaign_id": campaign["id"], "status": "completed", "audience": 5, "pending": 0,
                     "eligible": 4, "sent": 2, "failed": 2, "bounced": 1, "outcome_unknown": 1, "cancelled": 0,
                     "skipped": {"objected_direct_marketing": 1}}
    log = api.get(f"{url}/recipients?limit=3", headers=auth(token)).json()
    assert [r["contact_id"] for r in log] == sorted(contacts)[:3] and log[0]["status"] == "sent"
    rest = api.get(f"{url}/recipients?after_contact_id={log[-1]['contact_id']}", headers=auth(token)).json()
    assert [r["last_error"] for r in rest] == ["550 5.1.1 no such user", "timeout"]


def test_a_scheduled_campaign_starts_itself_when_its_time_comes(api, role_tokens):
    token = role_tokens["marketing"]
    list_id, contacts = make_audience(2)
    campaign = create_campaign(api, token, [list_id])
    send_at = (utcnow() + timedelta(hours=1)).isoformat()
    scheduled = api.post(f"/v1/campaigns/{campaign['id']}/schedule", json={"send_at": send_at}, headers=auth(token))
    with session_scope() as s:  # an hour passes
        s.exec(update(Job).where(Job.id == scheduled.json()["build_job_id"]).values(not_before=utcnow()))
    assert run_build(scheduled.json()) == "succeeded"
    read = api.get(f"/v1/campaigns/{campaign['id']}", headers=auth(token)).json()
    assert read["status"] == "sending" and read["started_at"] and read["audience_built_at"]
    assert sorted(m.contact_id for m in campaign_messages(campaign["id"])) == sorted(contacts)
