"""`rekisteri`: start the services, migrate the database, manage users and tokens."""

from __future__ import annotations

import os
import signal
import threading
from datetime import timedelta

import typer

from shared.cli import processes
from shared.cli.dedup import dedup_app
from shared.cli.errors import Cli
from shared.cli.imports import import_app
from shared.cli.partners import partners_app
from shared.cli.retention import retention_app
from shared.cli.site_keys import site_keys_app
from shared.settings import get_settings

app = Cli(help="Rekisteri: customer and marketing register.", no_args_is_help=True)


@app.callback()
def _use_running_embedded_servers(ctx: typer.Context, debug: bool = typer.Option(
        False, "--debug", help="show the whole traceback when a command fails")) -> None:
    """Beside a running `rekisteri up` (no URLs set), use its embedded database and Redis."""
    from shared.embedded.discover import embedded_database_url, embedded_redis_url

    Cli.debug = debug
    if ctx.invoked_subcommand == "up":
        return
    settings = get_settings()
    found = {}
    if not settings.database_url and (url := embedded_database_url(settings.var_dir)):
        found["REKISTERI_DATABASE_URL"] = url
    if not settings.redis_url and (url := embedded_redis_url(settings.var_dir)):
        found["REKISTERI_REDIS_URL"] = url
    if found:
        os.environ.update(found)
        get_settings.cache_clear()

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Staff users.", no_args_is_help=True)
tokens_app = typer.Typer(help="Bearer tokens for the API.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(site_keys_app, name="site-keys")
app.add_typer(import_app, name="import")
app.add_typer(dedup_app, name="dedup")
app.add_typer(retention_app, name="retention")
app.add_typer(partners_app, name="partners")


def _exec(argv: list[str], extra_env: dict[str, str] | None = None) -> None:
    """Replace this process with the service, so signals reach it directly."""
    os.execve(argv[0], argv, {**os.environ, **(extra_env or {})})


@app.command()
def up() -> None:
    """Start everything: database, Redis, mail catcher (as needed), API, worker, beat,
    notifier and Flower. Ctrl-C stops it all."""
    from shared.cli.up import run_up

    raise typer.Exit(run_up(get_settings()))


@app.command()
def api() -> None:
    """The HTTP API (uvicorn)."""
    import uvicorn

    settings = get_settings()
    # Forwarded headers only from the proxies named in REKISTERI_FORWARDED_ALLOW_IPS (none by
    # default): from anyone else they would let a client pick its own address for the limits.
    trusted = settings.forwarded_allow_list
    uvicorn.run("services.api.main:app", host=settings.api_host, port=settings.api_port,
                log_config=None, access_log=False, proxy_headers=bool(trusted),
                forwarded_allow_ips=trusted or None)


@app.command()
def worker(concurrency: int = typer.Option(None, help="pool processes (default: setting)"),
           name: str = typer.Option("worker@%h", help="Celery node name")) -> None:
    """A Celery worker on every queue."""
    _exec(processes.worker_command(get_settings(), concurrency=concurrency, name=name))


@app.command()
def beat() -> None:
    """Celery beat: the schedules (the job reconciler)."""
    _exec(processes.beat_command(get_settings()))


@app.command()
def notifier() -> None:
    """The email sender."""
    _exec(processes.notifier_command())


@app.command()
def flower() -> None:
    """Flower, with basic auth from the settings."""
    settings = get_settings()
    _exec(processes.flower_command(settings), processes.flower_environment(settings))


@app.command()
def mailcatcher() -> None:
    """A local SMTP server that writes each message to an .eml file in the mail folder."""
    from shared.embedded.mailcatcher import MailCatcher

    settings = get_settings()
    catcher = MailCatcher(host=settings.mailcatcher_host, port=settings.mailcatcher_port,
                          mail_dir=settings.effective_mail_dir).start()
    typer.echo(f"mail catcher on {settings.mailcatcher_host}:{settings.mailcatcher_port}, "
               f"writing to {settings.effective_mail_dir.resolve()}")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    catcher.stop()


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("heads")) -> None:
    """Apply the migrations."""
    from shared.migrations import upgrade

    upgrade(get_settings().require_database_url(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("revision")
def db_revision(message: str = typer.Option(..., "-m", "--message")) -> None:
    """Autogenerate a migration from the models (developers)."""
    from shared.migrations import make_revision

    make_revision(get_settings().require_database_url(), message)


def _email_option(email: str | None) -> str | None:
    """--email normalized (lower case), or a usage error naming the option."""
    from shared.common.validation import normalize_email

    try:
        return normalize_email(email) if email else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--email") from None


@users_app.command("create")
def users_create(name: str = typer.Option(...), role: str = typer.Option(..., help="admin, sales, marketing or privacy"),
                 email: str = typer.Option(None, help="the desk's sign-in address: a one-time link to set the "
                                                      "password is printed"),
                 service_account: bool = typer.Option(False, "--service-account",
                                                      help="an integration's account (tokens only, no desk)")) -> None:
    """Create a staff user (or a service account). Recorded as done by the operator. With --email,
    prints a one-time link (valid REKISTERI_DESK_LINK_TTL_HOURS) where the person sets their password."""
    from shared.auth.desk import issue_link
    from shared.auth.service import NotAllowed, UserExists, create_user
    from shared.db import session_scope
    from shared.models import Role

    try:
        parsed = Role(role)
    except ValueError:
        raise typer.BadParameter(f"role must be one of {', '.join(r.value for r in Role)}") from None
    address = _email_option(email)
    try:
        with session_scope() as session:
            user = create_user(session, name=name, role=parsed, service_account=service_account, email=address)
            link = issue_link(session, user_id=user.id) if address else None
            typer.echo(f"user {user.name} ({user.role.value}) created, id {user.id}")
    except (UserExists, NotAllowed) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if link:
        typer.echo(f"set-password link (one use, until {link.expires_at:%Y-%m-%d %H:%M} UTC): {link.url}")


@users_app.command("invite")
def users_invite(name: str = typer.Option(..., help="the user's name"),
                 email: str = typer.Option(None, help="set or change the user's sign-in address first")) -> None:
    """A new one-time set-password link for an existing user (their earlier links stop working)."""
    from sqlmodel import select

    from shared.audit.service import OPERATOR, record
    from shared.auth.desk import NoDeskAccess, issue_link
    from shared.db import session_scope
    from shared.models import User

    address = _email_option(email)
    try:
        with session_scope() as session:
            user = session.exec(select(User).where(User.name == name)).first()
            if user is None:
                typer.echo(f"no user named {name!r}", err=True)
                raise typer.Exit(1)
            if user.service_account:
                raise NoDeskAccess("service accounts never sign in to the desk")
            if address and address != user.email:
                if session.exec(select(User).where(User.email == address, User.id != user.id)).first():
                    typer.echo("another user has this email address", err=True)
                    raise typer.Exit(1)
                record(session, entity=user, action="update", actor=OPERATOR, field="email", old=user.email,
                       new=address)
                user.email = address
                session.add(user)
                session.flush()
            link = issue_link(session, user_id=user.id)
    except NoDeskAccess as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"set-password link for {name} (one use, until {link.expires_at:%Y-%m-%d %H:%M} UTC): {link.url}")


@tokens_app.command("create")
def tokens_create(user: str = typer.Option(...),
                  days: int = typer.Option(None, help="expires after this many days (default: never)")) -> None:
    """Create a bearer token for any user (the operator's way to the first admin's token). It is
    printed once, stored only as a hash, and recorded as issued from the command line."""
    from shared.auth.service import UnknownUser, issue_token
    from shared.db import session_scope

    try:
        with session_scope() as session:
            issued = issue_token(session, user_name=user, ttl=timedelta(days=days) if days else None)
    except UnknownUser as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(issued.token)


@app.command("metrics-token")
def metrics_token() -> None:
    """A new scrape token for /metrics: give the token to Prometheus (bearer_token) and put the
    hash line in the API's environment; only the hash is kept there."""
    import hashlib
    import secrets

    token = "rkm_" + secrets.token_urlsafe(32)
    typer.echo(f"token: {token}")
    typer.echo(f"REKISTERI_METRICS_TOKEN_SHA256={hashlib.sha256(token.encode()).hexdigest()}")


@tokens_app.command("revoke")
def tokens_revoke(token_id: int = typer.Argument(...)) -> None:
    """Revoke a token by its id."""
    from shared.auth.service import revoke_token
    from shared.db import session_scope

    with session_scope() as session:
        revoke_token(session, token_id=token_id)  # none: "no such token", exit 1
    typer.echo(f"token {token_id} revoked")


if __name__ == "__main__":
    app()
