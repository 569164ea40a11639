"""Alembic environment: runs migrations online, one migrator at a time (advisory lock)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

import shared.models  # noqa: F401  (registers every table on the metadata)
from shared.models import metadata

MIGRATION_LOCK_ID = 7_305_112_001  # any constant shared by every migrator

config = context.config


def run_migrations_online() -> None:
    engine = create_engine(config.attributes["database_url"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                compare_type=True,
                transaction_per_migration=True,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `rekisteri db upgrade`")
run_migrations_online()
