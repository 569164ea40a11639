"""`rekisteri partners`: operations on the partner registry that have no API route."""

from __future__ import annotations

import typer

from shared.cli.retention import log_to_stderr

partners_app = typer.Typer(help="Partners: re-sealing their shared secrets after a key rotation.",
                           no_args_is_help=True)


partners_app.callback()(log_to_stderr)


@partners_app.command("rotate-secrets")
def rotate_secrets_command() -> None:
    """Re-seal every stored partner secret under the current key (REKISTERI_SEALING_KEY_ID).
    Run it after making a new key current; drop the old key from REKISTERI_SEALING_KEYS only after."""
    from shared.audit.service import Actor
    from shared.db import session_scope
    from shared.partners.crypto import KeyringError
    from shared.partners.service import rotate_secrets

    try:
        with session_scope() as session:
            counts = rotate_secrets(session, actor=Actor(label="cli:partners rotate-secrets"))
    except KeyringError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"key {counts['key_id']}: re-sealed {counts['resealed']}, already current {counts['current']}, "
               f"unreadable {counts['unreadable']}")
    if counts["unreadable"]:
        typer.echo("some secrets open under no configured key: add the key they were sealed under and run again",
                   err=True)
        raise typer.Exit(1)
