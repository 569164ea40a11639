"""Reused SMTP connections with bounded concurrency (aiosmtplib has no pool of its own)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiosmtplib

from shared.settings import Settings


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    permanent: bool = False
    unknown: bool = False  # the server may have the message although we saw an error
    error: str | None = None


def classify(exc: BaseException) -> SendOutcome:
    """4xx and connection trouble are temporary; 5xx are permanent. A timeout or a dropped
    connection after DATA leaves it unknown whether the server kept the message."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [err.code for err in exc.recipients]
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        return SendOutcome(False, permanent=permanent, error=f"recipient refused {codes}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return SendOutcome(False, permanent=500 <= exc.code < 600, error=f"{exc.code} {exc.message}"[:500])
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError):
        return SendOutcome(False, unknown=True, error="timeout")
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected | ConnectionError | OSError):
        return SendOutcome(False, unknown=True, error=f"connection: {type(exc).__name__}")
    return SendOutcome(False, error=f"{type(exc).__name__}: {exc}"[:500])


class SmtpPool:
    """Up to `size` open connections, each used by one send at a time and reused after."""

    def __init__(self, settings: Settings, *, host: str, port: int, size: int):
        self.settings, self.host, self.port = settings, host, port
        self._idle: asyncio.Queue[aiosmtplib.SMTP] = asyncio.Queue()
        self._slots = asyncio.Semaphore(size)

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=s.smtp_timeout,
            use_tls=s.smtp_tls, start_tls=s.smtp_starttls if s.smtp_starttls else False,
        )
        await client.connect()
        if s.smtp_username and s.smtp_password:
            await client.login(s.smtp_username, s.smtp_password.get_secret_value())
        return client

    async def send(self, *, sender: str, recipient: str, data: bytes) -> SendOutcome:
        async with self._slots:
            client = None
            try:
                client = self._idle.get_nowait() if not self._idle.empty() else await self._connect()
                if not client.is_connected:
                    client = await self._connect()
                await client.sendmail(sender, [recipient], data)
            except BaseException as exc:
                if client is not None:
                    client.close()
                if isinstance(exc, asyncio.CancelledError):
                    raise
                return classify(exc)
            self._idle.put_nowait(client)
            return SendOutcome(True)

    async def close(self) -> None:
        while not self._idle.empty():
            client = self._idle.get_nowait()
            try:
                await client.quit()
            except Exception:
                client.close()
