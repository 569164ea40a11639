"""`rekisteri up`: the whole system on one machine.

Starts embedded PostgreSQL and Redis under var/ unless their URLs are set, a mail catcher unless
an SMTP server is set, migrates the database, then runs api, worker, beat, notifier and Flower
as child processes. A child that dies is restarted (a few times); Ctrl-C stops everything.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

from shared.cli import processes
from shared.embedded.discover import DATABASE_NAME, forget_redis_url, record_redis_url
from shared.embedded.ports import free_port, wait_for_port
from shared.settings import Settings

MAX_RESTARTS = 5


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env, start_new_session=True)
        self.started_at = time.monotonic()

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _say(text: str) -> None:
    print(f"rekisteri up: {text}", flush=True)


def _port_is_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return sock.connect_ex((host, port)) != 0


def _free_or_other(port: int, host: str = "127.0.0.1") -> int:
    return port if _port_is_free(host, port) else free_port(host)


def run_up(settings: Settings) -> int:
    from shared.migrations import upgrade

    env = {**os.environ}
    var_dir = settings.var_dir.resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as cleanup:
        database_url = settings.database_url
        if not database_url:
            from shared.embedded.postgres import start_postgres

            _say(f"starting embedded PostgreSQL in {var_dir / 'postgres'}")
            pg = start_postgres(var_dir / "postgres")
            cleanup.callback(pg.stop)
            database_url = pg.create_database(DATABASE_NAME)
        redis_url = settings.redis_url
        if not redis_url:
            from shared.embedded.redis import start_redis

            redis_server = start_redis(var_dir / "redis", port=_free_or_other(settings.embedded_redis_port))
            cleanup.callback(redis_server.stop)
            redis_url = redis_server.url
            record_redis_url(var_dir, redis_url)
            cleanup.callback(forget_redis_url, var_dir)
            _say(f"embedded Redis on {redis_url} (append-only file in {var_dir / 'redis'})")
        env["REKISTERI_DATABASE_URL"] = database_url
        env["REKISTERI_REDIS_URL"] = redis_url
        env["REKISTERI_VAR_DIR"] = str(var_dir)

        _say("migrating the database")
        upgrade(database_url)

        children: list[Child] = []
        if not settings.smtp_host:
            port = _free_or_other(settings.mailcatcher_port, settings.mailcatcher_host)
            env["REKISTERI_MAILCATCHER_PORT"] = str(port)
            children.append(Child("mailcatcher", processes.rekisteri("mailcatcher"), env))
        flower_env = {**env, **processes.flower_environment(settings)}
        children += [
            Child("api", processes.rekisteri("api"), env),
            Child("worker", processes.worker_command(settings), env),
            Child("beat", processes.beat_command(settings), env),
            Child("notifier", processes.notifier_command(), env),
            Child("flower", processes.flower_command(settings), flower_env),
        ]
        stopping = False

        def _stop(*_args) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        for child in children:
            child.start()
        cleanup.callback(lambda: [child.stop() for child in reversed(children)])
        wait_for_port(settings.api_host, settings.api_port, timeout=60)
        mail = (
            f"SMTP {settings.smtp_host}:{settings.smtp_port}" if settings.smtp_host
            else f"{settings.effective_mail_dir.resolve()} (mail catcher on port {env['REKISTERI_MAILCATCHER_PORT']})"
        )
        print(
            "\nRekisteri is running.\n"
            f"  API docs:  http://{settings.api_host}:{settings.api_port}/docs\n"
            f"  Flower:    http://{settings.flower_host}:{settings.flower_port}/ "
            f"(user {settings.flower_user}, password REKISTERI_FLOWER_PASSWORD)\n"
            f"  Mail:      {mail}\n"
            f"  Database:  {'embedded PostgreSQL' if not settings.database_url else 'REKISTERI_DATABASE_URL'}\n"
            "Create a user: rekisteri users create --name NAME --role admin  (with the same environment)\n"
            "Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        status = 0
        while not stopping:
            time.sleep(0.5)
            for child in children:
                code = child.process.poll() if child.process else None
                if code is None or stopping:
                    continue
                if child.restarts >= MAX_RESTARTS:
                    _say(f"{child.name} keeps exiting (code {code}); stopping everything")
                    stopping, status = True, 1
                    break
                child.restarts += 1
                _say(f"{child.name} exited with code {code}; restarting ({child.restarts}/{MAX_RESTARTS})")
                time.sleep(1)
                child.start()
        _say("stopping")
    _say("stopped")
    return status


if __name__ == "__main__":
    from shared.settings import get_settings

    sys.exit(run_up(get_settings()))
