"""The notifier: a long-running process that sends the email outbox. Run with `rekisteri notifier`.

Transactional mail goes first, always, and is never held back by a campaign: its own feeder is
woken by NOTIFY when such a message commits. Bulk mail is claimed in batches, and right before
a batch goes its contacts are share-locked and every message is checked (the one send-time rule,
shared/outbox/eligibility.py); the lock is held until every SMTP transaction of the batch has
started, so an objection either is seen by that check or commits after those transactions
started — never in between. See services/notifier/pipeline.py for the whole, and
shared/outbox/outcomes.py for what happens to a message whose notifier died (the unknown-outcome
rule: never resent blindly).
"""

from __future__ import annotations

import asyncio
import signal

import structlog

from services.notifier.pipeline import Notifier, smtp_target
from shared.logging import configure_logging
from shared.settings import Settings, get_settings

log = structlog.get_logger("rekisteri.notifier")

__all__ = ["main", "run", "smtp_target"]


async def run(settings: Settings, stop: asyncio.Event) -> None:
    """Send until `stop` is set; then let what started finish and record it."""
    await Notifier(settings, stop).run()


def main() -> None:
    settings = get_settings()
    configure_logging(service="notifier", level=settings.log_level, fmt=settings.effective_log_format)

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run(settings, stop)

    if settings.notifier_uvloop:
        try:
            import uvloop
        except ImportError:
            uvloop = None
        if uvloop is not None:
            uvloop.run(_main())
            return
    asyncio.run(_main())


if __name__ == "__main__":
    main()
