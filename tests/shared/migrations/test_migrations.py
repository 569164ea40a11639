"""The migrations build exactly the schema the models describe, and run down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import shared.models  # noqa: F401
from shared.db import normalize_database_url
from shared.migrations import downgrade, upgrade
from shared.models import metadata


def _diff(url: str) -> list:
    engine = create_engine(normalize_database_url(url))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    return _without_expression_index_noise(diff)


def _without_expression_index_noise(diff: list) -> list:
    """Alembic cannot compare expression indexes (`lower(name) COLLATE "C"`): it reports the
    same index as removed and added. Drop such pairs; anything else is a real difference."""
    removed = {d[1].name for d in diff if d[0] == "remove_index"}
    added = {d[1].name for d in diff if d[0] == "add_index"}
    same = removed & added
    return [d for d in diff if not (d[0] in ("remove_index", "add_index") and d[1].name in same)]


def test_models_and_migrations_agree(database_url):
    assert _diff(database_url) == []


def test_downgrade_to_nothing_and_back(pg_server):
    url = pg_server.create("rekisteri_migrations")
    downgrade(url, "base")
    upgrade(url)
    assert _diff(url) == []
