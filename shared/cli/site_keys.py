"""`rekisteri site-keys`: keys for the websites that send behaviour events."""

from __future__ import annotations

import typer

site_keys_app = typer.Typer(help="Site keys for websites sending events (POST /v1/web-events).",
                            no_args_is_help=True)


@site_keys_app.callback()
def _log_to_stderr() -> None:
    """Log lines go to stderr (redacted), so stdout carries only the answer: `KEY=$(… create …)`."""
    from shared.logging import configure_logging
    from shared.settings import get_settings

    settings = get_settings()
    configure_logging(service="cli", level=settings.log_level, fmt=settings.effective_log_format)


@site_keys_app.command("create")
def site_keys_create(site: str = typer.Option(..., help="the website, e.g. www.jetmasters.fi"),
                     origin: list[str] = typer.Option([], "--origin", help=(
                         "a web origin whose pages send events with this key from the browser, e.g. "
                         "https://www.jetmasters.fi (repeat for more; none: only servers may use the key)"))) -> None:
    """Create a key for a website. It is printed once and stored only as a hash."""
    from pydantic import ValidationError

    from shared.db import session_scope
    from shared.web_events.schemas import SiteKeyCreate
    from shared.web_events.service import create_site_key

    try:
        data = SiteKeyCreate(site=site, origins=origin)
    except ValidationError as exc:
        error = exc.errors()[0]
        if error["loc"][0] == "origins":
            raise typer.BadParameter(f"{origin[error['loc'][1]]!r}: {error['msg'].removeprefix('Value error, ')}",
                                     param_hint="--origin") from None
        raise typer.BadParameter("1-100 characters of letters, digits and . _ : -", param_hint="--site") from None
    with session_scope() as session:
        key, _ = create_site_key(session, site=data.site, origins=data.origins)
    typer.echo(key)


@site_keys_app.command("revoke")
def site_keys_revoke(key_id: int = typer.Argument(..., help="the key's id (see `list`)")) -> None:
    """Revoke a site key; its website's events are refused from now on."""
    from shared.db import session_scope
    from shared.web_events.service import revoke_site_key

    with session_scope() as session:
        revoke_site_key(session, key_id=key_id)  # none: "no such site key", exit 1
    typer.echo(f"site key {key_id} revoked")


@site_keys_app.command("list")
def site_keys_list() -> None:
    """Every site key: id, site, created, revoked, origins (never the key itself)."""
    from shared.db import session_scope
    from shared.web_events.service import list_site_keys

    with session_scope() as session:
        keys = list_site_keys(session)
        for key in keys:
            revoked = key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "active"
            typer.echo(f"{key.id}\t{key.site}\t{key.created_at.isoformat(timespec='seconds')}\t{revoked}\t"
                       f"{' '.join(key.origins) or '-'}")
