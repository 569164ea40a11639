"""The per-recipient log (who received campaign X, when, with what SMTP answer), and the review of
messages whose outcome is unknown (the server may have them: never resent until a person
decides), through a real notifier, a real SMTP server (aiosmtpd) and the API."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from support import auth
from shared.campaigns.service import get_campaign, recipient_log
from shared.campaigns.unsubscribe import Choice, sign_token, unsubscribe
from shared.db import session_scope
from shared.models import AccessRecord, ChangeRecord, EmailStatus
from shared.models.campaigns import CampaignRecipient
from shared.outbox.outcomes import attempt_log
from support import wait_until
from notifier_harness import RunningNotifier, notifier_settings  # noqa: F401
from notifier_harness import Recorder, bulk_audience, empty_outbox, outbox_rows, smtp_server, start_campaign, unfinished  # noqa: F401


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


class DroppingRecorder(Recorder):
    """Closes the connection, without an answer, when the content of a message to one of `drop`
    has arrived: the server may have kept it, the sender cannot know."""

    def __init__(self, drop: set[str]):
        super().__init__()
        self.drop = drop
        self.dropped: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if envelope.rcpt_tos[0] in self.drop:
            self.dropped.append(envelope.rcpt_tos[0])
            server.transport.close()
            return None
        return await super().handle_DATA(server, session, envelope)


def send_campaign(port: int, campaign_id: int) -> None:
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: unfinished(campaign_id) == 0, timeout=30, message="the campaign settled")
    finally:
        notifier.stop()


def test_unknown_outcomes_are_never_resent_until_staff_resolve_them(api, role_tokens, empty_outbox):  # noqa: F811
    from aiosmtpd.controller import Controller

    from shared.embedded.ports import free_port

    list_id, people = bulk_audience(6)
    (_, a), (_, b), (c_id, c), (_, d) = people[:4]
    handler, port = DroppingRecorder({a, b, c, d}), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        campaign_id = start_campaign(list_id)
        send_campaign(port, campaign_id)
        rows = {m.to_address: m for m in outbox_rows(campaign_id)}
        assert sorted(handler.dropped) == sorted([a, b, c, d]) and len(handler.accepted) == 2
        assert all(rows[x].status == EmailStatus.failed and rows[x].outcome_unknown for x in (a, b, c, d))
        marketing, privacy = auth(role_tokens["marketing"]), auth(role_tokens["privacy"])

        listed = api.get(f"/v1/campaigns/{campaign_id}/unknown-outcomes", headers=marketing)
        assert listed.status_code == 200, listed.text
        assert sorted(r["to_address"] for r in listed.json()) == sorted([a, b, c, d])
        first = next(r for r in listed.json() if r["to_address"] == a)
        assert first["message_id"] == rows[a].message_id and first["handed_over_at"] is not None
        assert [x["outcome"] for x in first["attempt_log"]] == ["unknown"]
        everywhere = api.get(f"/v1/unknown-outcomes?campaign_id={campaign_id}&limit=3", headers=privacy).json()
        rest = api.get(f"/v1/unknown-outcomes?campaign_id={campaign_id}&after={everywhere[-1]['email_id']}",
                       headers=privacy).json()
        assert len(everywhere) == 3 and {r["to_address"] for r in everywhere + rest} == {a, b, c, d}
        assert api.get("/v1/unknown-outcomes", headers=auth(role_tokens["sales"])).status_code == 403
        assert api.get("/v1/unknown-outcomes", headers=auth(role_tokens["admin"])).status_code == 403
        with session_scope() as s:
            logged = s.exec(select(AccessRecord).where(AccessRecord.route == "GET /v1/unknown-outcomes")).all()
        assert any(set(r.contact_ids) >= {c_id} for r in logged)

        url = "/v1/unknown-outcomes/{}/resolve"
        bad = api.post(url.format(rows[a].id), json={"decision": "requeue", "reason": "lyhyt"}, headers=marketing)
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "reason"]
        assert "lyhyt" not in bad.text
        assert api.post(url.format(rows[a].id), json={"decision": "resend", "reason": "x" * 20},
                        headers=marketing).status_code == 422
        delivered = api.post(url.format(rows[a].id), headers=marketing,
                             json={"decision": "delivered", "reason": "relay log: 250 queued as 4F2A91"})
        assert delivered.status_code == 200 and delivered.json()["status"] == "sent"
        again = api.post(url.format(rows[a].id), json={"decision": "requeue", "reason": "x" * 20}, headers=privacy)
        assert again.status_code == 409, "a decision is made once"
        for address in (b, c):
            requeued = api.post(url.format(rows[address].id), headers=privacy,
                                json={"decision": "requeue", "reason": "not in the relay log for that minute"})
            assert requeued.status_code == 200 and requeued.json()["status"] == "pending"
        with session_scope() as s:  # c objects before the requeued message goes again
            unsubscribe(s, token=sign_token(campaign_id=campaign_id, contact_id=c_id, list_id=list_id),
                        choice=Choice.one_click)
        handler.drop = set()
        send_campaign(port, campaign_id)
    finally:
        controller.stop()

    received = handler.received()
    rows = {m.to_address: m for m in outbox_rows(campaign_id)}
    assert a not in received and rows[a].status == EmailStatus.sent and rows[a].sent_at == rows[a].handed_over_at
    assert len(received[b]) == 1 and rows[b].status == EmailStatus.sent and not rows[b].outcome_unknown
    assert c not in received and rows[c].status == EmailStatus.skipped
    assert rows[c].skip_reason == "objected_direct_marketing"
    assert rows[d].status == EmailStatus.failed and rows[d].outcome_unknown and d not in received, "never resent by itself"
    assert api.post(f"/v1/campaigns/{campaign_id}/cancel", headers=marketing).json()["status"] == "cancelled"
    refused = api.post(url.format(rows[d].id), json={"decision": "requeue", "reason": "x" * 20}, headers=marketing)
    assert refused.status_code == 409
    assert api.get(f"/v1/campaigns/{campaign_id}/stats", headers=marketing).json()["outcome_unknown"] == 1
    assert api.post(url.format(rows[d].id), json={"decision": "delivered", "reason": "relay log: queued as 77AB"},
                    headers=marketing).status_code == 200
    assert api.get(f"/v1/campaigns/{campaign_id}/unknown-outcomes", headers=marketing).json() == []
    with session_scope() as s:
        recipient_ids = {r.email_id: r.id for r in s.exec(select(CampaignRecipient)
                                                           .where(CampaignRecipient.campaign_id == campaign_id))}
        history = s.exec(select(ChangeRecord).where(ChangeRecord.entity == "campaign_recipients",
                                                    ChangeRecord.action == "review")).all()
    decisions = {(h.entity_id, h.new_value, h.reason) for h in history}
    assert (recipient_ids[rows[a].id], "delivered", "relay log: 250 queued as 4F2A91") in decisions
    assert (recipient_ids[rows[b].id], "requeued", "not in the relay log for that minute") in decisions
    assert {h.contact_id for h in history} >= {c_id}
