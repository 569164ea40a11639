"""Bulk import: upload a CSV file of companies or contacts; a job on the bulk queue imports it.

The multipart form is read here, bounded by the upload limit (this route's own body limit, above
the app-wide one), without python-multipart (not a dependency of the project): the body is read
up to the limit (413 past it), then split on its boundary. Follow the job with GET /v1/jobs/{id}: progress while it runs, the summary after.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from services.api.authz import CurrentUser
from services.api.deps import RequestId, SessionDep
from shared.imports import uploads
from shared.imports.schemas import ImportForm, ImportKind
from shared.jobs.schemas import JobPublic
from shared.models import Job, LegalBasis, Purpose, SourceKind

router = APIRouter(prefix="/v1/imports", tags=["imports"])

FORM_OVERHEAD_BYTES = 64 * 1024  # the form's other fields and part headers, past the file limit

_FORM_SCHEMA = {
    "type": "object",
    "required": ["kind", "file"],
    "properties": {
        "kind": {"type": "string", "enum": [k.value for k in ImportKind]},
        "file": {"type": "string", "format": "binary", "description": "the CSV file (UTF-8)"},
        "legal_basis": {"type": "string", "enum": [v.value for v in LegalBasis]},
        "purposes": {"type": "string", "description": "separated by | or ; (or repeat the field): "
                     + ", ".join(v.value for v in Purpose)},
        "source": {"type": "string", "enum": [v.value for v in SourceKind]},
        "source_provider": {"type": "string", "maxLength": 200},
        "source_received": {"type": "string", "format": "date"},
    },
}


@router.post("", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Import companies or contacts from a CSV file (a job on the bulk queue)",
             # above the app-wide body limit: an upload may be up to MAX_UPLOAD_BYTES
             max_body_size=uploads.MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES,
             openapi_extra={"requestBody": {"required": True,
                                            "content": {"multipart/form-data": {"schema": _FORM_SCHEMA}}}})
async def create_import(request: Request, session: SessionDep, request_id: RequestId,
                        user: CurrentUser) -> Job:
    fields, (filename, content) = await _read_form(request)
    form = _validated(fields)
    return await run_in_threadpool(
        uploads.create_import, session, kind=form.kind, filename=filename, content=content,
        options=form.options(), created_by=user.id, request_id=request_id,
    )


def _too_large() -> HTTPException:
    return HTTPException(status.HTTP_413_CONTENT_TOO_LARGE,
                         detail=f"the file is larger than {uploads.MAX_UPLOAD_BYTES // (1024 * 1024)} MB")


def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("body", field), "msg": message,
                                    "input": None}])


async def _read_form(request: Request) -> tuple[dict[str, list[str]], tuple[str, bytes]]:
    """The form's text fields and its file, or 413 / 422."""
    limit = uploads.MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large()
    boundary = re.search(r'boundary="?([^";]+)"?', request.headers.get("content-type", ""))
    if not request.headers.get("content-type", "").startswith("multipart/form-data") or not boundary:
        raise _invalid("file", "send a multipart/form-data form with the CSV in the field `file`")
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > limit:
            raise _too_large()
    fields, files = _parse_multipart(body, boundary.group(1).encode("latin-1"))
    if "file" not in files:
        raise RequestValidationError([{"type": "missing", "loc": ("body", "file"), "msg": "Field required",
                                       "input": None}])
    if len(files["file"][1]) > uploads.MAX_UPLOAD_BYTES:
        raise _too_large()
    if not files["file"][1].strip():
        raise _invalid("file", "the file is empty")
    return fields, files["file"]


_PARAM = re.compile(r'(\w+)="([^"]*)"')


def _parse_multipart(body: bytearray, boundary: bytes) -> tuple[dict[str, list[str]], dict[str, tuple[str, bytes]]]:
    """Split a multipart/form-data body (RFC 7578) into text fields and files."""
    delimiter = b"--" + boundary
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    view = memoryview(body)
    position = body.find(delimiter)
    if position < 0:
        raise _invalid("file", "the multipart form has no parts")
    while body[position + len(delimiter):position + len(delimiter) + 2] != b"--":
        head_start = position + len(delimiter) + 2
        head_end = body.find(b"\r\n\r\n", head_start)
        end = body.find(b"\r\n" + delimiter, head_end + 4) if head_end >= 0 else -1
        if end < 0:
            raise _invalid("file", "the multipart form is cut short")
        headers = bytes(view[head_start:head_end]).decode("utf-8", "replace")
        disposition = next((h for h in headers.split("\r\n") if h.lower().startswith("content-disposition")), "")
        params = dict(_PARAM.findall(disposition))
        name = params.get("name", "")
        if "filename" in params:
            files[name] = (params["filename"], bytes(view[head_end + 4:end]))
        else:
            fields.setdefault(name, []).append(bytes(view[head_end + 4:end]).decode("utf-8", "replace"))
        position = end + 2
    view.release()
    return fields, files


def _validated(fields: dict[str, list[str]]) -> ImportForm:
    data = {name: values if name == "purposes" else values[-1] for name, values in fields.items()}
    try:
        return ImportForm.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]) from None
