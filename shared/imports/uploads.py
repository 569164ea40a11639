"""Uploaded import files: stored with their job in one transaction, read back in slices.

A file of up to 200 MB never sits in a process's memory: the API gets it spooled to disk by the
multipart parser, and it goes from there to PostgreSQL in chunks through a binary COPY."""

from __future__ import annotations

import io
import struct
import uuid
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

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
COPY_CHUNK_BYTES = 1024 * 1024
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)


class UploadTooLarge(TooLarge):
    """The file is larger than MAX_UPLOAD_BYTES."""


class EmptyUpload(ValueError):
    pass


def _size(file: BinaryIO) -> int:
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    return size


def _blank(file: BinaryIO) -> bool:
    """Only whitespace (read a chunk at a time, back at the start afterwards)."""
    try:
        while chunk := file.read(COPY_CHUNK_BYTES):
            if chunk.strip():
                return False
        return True
    finally:
        file.seek(0)


def _copy_content(session: Session, *, upload_id: uuid.UUID, file: BinaryIO, size: int) -> None:
    """The file into the upload's row a chunk at a time: one bytea field in a binary COPY into a
    temporary table, then moved over by the database."""
    conn = session.connection().connection.driver_connection
    table = f"upload_{upload_id.hex}"
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE TEMPORARY TABLE "{table}" (content bytea NOT NULL) ON COMMIT DROP')
        with cursor.copy(f'COPY "{table}" (content) FROM STDIN (FORMAT BINARY)') as copy:
            copy.write(_COPY_HEADER + struct.pack("!hi", 1, size))
            while chunk := file.read(COPY_CHUNK_BYTES):
                copy.write(chunk)
            copy.write(struct.pack("!h", -1))
        cursor.execute(f'UPDATE import_uploads SET content = (SELECT content FROM "{table}") WHERE id = %s',
                       [upload_id])
        cursor.execute(f'DROP TABLE "{table}"')


def create_import(session: Session, *, kind: ImportKind, filename: str, file: BinaryIO,
                  options: ImportOptions, created_by: int | None = None,
                  request_id: str | None = None) -> Job:
    """Store the file (a seekable binary file, read in chunks) and queue its import job in the
    caller's transaction. UploadTooLarge past MAX_UPLOAD_BYTES, EmptyUpload for nothing but blanks."""
    size = _size(file)
    if size > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if _blank(file):
        raise EmptyUpload("the file is empty")
    upload_id = uuid.uuid4()
    job = create_job(session, kind=kinds.IMPORT, payload={"upload_id": str(upload_id), "kind": kind.value},
                     request_id=request_id, created_by=created_by)
    session.add(ImportUpload(id=upload_id, job_id=job.id, kind=kind.value,
                             filename=PurePath((filename or "").replace("\\", "/")).name[-255:] or "upload.csv",
                             content=b"", options=options.model_dump(mode="json")))
    session.flush()
    _copy_content(session, upload_id=upload_id, file=file, size=size)
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
