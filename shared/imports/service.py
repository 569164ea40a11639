"""Importing companies and contacts from CSV: check every row, upsert the valid ones, report
the rejected ones by line number. All in the caller's transaction: an import job's rows commit
together with the job's success, or not at all."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

import structlog
from sqlalchemy import update
from sqlmodel import Session

from shared.db import session_scope
from shared.imports.csv_format import ImportFileError
from shared.imports.rows import read_chunks
from shared.imports.schemas import ImportKind, ImportOptions
from shared.imports.upsert import Staging, driver_connection
from shared.imports.uploads import discard_content, upload_lines
from shared.jobs.runner import JobContext
from shared.models import Job
from shared.settings import get_settings

log = structlog.get_logger(__name__)

CHUNK_SIZE = 50_000
MAX_REPORTED_ERRORS = 1000


def import_file(session: Session, *, kind: ImportKind, source: Iterable[bytes], size: int | None,
                options: ImportOptions, actor: str, reason: str | None = None,
                on_progress: Callable[[int], None] | None = None,
                chunk_size: int = CHUNK_SIZE) -> dict[str, Any]:
    """Import the CSV read from `source` (its lines as bytes); the summary of what happened."""
    key = get_settings().secret_key.get_secret_value().encode()
    staging = Staging(driver_connection(session), kind.value)
    summary: dict[str, Any] = {"kind": kind.value, "rows": 0, "inserted": 0, "updated": 0,
                               "unchanged": 0, "rejected": 0, "suppressed": 0}
    errors: list[dict[str, Any]] = []
    for chunk in read_chunks(kind=kind.value, source=source, options=options, key=key,
                             chunk_size=chunk_size):
        rejected = chunk.rejected
        if kind == ImportKind.contacts and (unknown := staging.resolve_companies(chunk.rows)):
            rejected = sorted(rejected + unknown)
        inserted, updated, suppressed = staging.write(chunk.rows, actor=actor, reason=reason)
        summary["rows"] += chunk.rows_read
        summary["inserted"] += inserted
        summary["updated"] += updated
        summary["unchanged"] += len(chunk.rows) - inserted - updated
        summary["rejected"] += len(rejected)
        summary["suppressed"] += suppressed
        errors.extend({"line": line, "reason": why} for line, why in rejected[:MAX_REPORTED_ERRORS - len(errors)])
        if on_progress is not None and size:
            on_progress(min(99, 100 * chunk.bytes_read // size))
    staging.drop()
    summary["errors"] = errors
    summary["errors_truncated"] = summary["rejected"] > len(errors)
    log.info("imports.imported", kind=kind.value, rows=summary["rows"], inserted=summary["inserted"],
             updated=summary["updated"], rejected=summary["rejected"], suppressed=summary["suppressed"])
    return summary


def run_import_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """The `imports.run` job: import its stored upload, then empty the stored file."""
    upload_id = uuid.UUID(ctx.payload["upload_id"])
    conn = driver_connection(session)
    row = conn.execute("SELECT kind, options, octet_length(content) FROM import_uploads WHERE id = %s",
                       [upload_id]).fetchone()
    try:
        if row is None:
            raise ImportFileError("the uploaded file is gone")
        kind, options, size = row
        summary = import_file(
            session, kind=ImportKind(kind), source=upload_lines(conn, upload_id=upload_id), size=size,
            options=ImportOptions.model_validate(options), actor=f"import:{ctx.job_id}",
            reason=str(ctx.job_id), on_progress=ctx.report_progress,
        )
    except ImportFileError as exc:
        log.warning("imports.file_refused", job_id=str(ctx.job_id), problem=str(exc)[:200])
        _give_up(ctx.job_id)
        raise
    discard_content(conn, upload_id=upload_id)
    return summary


def _give_up(job_id: uuid.UUID) -> None:
    """A file that cannot be imported will not become importable by retrying: make this
    attempt the last one (the runner then marks the job failed instead of retrying)."""
    with session_scope() as other:
        other.execute(update(Job).where(Job.id == job_id).values(max_attempts=Job.attempts))


__all__ = ["CHUNK_SIZE", "ImportFileError", "import_file", "run_import_job"]
