"""The notifier against a real SMTP server (aiosmtpd) and the real outbox table."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, delete

from services.notifier.main import run
from shared.db import session_scope
from shared.embedded.ports import free_port
from shared.models import EmailCategory, EmailMessage, EmailStatus
from shared.outbox.service import enqueue_email
from shared.settings import Settings, get_settings
from support import wait_until


class ScriptedHandler:
    """Answers DATA from a script of SMTP replies, then accepts; counts connections."""

    def __init__(self, replies: list[str] | None = None):
        self.replies = list(replies or [])
        self.accepted: list[bytes] = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.replies:
            return self.replies.pop(0)
        self.accepted.append(envelope.original_content or envelope.content)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[ScriptedHandler, int]]:
    handler, port = ScriptedHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def clean_outbox(engine):
    with Session(engine) as s:
        s.exec(delete(EmailMessage))
        s.commit()


class RunningNotifier:
    def __init__(self, settings: Settings):
        self.loop = asyncio.new_event_loop()
        self.stop_event: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._main, args=(settings,), daemon=True)
        self.thread.start()

    def _main(self, settings: Settings) -> None:
        asyncio.set_event_loop(self.loop)

        async def go():
            self.stop_event = asyncio.Event()
            await run(settings, self.stop_event)

        self.loop.run_until_complete(go())

    def stop(self) -> None:
        wait_until(lambda: self.stop_event is not None)
        self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(10)


def notifier_settings(port: int, **overrides) -> Settings:
    base = get_settings().model_dump()
    base.update(smtp_host="127.0.0.1", smtp_port=port, notifier_poll_seconds=0.05,
                notifier_backoff_seconds=0.05, notifier_concurrency=3)
    base.update(overrides)
    return Settings(_env_file=None, **base)


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


def test_sends_everything_over_reused_connections(services_env, clean_outbox, smtp):
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


def test_temporary_failure_is_retried_with_the_same_message_id(services_env, clean_outbox, smtp):
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


def test_permanent_failure_is_not_retried(services_env, clean_outbox, smtp):
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


def test_unreachable_server_keeps_messages_pending(services_env, clean_outbox):
    [email_id] = _queue(1)
    notifier = RunningNotifier(notifier_settings(free_port(), notifier_backoff_seconds=30))
    try:
        wait_until(lambda: _statuses([email_id])[0].attempts >= 1, message="an attempt")
    finally:
        notifier.stop()
    [row] = _statuses([email_id])
    assert row.status == EmailStatus.pending and row.last_error.startswith("connection")


def test_bulk_mail_that_cannot_be_checked_is_skipped_before_sending(services_env, clean_outbox, smtp):
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
