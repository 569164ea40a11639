"""Database engine and the unit of work.

The caller owns the transaction: domain functions take a session and never commit; the request
(`services.api.deps`) or task wrapper (`shared.jobs.runner`) commits once at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import make_url
from sqlmodel import Session

from shared.settings import get_settings


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver whatever scheme the URL was given with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def build_engine(url: str, **kwargs) -> Engine:
    return create_engine(
        normalize_database_url(url),
        pool_pre_ping=True,
        pool_size=kwargs.pop("pool_size", 5),
        max_overflow=kwargs.pop("max_overflow", 10),
        connect_args={"connect_timeout": 5, **kwargs.pop("connect_args", {})},
        **kwargs,
    )


@lru_cache
def get_engine() -> Engine:
    return build_engine(get_settings().require_database_url())


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit if the block succeeds, roll back if it raises."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def unreachable(exc: DBAPIError) -> bool:
    """The error says the server could not be reached or cut the connection (SQLSTATE class 08,
    or 57P: shutting down), not that the statement was wrong."""
    if exc.connection_invalidated:
        return True
    state = getattr(exc.orig, "sqlstate", None)
    if state is None:  # psycopg's own OperationalError: connecting failed, no server answer at all
        return isinstance(exc.orig, psycopg.OperationalError)
    return state.startswith(("08", "57P"))
