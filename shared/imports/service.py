"""Importing companies and contacts from CSV: check every row, upsert the valid ones, report
the rejected ones by line number. All in the caller's transaction: an import job's rows commit
together with the job's success, or not at all.

Reading and checking run in a thread one chunk ahead of the database work, so the checking
(Python) and the upsert (PostgreSQL) overlap; a small first chunk lets the database start early.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from typing import Any, TypeVar

import structlog
from sqlalchemy import Engine
from sqlmodel import Session

from shared.imports.csv_format import ImportFileError
from shared.imports.rows import Chunk, read_chunks
from shared.imports.schemas import ImportKind, ImportOptions
from shared.imports.uploads import discard_content, upload_lines
from shared.imports.upsert import Staging, copy_payload, driver_connection
from shared.jobs.runner import JobContext
from shared.settings import get_settings

log = structlog.get_logger(__name__)

CHUNK_SIZE = 50_000
FIRST_CHUNK_SIZE = 5_000  # checked quickly: the database starts while the next chunk is checked
MAX_REPORTED_ERRORS = 1000
T = TypeVar("T")


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
    checked = read_chunks(kind=kind.value, source=source, options=options, key=key, chunk_size=chunk_size,
                          first_chunk_size=min(chunk_size, FIRST_CHUNK_SIZE))
    with closing(_ahead((chunk, copy_payload(chunk.rows)) for chunk in checked)) as chunks:
        for chunk, payload in chunks:
            inserted, updated, suppressed, refused = staging.write(payload, actor=actor, reason=reason)
            rejected = sorted(chunk.rejected + refused) if refused else chunk.rejected
            _add(summary, chunk, rejected=len(rejected), inserted=inserted, updated=updated,
                 unchanged=len(chunk.rows) - len(refused) - inserted - updated, suppressed=suppressed)
            room = MAX_REPORTED_ERRORS - len(errors)
            errors.extend({"line": line, "reason": why} for line, why in rejected[:max(room, 0)])
            if on_progress is not None and size:
                on_progress(min(99, 100 * chunk.bytes_read // size))
    staging.drop()
    summary["errors"] = errors
    summary["errors_truncated"] = summary["rejected"] > len(errors)
    log.info("imports.imported", kind=kind.value, rows=summary["rows"], inserted=summary["inserted"],
             updated=summary["updated"], rejected=summary["rejected"], suppressed=summary["suppressed"])
    return summary


def _add(summary: dict[str, Any], chunk: Chunk, **counts: int) -> None:
    summary["rows"] += chunk.rows_read
    for name, count in counts.items():
        summary[name] += count


def _ahead(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """The items, produced in a thread up to `depth` ahead of the consumer; its errors re-raised."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple) -> bool:
        while not stop.is_set():
            try:
                handoff.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as exc:  # handed to the consumer, raised there
            put((False, exc))

    thread = threading.Thread(target=produce, name="import-reader", daemon=True)
    thread.start()
    try:
        while True:
            more, item = handoff.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=10)


def run_import_job(session: Session, ctx: JobContext) -> dict[str, Any]:
    """The `imports.run` job: import its stored upload, then empty the stored file."""
    upload_id = uuid.UUID(ctx.payload["upload_id"])
    conn = driver_connection(session)
    row = conn.execute("SELECT kind, options, octet_length(content) FROM import_uploads WHERE id = %s",
                       [upload_id]).fetchone()
    bind = session.get_bind()
    # The file is read on a connection of its own, so reading overlaps the import's statements.
    reader = bind.connect() if isinstance(bind, Engine) else None
    try:
        if row is None:
            raise ImportFileError("the uploaded file is gone")
        kind, options, size = row
        lines = upload_lines(reader.connection.driver_connection if reader else conn, upload_id=upload_id)
        summary = import_file(
            session, kind=ImportKind(kind), source=lines, size=size,
            options=ImportOptions.model_validate(options), actor=f"import:{ctx.job_id}",
            reason=str(ctx.job_id), on_progress=ctx.report_progress,
        )
    except ImportFileError as exc:
        log.warning("imports.file_refused", job_id=str(ctx.job_id), problem=str(exc)[:300])
        raise
    finally:
        if reader is not None:
            reader.close()
    discard_content(conn, upload_id=upload_id)
    return summary

