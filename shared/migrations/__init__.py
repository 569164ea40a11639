"""Alembic migrations, driven from code (`rekisteri db upgrade`) rather than an alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from shared.db import normalize_database_url

SCRIPT_LOCATION = Path(__file__).parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["database_url"] = normalize_database_url(database_url)
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Migrate; on the way to the newest schema, also publish the first privacy notice if there is
    none yet (shared/notice), so /public/privacy-notice answers from the first start."""
    command.upgrade(alembic_config(database_url), revision)
    if revision == "heads":
        from shared.db import build_engine, session_scope
        from shared.notice import publish_first

        engine = build_engine(database_url, pool_size=1, max_overflow=0)
        try:
            with session_scope(engine) as session:
                publish_first(session)
        finally:
            engine.dispose()


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def make_revision(database_url: str, message: str) -> None:
    """Autogenerate a new revision from the difference between the models and the database."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
