"""One SMTP connection per sender task, reused message after message (aiosmtplib has no pool of
its own), and one mail transaction at a time on it, step by step so that the notifier knows
where it failed:

- connect/EHLO: nothing of this message reached a server (`reached` False);
- MAIL FROM: the transaction starts; `after_mail` is told (the batch lock waits for it) and may
  still stop it before RCPT;
- RCPT TO: a 5xx is permanent (the address bounces), a 4xx temporary;
- hand-over: `handover()` must durably note the message before its content goes (DATA); if it
  cannot, the transaction is reset and the message is not sent now;
- DATA: 250 is sent; a 4xx/5xx answer is temporary/permanent; a timeout or a broken connection
  leaves it unknown whether the server kept the message (`unknown`, never resent blindly).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosmtplib

from shared.models.outbox import AttemptOutcome


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    permanent: bool = False
    unknown: bool = False  # the server may have the message although we saw an error
    error: str | None = None
    reply: str | None = None  # the server's answer to this attempt ("250 …", "451 …")
    reached: bool = True  # a server answered about this message
    released: bool = False  # stopped before its content went: not an attempt, send again later
    connect_failed: bool = False  # no connection to the server at all (the circuit breaker's signal)
    delay: float | None = 0.0  # a released message is due again after this many seconds (None: held)

    @property
    def outcome(self) -> AttemptOutcome:
        if self.ok:
            return AttemptOutcome.sent
        if self.unknown:
            return AttemptOutcome.unknown
        if not self.reached:
            return AttemptOutcome.not_reached
        return AttemptOutcome.bounced if self.permanent else AttemptOutcome.deferred


RELEASED = SendOutcome(False, released=True, reached=False, error="not started")


def _reply(code: int, message: str) -> str:
    return f"{code} {message}"[:500]


def classify(exc: BaseException, *, after_data: bool = False) -> SendOutcome:
    """4xx and connection trouble are temporary; 5xx are permanent. A timeout or a dropped
    connection after the content was handed over leaves it unknown whether the server kept it."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [err.code for err in exc.recipients]
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        return SendOutcome(False, permanent=permanent, error=f"recipient refused {codes}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        reply = _reply(exc.code, exc.message)
        return SendOutcome(False, permanent=500 <= exc.code < 600, error=reply, reply=reply)
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError):
        return SendOutcome(False, unknown=after_data, reached=after_data, error="timeout")
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected | ConnectionError | OSError):
        return SendOutcome(False, unknown=after_data, reached=after_data, error=f"connection: {type(exc).__name__}")
    return SendOutcome(False, unknown=after_data, error=f"{type(exc).__name__}: {exc}"[:500])


def _plain_path(address: str) -> bytes | None:
    """`<addr>` for a plain ASCII address (what aiosmtplib's mail()/rcpt() would send), else None."""
    if address.isascii() and address.count("@") == 1 and not any(c in address for c in '<>()[]\\,;:" \r\n\t'):
        return b"<" + address.encode("ascii") + b">"
    return None


class SmtpConnection:
    """A lazily opened, reused connection to one SMTP server."""

    def __init__(self, settings, *, host: str, port: int):
        self.settings, self.host, self.port = settings, host, port
        self.client: aiosmtplib.SMTP | None = None
        self.connects = 0

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    async def _ensure(self, timeout: float | None) -> aiosmtplib.SMTP:
        if self.client is not None and self.client.is_connected:
            return self.client
        self.discard()
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=s.smtp_timeout,
            use_tls=s.smtp_tls, start_tls=s.smtp_starttls if s.smtp_starttls else False,
        )
        await client.connect(timeout=timeout)
        if s.smtp_username and s.smtp_password:
            await client.login(s.smtp_username, s.smtp_password.get_secret_value())
        await client.ehlo()
        self.client = client
        self.connects += 1
        return client

    def discard(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    async def _after_failure(self, exc: BaseException) -> None:
        """An SMTP answer leaves the connection usable (RSET); anything else drops it. A
        cancellation goes on up once the connection is dealt with."""
        if isinstance(exc, aiosmtplib.SMTPResponseException):
            await self._reset()
        else:
            self.discard()
        if isinstance(exc, asyncio.CancelledError):
            raise exc

    async def _reset(self) -> None:
        try:
            await self.client.rset()
        except Exception:
            self.discard()

    async def transaction(
        self, *, sender: str, recipient: str, data: bytes, start_timeout: float | None,
        after_mail: Callable[[bool], bool], handover: Callable[[], Awaitable[bool]],
    ) -> SendOutcome:
        """One message. `after_mail(started)` is called exactly once, when the MAIL FROM answer
        came (started=True) or the transaction could not start (False); returning False stops
        the message before RCPT. `start_timeout` bounds connecting and MAIL FROM."""
        told = False

        def tell(started: bool) -> bool:
            nonlocal told
            if told:
                return True
            told = True
            return after_mail(started)

        try:
            client = await self._ensure(start_timeout)
        except BaseException as exc:
            tell(False)
            self.discard()
            if isinstance(exc, asyncio.CancelledError):
                raise
            return SendOutcome(False, reached=False, connect_failed=True, error=classify(exc).error)
        mail_to, rcpt_to = _plain_path(sender), _plain_path(recipient)
        try:
            options, encoding = [], "ascii"
            if not (sender.isascii() and recipient.isascii()) and client.supports_extension("smtputf8"):
                options, encoding = ["SMTPUTF8"], "utf-8"
            if mail_to and rcpt_to:  # the common case, without re-parsing the address every time
                response = await client.execute_command(b"MAIL", b"FROM:" + mail_to, timeout=start_timeout)
                if response.code != 250:
                    raise aiosmtplib.SMTPSenderRefused(response.code, response.message, sender)
            else:
                await client.mail(sender, options=options, encoding=encoding, timeout=start_timeout)
        except BaseException as exc:
            tell(False)
            self.discard()
            if isinstance(exc, asyncio.CancelledError):
                raise
            outcome = classify(exc)
            if isinstance(exc, aiosmtplib.SMTPResponseException):
                return outcome
            return SendOutcome(False, reached=False, error=outcome.error)  # the message never left
        if not tell(True):
            await self._reset()
            return RELEASED
        try:
            if mail_to and rcpt_to:
                response = await client.execute_command(b"RCPT", b"TO:" + rcpt_to)
                if response.code not in (250, 251):
                    raise aiosmtplib.SMTPRecipientRefused(response.code, response.message, recipient)
            else:
                await client.rcpt(recipient, encoding=encoding)
            if not await handover():
                await self._reset()
                return RELEASED
        except BaseException as exc:
            await self._after_failure(exc)
            return classify(exc)
        try:
            response = await client.data(data)
        except BaseException as exc:
            await self._after_failure(exc)
            return classify(exc, after_data=not isinstance(exc, aiosmtplib.SMTPResponseException))
        return SendOutcome(True, reply=_reply(response.code, response.message))

    async def close(self) -> None:
        if self.client is None:
            return
        try:
            await asyncio.wait_for(self.client.quit(), timeout=2)
        except Exception:
            self.discard()
        self.client = None
