"""The notifier against a real SMTP server (aiosmtpd) and the real outbox table."""

from __future__ import annotations



from shared.db import session_scope
from shared.embedded.ports import free_port
from shared.models import EmailCategory, EmailMessage, EmailStatus
from shared.outbox.service import enqueue_email
from support import wait_until
from notifier_harness import RunningNotifier, empty_outbox, notifier_settings, smtp  # noqa: F401


def _queue(n: int, **kwargs) -> list:
    with session_scope() as s:
        return [
            enqueue_email(s, to_address=f"person{i}@example.com", from_address="Jetmasters <noreply@jetmasters.example>",
                          subject=f"Subject {i}", body_text=f"Body {i}", **kwargs).id
            for i in range(n)
        ]


def _statuses(ids) -> list[EmailMessage]:
    with session_scope() as s:
        return [s.get(EmailMessage, i) for i in ids]


def test_sends_everything_over_reused_connections(services_env, empty_outbox, smtp):
    handler, port = smtp
    ids = _queue(30)
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: all(m.status == EmailStatus.sent for m in _statuses(ids)), message="all sent")
    finally:
        notifier.stop()
    assert len(handler.accepted) == 30
    assert handler.connections <= 3, "connections are reused, at most `concurrency` of them"
    message_ids = {m.message_id for m in _statuses(ids)}
    assert all(any(mid.encode() in data for data in handler.accepted) for mid in message_ids)


def test_temporary_failure_is_retried_with_the_same_message_id(services_env, empty_outbox, smtp):
    handler, port = smtp
    handler.replies = ["451 4.3.0 try again later", "421 4.4.2 busy"]
    [email_id] = _queue(1)
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: _statuses([email_id])[0].status == EmailStatus.sent, message="sent after retries")
    finally:
        notifier.stop()
    [row] = _statuses([email_id])
    assert row.attempts == 3
    assert len(handler.accepted) == 1 and row.message_id.encode() in handler.accepted[0]


def test_permanent_failure_is_not_retried(services_env, empty_outbox, smtp):
    handler, port = smtp
    handler.replies = ["554 5.7.1 rejected"]
    [email_id] = _queue(1)
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: _statuses([email_id])[0].status == EmailStatus.failed, message="failed")
    finally:
        notifier.stop()
    [row] = _statuses([email_id])
    assert row.attempts == 1 and "554" in row.last_error and handler.accepted == []
    from shared.common.suppression import is_suppressed

    with session_scope() as s:
        assert is_suppressed(s, email=row.to_address), "a bounced address is suppressed"


def test_unreachable_server_keeps_messages_pending(services_env, empty_outbox):
    [email_id] = _queue(1)
    notifier = RunningNotifier(notifier_settings(free_port(), notifier_backoff_seconds=30))
    try:
        wait_until(lambda: _statuses([email_id])[0].attempts >= 1, message="an attempt")
    finally:
        notifier.stop()
    [row] = _statuses([email_id])
    assert row.status == EmailStatus.pending and row.last_error.startswith("connection")


def test_bulk_mail_that_cannot_be_checked_is_skipped_before_sending(services_env, empty_outbox, smtp):
    handler, port = smtp
    [marketing] = _queue(1, category=EmailCategory.marketing)
    [transactional] = _queue(1)
    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: _statuses([transactional])[0].status == EmailStatus.sent, message="sent")
        wait_until(lambda: _statuses([marketing])[0].status == EmailStatus.skipped, message="skipped")
    finally:
        notifier.stop()
    assert _statuses([marketing])[0].skip_reason == "no_contact"
    assert len(handler.accepted) == 1
