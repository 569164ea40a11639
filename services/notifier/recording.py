"""The notifier's recorder: outcomes written in bulk every few dozen milliseconds (sent, failed,
released, skipped), campaigns that pause themselves on too many refusals, and the housekeeping of
leases: renewal of what this notifier holds, recovery of rows a dead notifier left behind.

Senders hand it results (`add`), the feeder skips and releases (`skip`, `release`); it alone
writes them."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import structlog

from services.notifier import db
from services.notifier.parts import Item, Lanes
from services.notifier.runtime import Runtime
from services.notifier.smtp import SendOutcome
from shared.campaigns.service import pause_if_failing
from shared.models import utcnow
from shared.models.outbox import AttemptOutcome
from shared.outbox import outcomes
from shared.outbox.outcomes import AttemptRecord
from shared.outbox.service import retry_delay

log = structlog.get_logger("rekisteri.notifier")


class Recorder:
    def __init__(self, rt: Runtime, settings, *, url: str, server: str, lanes: Lanes):
        self.rt, self.server, self.lanes = rt, server, lanes
        self.db = db.Connection(url, autocommit=True, durable=False)
        self.every = settings.notifier_record_seconds
        self.flush_at = settings.notifier_batch_size  # this many results wake the recorder early
        self.lease = settings.notifier_lease_seconds
        self.backoff_base, self.max_backoff = settings.notifier_backoff_seconds, settings.notifier_max_backoff_seconds
        self.pause_rate, self.pause_window = settings.campaign_pause_error_rate, settings.campaign_pause_window
        self.pause_min = settings.campaign_pause_min_attempts
        self.results: list[tuple[Item, SendOutcome, Any, Any]] = []  # (item, outcome, started, finished)
        self.skips: list[tuple[Any, Any, str]] = []
        self.held: dict = {}  # id -> lease token: renewed until recorded
        self.counts: dict[str, int] = defaultdict(int)
        self.wake = asyncio.Event()
        self.senders_done = False
        self._pause_checked: dict[int, float] = {}
        self._refused_since: dict[int, int] = defaultdict(int)

    # --- what the other parts hand over ---------------------------------------------------------

    def hold(self, items: Iterable[Item]) -> None:
        """Claimed messages: their leases are renewed until their outcome is recorded."""
        for item in items:
            self.held[item.claimed.id] = item.claimed.lease_token

    def add(self, item: Item, outcome: SendOutcome, started, finished) -> None:
        self.results.append((item, outcome, started, finished))
        if len(self.results) >= self.flush_at:
            self.wake.set()

    def skip(self, item: Item, reason: str) -> None:
        self.skips.append((item.claimed.id, item.claimed.lease_token, reason))

    def release(self, items: list[Item], delay: float | None = 0.0) -> None:
        """Claimed but never started: back to pending after `delay` seconds (None: held until
        their campaign is resumed), the attempt not counted."""
        for item in items:
            now = utcnow()
            self.results.append((item, SendOutcome(False, released=True, reached=False, error="not started",
                                                   delay=delay), now, now))
        self.wake.set()

    def finish(self) -> None:
        """The senders are done: record what is left, then stop."""
        self.senders_done = True
        self.wake.set()

    # --- writing ------------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        return retry_delay(attempt, base=self.backoff_base, cap=self.max_backoff)

    def _record_failed_sync(self, failed: list[AttemptRecord]) -> None:
        with self.rt.session() as session:
            outcomes.record_failed(session, records=failed, backoff=self._backoff)
            session.commit()

    def _pause_if_failing(self, campaign_id: int) -> float | None:
        with self.rt.session() as session:
            rate = pause_if_failing(session, campaign_id=campaign_id, threshold=self.pause_rate,
                                    window=self.pause_window, min_attempts=self.pause_min)
            session.commit()
        return rate

    async def _write(self, results, skips) -> list[int]:
        sent, failed, released, refused = [], [], defaultdict(list), []
        for item, outcome, started, finished in results:
            c = item.claimed
            if outcome.released:
                released[None if outcome.delay is None else round(outcome.delay, 1)].append((c.id, c.lease_token))
                continue
            record = AttemptRecord(
                id=c.id, attempt=c.attempt, outcome=outcome.outcome, reply=outcome.reply, started_at=started,
                finished_at=finished, server=self.server, campaign_id=c.campaign_id, lease_token=c.lease_token,
                error=outcome.error,
            )
            (sent if outcome.ok else failed).append(record)
            if outcome.outcome in (AttemptOutcome.deferred, AttemptOutcome.bounced) and c.campaign_id:
                refused.append(c.campaign_id)
        await db.record(self.db, sent=sent, released=released, skipped=skips)
        if failed:
            await self.rt.thread(self._record_failed_sync, failed)
        return refused

    async def run(self) -> None:
        while True:
            await self.rt.sleep(self.every, self.wake)
            self.wake.clear()
            done = self.senders_done and not self.results and not self.skips
            if self.results or self.skips:
                results, self.results = self.results, []
                skips, self.skips = self.skips, []
                try:
                    campaigns = await self._write(results, skips)
                except Exception as exc:  # the database is away: keep them and try again
                    log.warning("notifier.record_failed", error=type(exc).__name__, detail=str(exc)[:200])
                    self.results[:0], self.skips[:0] = results, skips
                    await asyncio.sleep(1.0)
                    continue
                self._count(results, skips)
                await self._check_campaigns(campaigns)
            if done:
                return

    def _count(self, results, skips) -> None:
        for item, outcome, *_ in results:
            self.held.pop(item.claimed.id, None)
            kind = "released" if outcome.released else outcome.outcome.value
            self.counts[kind] += 1
            if not item.claimed.bulk and outcome.ok:
                log.info("email.sent", email_id=str(item.claimed.id), request_id=item.claimed.request_id,
                         attempt=item.claimed.attempt)
            elif not outcome.ok and not outcome.released:
                log.warning("email.send_failed", email_id=str(item.claimed.id), attempt=item.claimed.attempt,
                            outcome=outcome.outcome.value, error=outcome.error)
        for email_id, _, _ in skips:
            self.held.pop(email_id, None)
            self.counts["skipped"] += 1

    async def _check_campaigns(self, refused: list[int]) -> None:
        """Ask a campaign's error rate after every few refusals (or a second), not on every one."""
        if self.pause_rate <= 0:
            return
        for campaign_id in refused:
            self._refused_since[campaign_id] += 1
        now = time.monotonic()
        for campaign_id in set(refused):
            if (self._refused_since[campaign_id] < 5
                    and now - self._pause_checked.get(campaign_id, 0.0) < 1.0):
                continue
            self._pause_checked[campaign_id], self._refused_since[campaign_id] = now, 0
            try:
                rate = await self.rt.thread(self._pause_if_failing, campaign_id)
            except Exception as exc:
                log.warning("notifier.pause_check_failed", campaign_id=campaign_id, error=type(exc).__name__)
                continue
            if rate is not None:
                self._hold_campaign(campaign_id)

    def _hold_campaign(self, campaign_id: int) -> None:
        """The campaign paused itself: what is queued for it waits for the resume (what is
        claimed but not yet checked is held by the check, which sees the campaign paused)."""
        mine = [item for item in self.lanes.bulk if item.claimed.campaign_id == campaign_id]
        for item in mine:
            self.lanes.bulk.remove(item)
            item.batch.one_started()
        self.release(mine, delay=None)
        log.warning("notifier.campaign_held", campaign_id=campaign_id, queued=len(mine))

    # --- housekeeping -----------------------------------------------------------------------

    def _housekeep_sync(self, held) -> dict:
        with self.rt.session() as session:
            recovered = outcomes.recover_expired(session)
            outcomes.renew_leases(session, held=held, lease_seconds=self.lease)
            session.commit()
        return recovered

    async def housekeeping(self) -> None:
        """Renew the leases this notifier holds; recover rows whose notifier died."""
        every = max(1.0, self.lease / 4)
        while not self.rt.stop.is_set():
            try:
                recovered = await self.rt.thread(self._housekeep_sync, list(self.held.items()))
                if recovered["unknown"] or recovered["released"]:
                    log.warning("notifier.recovered_expired_leases", **recovered)
            except Exception as exc:
                log.warning("notifier.housekeeping_failed", error=type(exc).__name__)
            await self.rt.sleep(every)

    async def close(self) -> None:
        await self.db.close()
