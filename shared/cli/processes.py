"""The command lines that start each service. Services are named by module path, never
imported here: `shared` does not depend on `services`."""

from __future__ import annotations

import sys

from shared.jobs.kinds import ALL_QUEUES
from shared.settings import Settings

CELERY_APP = "services.worker.app"


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", CELERY_APP, *args]


def worker_command(settings: Settings, *, concurrency: int | None = None, name: str = "worker@%h") -> list[str]:
    return celery(
        "worker", "-E", "-Q", ",".join(ALL_QUEUES), "-n", name,
        "--concurrency", str(concurrency or settings.worker_concurrency),
        "--loglevel", settings.log_level, "--without-gossip", "--without-mingle",
    )


def beat_command(settings: Settings) -> list[str]:
    schedule = settings.var_dir / "celerybeat-schedule"
    return celery("beat", "--schedule", str(schedule), "--loglevel", settings.log_level)


def flower_command(settings: Settings) -> list[str]:
    # The credentials go in FLOWER_BASIC_AUTH (environment), not on the command line.
    return celery("flower", f"--address={settings.flower_host}", f"--port={settings.flower_port}")


def flower_environment(settings: Settings) -> dict[str, str]:
    return {"FLOWER_BASIC_AUTH": f"{settings.flower_user}:{settings.flower_password.get_secret_value()}"}


def notifier_command() -> list[str]:
    return [sys.executable, "-m", "services.notifier.main"]


def rekisteri(*args: str) -> list[str]:
    return [sys.executable, "-m", "shared.cli.main", *args]
