"""What the command line says when a command fails: one line naming what failed and what to do,
never a traceback (`rekisteri --debug …` shows it)."""

from __future__ import annotations

import sys
from typing import Any

import typer

HINT_DEBUG = "(rekisteri --debug … shows the details)"


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def explain(exc: BaseException) -> str:
    """One line for the person at the terminal: what failed, and what to do about it."""
    import psycopg
    import redis
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

    orig = getattr(exc, "orig", exc)
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {"msg": str(exc)}
        return f"a setting is wrong: {first['msg']} — fix it in the environment or .env"
    if isinstance(exc, RuntimeError) and "REKISTERI_DATABASE_URL is not set" in str(exc):
        return ("no database found: start `make up` (or `rekisteri up`) in this folder first, "
                "or set REKISTERI_DATABASE_URL")
    if isinstance(exc, RuntimeError) and "REKISTERI_REDIS_URL is not set" in str(exc):
        return ("no Redis found: start `make up` (or `rekisteri up`) in this folder first, "
                "or set REKISTERI_REDIS_URL")
    if isinstance(exc, ProgrammingError) and isinstance(orig, psycopg.errors.UndefinedTable):
        return "the database has no tables yet: run `rekisteri db upgrade` (or start `make up`)"
    if isinstance(exc, OperationalError | psycopg.OperationalError) or (
            isinstance(exc, DBAPIError) and isinstance(orig, psycopg.OperationalError)):
        return (f"cannot use the database: {_first_line(exc)} — is `make up` running in this folder, "
                "or is REKISTERI_DATABASE_URL right?")
    if isinstance(exc, redis.exceptions.ConnectionError):
        return (f"cannot reach Redis: {_first_line(exc)} — is `make up` running in this folder, "
                "or is REKISTERI_REDIS_URL right?")
    return f"failed: {type(exc).__name__}: {_first_line(exc)} {HINT_DEBUG}"


class Cli(typer.Typer):
    """A Typer app whose unexpected failures end in one line on stderr and exit code 1."""

    debug = False  # set by the `--debug` option of the app's callback

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            if Cli.debug:
                raise
            print(f"rekisteri: {explain(exc)}", file=sys.stderr, flush=True)
            sys.exit(1)
