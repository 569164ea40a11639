"""The fault suite's own little world: an embedded PostgreSQL and Redis that only this suite uses
(so it may stop, flush and restart them), an SMTP server and a partner HTTPS stand-in that can be
told to misbehave, and api, worker, beat and notifier as real processes."""

from __future__ import annotations

import asyncio
import hashlib
import http.server
import shutil
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

import psutil
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from shared.db import build_engine
from shared.embedded.ports import free_port
from shared.embedded.postgres import EmbeddedPostgres, start_postgres
from shared.embedded.redis import EmbeddedRedis, start_redis
from shared.partners.delivery import TRANSFER_HEADER, verify_signature
from support import Services

# Short timings, so that a lost lease, a lost message or a dead SMTP connection shows within seconds.
FAST = {
    "REKISTERI_JOB_LEASE_SECONDS": "3",
    "REKISTERI_JOB_RETRY_BACKOFF_SECONDS": "0.5",
    "REKISTERI_RECONCILE_INTERVAL_SECONDS": "1",
    "REKISTERI_JOB_REQUEUE_AFTER_SECONDS": "20",
    "REKISTERI_CELERY_VISIBILITY_TIMEOUT": "3600",
    "REKISTERI_WORKER_CONCURRENCY": "1",
    "REKISTERI_NOTIFIER_POLL_SECONDS": "0.1",
    "REKISTERI_NOTIFIER_BACKOFF_SECONDS": "0.2",
    "REKISTERI_NOTIFIER_MAX_BACKOFF_SECONDS": "2",
    "REKISTERI_NOTIFIER_LEASE_SECONDS": "5",
    "REKISTERI_NOTIFIER_OUTAGE_MAX_SECONDS": "1",
    "REKISTERI_NOTIFIER_CONCURRENCY": "2",
    "REKISTERI_NOTIFIER_BATCH_SIZE": "10",
    "REKISTERI_NOTIFIER_RATE_PER_SECOND": "40",  # a campaign lasts long enough to be hit by faults
    "REKISTERI_SMTP_TIMEOUT": "2",
    "REKISTERI_TRANSFER_DELIVERY_ATTEMPTS": "6",
    "REKISTERI_TRANSFER_RETRY_BACKOFF_SECONDS": "0.5",
    "REKISTERI_TRANSFER_DELIVERY_TIMEOUT_SECONDS": "5",
    "REKISTERI_PUBLIC_REQUESTS_PER_CLIENT_PER_HOUR": "100000",
    "REKISTERI_LOG_LEVEL": "INFO",
}
PARTNER_SECRET = "fault-suite-partner-secret-0123456789abcdef"


@dataclass
class Delivered:
    """One message the SMTP server took in: when its MAIL FROM came, to whom, which message."""

    mail_time: float
    recipient: str
    message_id: str
    marketing: bool  # carries List-Unsubscribe: a campaign message


class FaultySmtp:
    """aiosmtpd on a fixed port. mode: ok, refuse (451 to MAIL FROM), reset (the connection is
    dropped at MAIL FROM, before anything was handed over), stall (the message is taken in, then
    no answer to DATA for `stall_seconds`: the client times out not knowing)."""

    def __init__(self, stall_seconds: float = 4.0):
        self.port, self.mode, self.stall_seconds = free_port(), "ok", stall_seconds
        self.lock = threading.Lock()
        self.delivered: list[Delivered] = []
        self.counts = {"refused": 0, "reset": 0, "stalled": 0}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def start(self) -> FaultySmtp:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.mode == "refuse":
            self.counts["refused"] += 1
            return "451 4.3.2 try again later"
        if self.mode == "reset":
            self.counts["reset"] += 1
            server.transport.close()
            return "421 4.3.2 closing"
        envelope.mail_from, envelope.mail_time = address, time.time()
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.delivered.append(Delivered(envelope.mail_time, rcpt.lower(), str(parsed["Message-ID"]),
                                                parsed["List-Unsubscribe"] is not None))
        if self.mode == "stall":
            self.counts["stalled"] += 1
            await asyncio.sleep(self.stall_seconds)
        return "250 2.0.0 queued"

    def received(self) -> list[Delivered]:
        with self.lock:
            return list(self.delivered)


class PartnerEndpoint:
    """A partner's HTTP endpoint (plain HTTP on loopback, which the product allows for tests):
    checks every delivery's signature and keeps what arrived; answers 503 while `failing`."""

    def __init__(self):
        self.failing = False
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, bool]] = []  # (transfer id, body sha256, signature valid)
        self.refused = 0
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if endpoint.failing:
                    endpoint.refused += 1
                    self.send_response(503)
                    self.end_headers()
                    return
                valid = verify_signature(PARTNER_SECRET.encode(), dict(self.headers), body)
                with endpoint.lock:
                    endpoint.received.append((self.headers.get(TRANSFER_HEADER, ""),
                                              hashlib.sha256(body).hexdigest(), valid))
                self.send_response(200 if valid else 401)
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rekisteri/in"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> PartnerEndpoint:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FaultServices(Services):
    """The services under a supervisor, as in production (compose `restart: unless-stopped`,
    `rekisteri up`): a process that exits by itself is started again, and that is noted."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        super().__init__(env, log_dir)
        self.lock = threading.RLock()
        self.exits: list[str] = []  # "<name> exited by itself (code N)", in order
        self._watching = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True, name="supervisor")

    def command(self, name: str) -> list[str]:
        if name == "beat":  # its schedule file in the suite's own folder, not the test session's
            from shared.cli.processes import beat_command
            from shared.settings import Settings

            return beat_command(Settings(_env_file=None, var_dir=Path(self.env["REKISTERI_VAR_DIR"])))
        return super().command(name)

    def start(self, name: str):
        with self.lock:
            return super().start(name)

    def kill9(self, name: str) -> None:
        with self.lock:
            try:
                super().kill9(name)
            except ProcessLookupError:  # it had exited already (the supervisor notes that)
                pass

    def stop(self, name: str, timeout: float = 20.0) -> None:
        with self.lock:
            super().stop(name, timeout)

    def supervise(self) -> None:
        self._watching.set()
        self._watcher.start()

    def _watch(self) -> None:
        while self._watching.is_set():
            with self.lock:
                for name, proc in list(self.procs.items()):
                    if proc.poll() is not None:
                        self.exits.append(f"{time.strftime('%H:%M:%S')} {name} exited by itself "
                                          f"(code {proc.returncode}); restarted")
                        self.procs.pop(name)
                        self.start(name)
            time.sleep(0.5)

    def unsupervise(self) -> None:
        self._watching.clear()
        if self._watcher.is_alive():
            self._watcher.join(5)

    def stop_all(self) -> None:
        self.unsupervise()
        super().stop_all()

    def pool_children(self, name: str) -> list[psutil.Process]:
        """The Celery pool processes of a worker (none while it is being restarted)."""
        with self.lock:
            proc = self.procs.get(name)
            try:
                return psutil.Process(proc.pid).children(recursive=False) if proc else []
            except psutil.NoSuchProcess:
                return []


class FaultSystem:
    """Everything the suite needs, started in `root`; `close()` stops it all and removes the data."""

    def __init__(self, root: Path, *, workers: int = 1):
        self.root = root
        self.workers = [f"worker-{i}" for i in range(1, workers + 1)]
        self.pg: EmbeddedPostgres | None = None
        self.redis: EmbeddedRedis | None = None
        self.smtp = FaultySmtp()
        self.partner = PartnerEndpoint()
        self.services: FaultServices | None = None
        self.engine: Engine | None = None
        self.database_url = ""

    def start(self) -> FaultSystem:
        from shared.migrations import upgrade

        self.pg = start_postgres(self.root / "pg")
        self.database_url = self.pg.create_database("rekisteri_faults")
        upgrade(self.database_url)
        self.redis = start_redis(self.root / "redis")
        self.smtp.start()
        self.partner.start()
        env = {**FAST, "REKISTERI_DATABASE_URL": self.database_url, "REKISTERI_REDIS_URL": self.redis.url,
               "REKISTERI_SMTP_HOST": "127.0.0.1", "REKISTERI_SMTP_PORT": str(self.smtp.port),
               "REKISTERI_VAR_DIR": str(self.root / "var")}
        (self.root / "logs").mkdir(exist_ok=True)
        (self.root / "var").mkdir(exist_ok=True)
        self.services = FaultServices(env, self.root / "logs")
        self.engine = build_engine(self.database_url, pool_size=2)
        for name in ("api", *self.workers, "beat", "notifier"):
            self.services.start(name)
        self.services.supervise()
        return self

    # --- the servers this suite owns -----------------------------------------------------------
    def restart_postgres(self, down_seconds: float) -> None:
        self.pg.stop()
        time.sleep(down_seconds)
        self.pg.start()

    def stop_redis(self, *, wipe: bool) -> None:
        self.redis.stop()
        if wipe:  # everything queued is gone, the append-only file too
            for path in self.redis.data_dir.iterdir():
                if path.name != "redis.log":
                    shutil.rmtree(path) if path.is_dir() else path.unlink()

    def start_redis(self) -> None:
        self.redis.start()

    def close(self) -> None:
        if self.services is not None:  # nothing to keep: no graceful shutdown, it costs CI time
            self.services.unsupervise()
            for name in list(self.services.procs):
                self.services.kill9(name)
            self.services.stop_all()
        for stop in (self.smtp.stop, self.partner.stop):
            try:
                stop()
            except Exception:  # noqa: BLE001 (best effort while tearing down)
                pass
        if self.engine is not None:
            self.engine.dispose()
        if self.redis is not None:
            self.redis.stop()
        if self.pg is not None:
            self.pg.destroy()
