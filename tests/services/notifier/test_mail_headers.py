"""Fields that become mail headers refuse control characters (issue 13, item 4): a line break in
a sender name used to be accepted, then preview and test-send answered 500 and the audience
build retried forever. Now: 422 on create and update; a stored row that is still bad (saved
before the check) stops its job at once, saying why, and preview and test-send answer 409."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import Session

from support import auth
from shared.models import Job, JobStatus
from shared.models.campaigns import Campaign
from campaign_setup import TEMPLATES, campaign_body, create_campaign, make_audience, run_build  # noqa: F401

BAD = ["Evil\nBcc: x@evil.example", "Evil\r\nBcc: x@evil.example", "Tab\there", "Null\x00", "Esc\x1b[0m",
       "Line\u2028separator"]


@pytest.mark.parametrize("value", BAD)
def test_a_header_field_with_a_control_character_is_refused(api, role_tokens, value):
    token = auth(role_tokens["marketing"])
    list_id, _ = make_audience(1)
    for field, body in (
            ("sender_name", campaign_body([list_id], sender_name=value)),
            ("sender_email", campaign_body([list_id], sender_email=f"a@b.fi{value}")),
            ("reply_to", campaign_body([list_id], reply_to=f"{value}@b.fi")),
            ("subject", campaign_body([list_id], templates={"fi": {**TEMPLATES["fi"], "subject": value}}))):
        response = api.post("/v1/campaigns", json=body, headers=token)
        assert response.status_code == 422, (field, response.text)
        assert any(field in e["loc"] for e in response.json()["detail"]), (field, response.json())
    campaign = create_campaign(api, role_tokens["marketing"], [list_id])
    etag = api.get(f"/v1/campaigns/{campaign['id']}", headers=token).headers["ETag"]
    changed = api.patch(f"/v1/campaigns/{campaign['id']}", json={"sender_name": value},
                        headers={**token, "If-Match": etag})
    assert changed.status_code == 422 and changed.json()["detail"][0]["loc"] == ["body", "sender_name"]


def test_a_stored_bad_header_stops_the_job_at_once_and_says_why(api, role_tokens, engine):
    token = auth(role_tokens["marketing"])
    list_id, _ = make_audience(2)
    campaign = create_campaign(api, role_tokens["marketing"], [list_id])
    with Session(engine) as s:  # as if saved before the check existed
        s.execute(update(Campaign).where(Campaign.id == campaign["id"]).values(sender_name=BAD[0]))
        s.commit()
    assert api.get(f"/v1/campaigns/{campaign['id']}/preview", headers=token).status_code == 409
    sent = api.post(f"/v1/campaigns/{campaign['id']}/test-send", json={"to": "testi@jetmasters.example"},
                    headers=token)
    assert sent.status_code == 409 and "sender_name" in sent.json()["detail"]
    started = api.post(f"/v1/campaigns/{campaign['id']}/start", headers={
        **token, "If-Match": api.get(f"/v1/campaigns/{campaign['id']}", headers=token).headers["ETag"]})
    assert started.status_code == 200, started.text
    assert run_build(started.json()) == "failed"
    with Session(engine) as s:
        job = s.get(Job, started.json()["build_job_id"])
    assert (job.status, job.attempts) == (JobStatus.failed, 1)
    assert "not retried" in job.error and "sender_name" in job.error and "evil.example" not in job.error
