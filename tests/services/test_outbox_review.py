"""The per-recipient log (who received campaign X, when, with what SMTP answer), through a real
notifier, a real SMTP server and the API."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import auth
from shared.campaigns.service import get_campaign, recipient_log
from shared.db import session_scope
from shared.models import EmailStatus
from shared.outbox.outcomes import attempt_log
from support import wait_until
from test_notifier import RunningNotifier, notifier_settings
from test_notifier_race import bulk_audience, empty_outbox, outbox_rows, smtp_server, start_campaign, unfinished  # noqa: F401


def test_every_attempt_answer_is_logged_per_recipient(api, role_tokens, empty_outbox, smtp_server):  # noqa: F811
    handler, port = smtp_server
    list_id, people = bulk_audience(3)
    refused = people[0][1]
    handler.refuse = {refused}
    campaign_id = start_campaign(list_id)
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: unfinished(campaign_id) == 0, timeout=20, message="the campaign")
    finally:
        notifier.stop()
    with session_scope() as s:
        entries = recipient_log(s, campaign=get_campaign(s, campaign_id=campaign_id))
        by_address = {m.to_address: m for m in outbox_rows(campaign_id)}
        log = {a: attempt_log(s, email_id=m.id) for a, m in by_address.items()}
    assert sorted(e["smtp_reply"] for e in entries) == ["250 2.0.0 Ok: queued"] * 2 + ["550 5.1.1 no such user"]
    assert [a["outcome"] for a in log[refused]] == ["bounced"] and by_address[refused].status == EmailStatus.failed
    for address in {a for _, a in people} - {refused}:
        [attempt] = log[address]
        assert attempt["outcome"] == "sent" and attempt["smtp_reply"].startswith("250")
        assert attempt["smtp_server"] == f"127.0.0.1:{port}" and attempt["started_at"] <= attempt["finished_at"]
    assert datetime.now(UTC) > by_address[people[1][1]].sent_at

    # the same answers through the API, per contact, for marketing and the privacy officer
    contact_of = {address: contact_id for contact_id, address in people}
    for role in ("marketing", "privacy"):
        response = api.get(f"/v1/campaigns/{campaign_id}/recipients", headers=auth(role_tokens[role]))
        assert response.status_code == 200, response.text
        answers = {row["contact_id"]: (row["status"], row["smtp_reply"], row["sent_at"]) for row in response.json()}
        assert answers[contact_of[refused]][:2] == ("failed", "550 5.1.1 no such user")
        for address in {a for _, a in people} - {refused}:
            status, reply, sent_at = answers[contact_of[address]]
            assert status == "sent" and reply == "250 2.0.0 Ok: queued" and sent_at is not None
