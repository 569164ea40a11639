"""The notifier: a long-running process that sends the email outbox. Run with `rekisteri notifier`.

Each round claims a batch (the claim re-checks every message, see shared.outbox.eligibility),
sends it over reused connections, and records each outcome. A notifier that dies holding a
lease leaves its messages to be claimed again when the lease expires (marked outcome unknown).
"""

from __future__ import annotations

import asyncio
import signal
from email.utils import parseaddr

import structlog

from services.notifier.compose import build_message
from services.notifier.smtp import SendOutcome, SmtpPool
from shared.db import session_scope
from shared.logging import configure_logging
from shared.outbox import service as outbox
from shared.settings import Settings, get_settings

log = structlog.get_logger("rekisteri.notifier")


def smtp_target(settings: Settings) -> tuple[str, int]:
    if settings.smtp_host:
        return settings.smtp_host, settings.smtp_port
    return settings.mailcatcher_host, settings.mailcatcher_port


def _claim(settings: Settings) -> list[outbox.ClaimedEmail]:
    with session_scope() as session:
        return outbox.claim_batch(
            session, limit=settings.notifier_batch_size, lease_seconds=settings.notifier_lease_seconds
        )


def _record(settings: Settings, results: list[tuple[outbox.ClaimedEmail, SendOutcome]]) -> None:
    def backoff(attempt: int) -> float:
        return min(settings.notifier_backoff_seconds * 2 ** (attempt - 1), 6 * 3600)

    with session_scope() as session:
        outbox.mark_sent(session, ids=[claimed.id for claimed, outcome in results if outcome.ok])
        for claimed, outcome in results:
            if not outcome.ok:
                outbox.mark_failed_attempt(
                    session, id=claimed.id, error=outcome.error or "unknown error",
                    permanent=outcome.permanent, unknown=outcome.unknown, backoff=backoff,
                )


async def _send_one(pool: SmtpPool, claimed: outbox.ClaimedEmail) -> SendOutcome:
    structlog.contextvars.bind_contextvars(email_id=str(claimed.id), request_id=claimed.request_id)
    data = bytes(build_message(claimed))
    outcome = await pool.send(
        sender=parseaddr(claimed.from_address)[1], recipient=claimed.to_address, data=data
    )
    if outcome.ok:
        log.info("email.sent", email_id=str(claimed.id), attempt=claimed.attempt)
    else:
        log.warning("email.send_failed", email_id=str(claimed.id), attempt=claimed.attempt,
                    permanent=outcome.permanent, unknown=outcome.unknown, error=outcome.error)
    return outcome


async def run(settings: Settings, stop: asyncio.Event) -> None:
    host, port = smtp_target(settings)
    pool = SmtpPool(settings, host=host, port=port, size=settings.notifier_concurrency)
    log.info("notifier.started", smtp_port=port, concurrency=settings.notifier_concurrency)
    try:
        while not stop.is_set():
            try:
                batch = await asyncio.to_thread(_claim, settings)
            except Exception as exc:  # database down: wait and try again
                log.warning("notifier.claim_failed", error=type(exc).__name__)
                batch = []
            if not batch:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=settings.notifier_poll_seconds)
                except TimeoutError:
                    pass
                continue
            outcomes = await asyncio.gather(*(_send_one(pool, claimed) for claimed in batch))
            await asyncio.to_thread(_record, settings, list(zip(batch, outcomes, strict=True)))
    finally:
        await pool.close()
        log.info("notifier.stopped")


def main() -> None:
    settings = get_settings()
    configure_logging(service="notifier", level=settings.log_level, fmt=settings.effective_log_format)

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run(settings, stop)

    asyncio.run(_main())


if __name__ == "__main__":
    main()
