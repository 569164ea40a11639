"""`rekisteri retention`: what the next retention sweep would remove, and running it now."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

retention_app = typer.Typer(help="Retention: the policy's plan (counts per rule, no names) and the sweep.",
                            no_args_is_help=True)


def log_to_stderr() -> None:
    """Log lines go to stderr, so stdout carries only the result."""
    from shared.logging import configure_logging
    from shared.settings import get_settings

    settings = get_settings()
    configure_logging(service="cli", level=settings.log_level, fmt=settings.effective_log_format)


retention_app.callback()(log_to_stderr)


def _moment(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("an ISO date or time, e.g. 2027-01-31", param_hint="--as-of") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _table(result: dict) -> str:
    header = f"{'rule':<22}{'action':<11}{'period':<12}{'count':>9}{'held':>7}{'restricted':>12}"
    lines = [f"as of {result['as_of']}", header]
    for name, entry in result["rules"].items():
        lines.append(f"{name:<22}{entry['action']:<11}{entry['period']:<12}{entry['count']:>9}{entry['held']:>7}"
                     f"{entry['restricted']:>12}")
    return "\n".join(lines)


@retention_app.command("plan")
def plan_command(as_of: str = typer.Option(None, help="plan as of this moment (default: now)")) -> None:
    """Print what a sweep would remove: counts per rule, no names. Changes nothing."""
    from shared.db import session_scope
    from shared.retention.sweep import plan

    with session_scope() as session:
        result = plan(session, now=_moment(as_of))
        session.rollback()
    typer.echo(_table(result))


@retention_app.command("sweep")
def sweep_command() -> None:
    """Run the sweep now, in this process (recorded like a scheduled run)."""
    from shared.db import session_scope
    from shared.retention.sweep import sweep

    with session_scope() as session:
        result = sweep(session, now=datetime.now(UTC), trigger="cli")
    typer.echo(_table(result))
    typer.echo(f"run {result['run_id']}: " + ", ".join(f"{k} {v}" for k, v in result["housekeeping"].items()))


retention_app.command("run", help="The same as `sweep`.")(sweep_command)
