"""`rekisteri import companies|contacts FILE`: store the file, queue its import job, follow it.

The file is stored and the job created in one transaction (as the API does); a worker imports
it. Without --no-wait the command shows the job's progress until it finishes, then the summary.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from shared.cli.follow import wait_for_success

from shared.imports.schemas import ImportKind
from shared.models.provenance import LegalBasis, SourceKind

import_app = typer.Typer(help="Bulk import from CSV files (a job on the bulk queue).", no_args_is_help=True)

SHOWN_REJECTIONS = 20

_FILE = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="a UTF-8 CSV file with a header row")
_LEGAL = typer.Option(None, "--legal-basis", help="default legal basis for rows without one")
_SOURCE = typer.Option(None, "--source", help="default source for rows without one")
_PROVIDER = typer.Option(None, "--source-provider", help="who gave us the data")
_PURPOSES = typer.Option(None, "--purposes", help="default purposes, separated by | or ;")
_RECEIVED = typer.Option(None, "--source-received", help="when the data was received (YYYY-MM-DD)")
_NO_WAIT = typer.Option(False, "--no-wait", help="print the job id and return at once")


@import_app.command("companies")
def import_companies(file: Path = _FILE, legal_basis: LegalBasis = _LEGAL, source: SourceKind = _SOURCE,
                     source_provider: str = _PROVIDER, purposes: str = _PURPOSES,
                     source_received: str = _RECEIVED, no_wait: bool = _NO_WAIT) -> None:
    """Import companies (matched on business ID)."""
    _import(ImportKind.companies, file, legal_basis, source, source_provider, purposes, source_received, no_wait)


@import_app.command("contacts")
def import_contacts(file: Path = _FILE, legal_basis: LegalBasis = _LEGAL, source: SourceKind = _SOURCE,
                    source_provider: str = _PROVIDER, purposes: str = _PURPOSES,
                    source_received: str = _RECEIVED, no_wait: bool = _NO_WAIT) -> None:
    """Import contacts (matched on email)."""
    _import(ImportKind.contacts, file, legal_basis, source, source_provider, purposes, source_received, no_wait)


def _import(kind: ImportKind, file: Path, legal_basis: LegalBasis | None, source: SourceKind | None,
            source_provider: str | None, purposes: str | None, source_received: str | None,
            no_wait: bool) -> None:
    from pydantic import ValidationError

    from shared.db import session_scope
    from shared.imports.schemas import ImportOptions
    from shared.imports.uploads import MAX_UPLOAD_BYTES, EmptyUpload, create_import

    if file.stat().st_size > MAX_UPLOAD_BYTES:
        typer.echo(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", err=True)
        raise typer.Exit(2)
    try:
        options = ImportOptions(legal_basis=legal_basis, source=source, source_provider=source_provider,
                                purposes=purposes, source_received=_day(source_received))
    except ValidationError as exc:
        raise typer.BadParameter("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                           for e in exc.errors())) from None
    with session_scope() as session, file.open("rb") as stream:
        try:
            job = create_import(session, kind=kind, filename=file.name, file=stream, options=options)
        except EmptyUpload as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        job_id = job.id
    if no_wait:
        typer.echo(str(job_id))
        return
    typer.echo(f"import job {job_id} queued (Ctrl-C stops waiting, not the import)")
    job = wait_for_success(job_id, what="import")
    _print_summary(job.result or {})


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("--source-received: use YYYY-MM-DD") from None


def _print_summary(result: dict) -> None:
    typer.echo(f"{result.get('rows', 0)} rows: {result.get('inserted', 0)} new, "
               f"{result.get('updated', 0)} updated, {result.get('unchanged', 0)} unchanged, "
               f"{result.get('rejected', 0)} rejected")
    if result.get("suppressed"):
        typer.echo(f"{result['suppressed']} on the suppression list: imported as objecting to direct marketing")
    errors = result.get("errors", [])
    for error in errors[:SHOWN_REJECTIONS]:
        typer.echo(f"  line {error['line']}: {error['reason']}")
    if result.get("rejected", 0) > SHOWN_REJECTIONS:
        typer.echo(f"  … and {result['rejected'] - SHOWN_REJECTIONS} more "
                   f"(GET /v1/jobs/<id> lists the first {len(errors)})")
