"""Uploaded import files: stored with their job in one transaction, read back in slices."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import PurePath

import psycopg
from sqlmodel import Session

from shared.imports.schemas import ImportKind, ImportOptions
from shared.jobs import kinds
from shared.jobs.service import create_job
from shared.models import Job
from shared.models.imports import ImportUpload
from shared.common.errors import TooLarge

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
READ_SLICE_BYTES = 8 * 1024 * 1024


class UploadTooLarge(TooLarge):
    """The file is larger than MAX_UPLOAD_BYTES."""


def create_import(session: Session, *, kind: ImportKind, filename: str, content: bytes,
                  options: ImportOptions, created_by: int | None = None,
                  request_id: str | None = None) -> Job:
    """Store the file and queue its import job in the caller's transaction."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    upload_id = uuid.uuid4()
    job = create_job(session, kind=kinds.IMPORT, payload={"upload_id": str(upload_id), "kind": kind.value},
                     request_id=request_id, created_by=created_by)
    session.add(ImportUpload(id=upload_id, job_id=job.id, kind=kind.value,
                             filename=PurePath((filename or "").replace("\\", "/")).name[-255:] or "upload.csv",
                             content=content, options=options.model_dump(mode="json")))
    session.flush()
    return job


def upload_lines(conn: psycopg.Connection, *, upload_id: uuid.UUID,
                 slice_bytes: int = READ_SLICE_BYTES) -> Iterator[bytes]:
    """The stored file's lines (split on LF, ends kept), read a slice at a time."""
    pending = b""
    offset = 1
    while True:
        (piece,) = conn.execute("SELECT substring(content FROM %s FOR %s) FROM import_uploads WHERE id = %s",
                                [offset, slice_bytes, upload_id]).fetchone()
        if not piece:
            break
        offset += len(piece)
        for line in io.BytesIO(pending + piece):
            if line.endswith(b"\n"):
                yield line
            else:
                pending = line
                break
        else:
            pending = b""
    if pending:
        yield pending


def discard_content(conn: psycopg.Connection, *, upload_id: uuid.UUID) -> None:
    """Empty the stored file (personal data) once it is imported; its metadata stays."""
    conn.execute("UPDATE import_uploads SET content = ''::bytea WHERE id = %s", [upload_id])
