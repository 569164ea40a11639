"""Running the services as real processes in tests, and waiting for things to happen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx

from shared.cli import processes
from shared.embedded.ports import free_port, wait_for_port
from shared.settings import Settings

T = TypeVar("T")


def wait_until(check: Callable[[], T], *, timeout: float = 30.0, interval: float = 0.2,
               message: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


class Services:
    """api, worker, beat and notifier as child processes, each logging to its own file."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.api_port = free_port()
        self.env = {**os.environ, **env, "REKISTERI_API_PORT": str(self.api_port),
                    "REKISTERI_LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1"}
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen] = {}
        self._logs: list = []

    @property
    def settings(self) -> Settings:
        return Settings(_env_file=None, **{})

    def command(self, name: str) -> list[str]:
        settings = Settings(_env_file=None)
        return {
            "api": processes.rekisteri("api"),
            "worker": processes.worker_command(settings, concurrency=1, name=f"{name}@%h"),
            "beat": processes.beat_command(settings),
            "notifier": processes.notifier_command(),
        }[name.split("-")[0]]

    def start(self, name: str) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 (closed in stop_all)
        self._logs.append(log)
        proc = subprocess.Popen(self.command(name), env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        if name == "api":
            wait_for_port("127.0.0.1", self.api_port, timeout=60)
        return proc

    def kill9(self, name: str) -> None:
        """SIGKILL the whole process group: the main process and its pool children."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop(self, name: str, timeout: float = 20.0) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        for log in self._logs:
            log.close()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log")))

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "shared.cli.main", *args], env=self.env,
                              capture_output=True, text=True, timeout=60)

    def client(self, token: str | None = None, **headers: str) -> httpx.Client:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=f"http://127.0.0.1:{self.api_port}", headers=headers, timeout=30)


def staff_token(engine, role, prefix: str = "") -> str:
    """The bearer token of a new committed staff user of `role` (one user a call)."""
    import uuid

    from sqlmodel import Session

    from shared.auth.service import create_user, issue_token
    from shared.models import Role

    with Session(engine) as s:
        name = f"{prefix}{Role(role).value}-{uuid.uuid4().hex[:6]}"
        create_user(s, name=name, role=Role(role))
        token = issue_token(s, user_name=name).token
        s.commit()
    return token


def tokens_for_roles(engine, prefix: str = "") -> dict[str, str]:
    """A committed user and bearer token for every role: {"admin": "rk_…", "sales": …}."""
    from shared.models import Role

    return {role.value: staff_token(engine, role, prefix) for role in Role}


def auth(token: str, **headers: str) -> dict[str, str]:
    """Request headers with a bearer token (and any others)."""
    return {"Authorization": f"Bearer {token}", **headers}


FAST = {
    "REKISTERI_JOB_LEASE_SECONDS": "3",
    "REKISTERI_RECONCILE_INTERVAL_SECONDS": "1",
    "REKISTERI_JOB_REQUEUE_AFTER_SECONDS": "120",
    "REKISTERI_CELERY_VISIBILITY_TIMEOUT": "3600",
    "REKISTERI_NOTIFIER_POLL_SECONDS": "0.2",
    "REKISTERI_WORKER_CONCURRENCY": "1",
}


@contextmanager
def running_system(pg_server, redis_url: str, tmp_path_factory, request, *, name: str, processes: tuple[str, ...],
                   env: dict[str, str] | None = None, public_base: bool = True) -> Iterator[Services]:
    """The services as real processes on a database of their own (`rekisteri_<name>`) and the test
    Redis (emptied first), sending mail to a mail catcher (`services.catcher`); `services.base` is the
    API's address (also REKISTERI_PUBLIC_BASE_URL, unless `public_base` is false) and
    `services.engine` reaches the database. Everything is stopped afterwards, and the logs printed
    when a test failed."""
    import redis
    from sqlalchemy import create_engine

    from shared.embedded.mailcatcher import MailCatcher

    catcher = MailCatcher(port=free_port(), mail_dir=tmp_path_factory.mktemp(f"{name}-mail")).start()
    values = {"REKISTERI_DATABASE_URL": pg_server.create(f"rekisteri_{name}"), "REKISTERI_REDIS_URL": redis_url,
              "REKISTERI_SMTP_HOST": "127.0.0.1", "REKISTERI_SMTP_PORT": str(catcher.port), **(env or {})}
    services = Services(values, tmp_path_factory.mktemp(f"{name}-logs"))
    services.base = f"http://127.0.0.1:{services.api_port}"
    if public_base:
        services.env["REKISTERI_PUBLIC_BASE_URL"] = services.base
    services.catcher = catcher
    services.engine = create_engine(values["REKISTERI_DATABASE_URL"])
    redis.Redis.from_url(redis_url).flushall()
    try:
        for process in processes:
            services.start(process)
        yield services
    finally:
        services.stop_all()
        catcher.stop()
        services.engine.dispose()
        if request.session.testsfailed:
            print(services.logs()[-20000:])
