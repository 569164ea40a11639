"""A local SMTP server (aiosmtpd) that keeps every message it receives as an `.eml` file."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


@dataclass
class CaughtMessage:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    path: Path | None

    def parsed(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class CatchingHandler:
    mail_dir: Path | None
    messages: list[CaughtMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        data = envelope.original_content or envelope.content
        path = None
        if self.mail_dir is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = self.mail_dir / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.rename(path)  # readers never see half a file
        with self._lock:
            self.messages.append(
                CaughtMessage(envelope.mail_from, list(envelope.rcpt_tos), data, path)
            )
        return "250 Message accepted for delivery"


class MailCatcher:
    """Start with `start()`, stop with `stop()`; `messages` holds what arrived, in order."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 1025, mail_dir: Path | None = None):
        if mail_dir is not None:
            mail_dir.mkdir(parents=True, exist_ok=True)
        self.handler = CatchingHandler(mail_dir)
        self.host, self.port = host, port
        self._controller = Controller(self.handler, hostname=host, port=port)

    @property
    def messages(self) -> list[CaughtMessage]:
        with self.handler._lock:
            return list(self.handler.messages)

    def start(self) -> MailCatcher:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
