"""Bulk import: upload a CSV file of companies or contacts; a job on the bulk queue imports it.
Follow the job with GET /v1/jobs/{id}: progress while it runs, the summary after."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from services.api.authz import CurrentUser
from services.api.deps import RequestId, SessionDep
from shared.imports import uploads
from shared.imports.schemas import ImportForm, ImportKind
from shared.jobs.schemas import JobPublic
from shared.models import Job, LegalBasis, SourceKind

router = APIRouter(prefix="/v1/imports", tags=["imports"])

FORM_OVERHEAD_BYTES = 64 * 1024  # the form's other fields and part headers, past the file limit


@router.post("", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED,
             summary="Import companies or contacts from a CSV file (a job on the bulk queue)",
             max_body_size=uploads.MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES)  # above the app-wide limit
def create_import(
    session: SessionDep, request_id: RequestId, user: CurrentUser,
    kind: Annotated[ImportKind, Form()],
    file: Annotated[UploadFile, File(description="the CSV file (UTF-8); columns in shared/imports/csv_format.py")],
    legal_basis: Annotated[LegalBasis | None, Form()] = None,
    purposes: Annotated[list[str] | None, Form(description="separated by | or ; (or repeat the field)")] = None,
    source: Annotated[SourceKind | None, Form()] = None,
    source_provider: Annotated[str | None, Form(max_length=200)] = None,
    source_received: Annotated[date | None, Form()] = None,
) -> Job:
    try:
        form = ImportForm.model_validate({"kind": kind, "legal_basis": legal_basis, "purposes": purposes,
                                          "source": source, "source_provider": source_provider,
                                          "source_received": source_received})
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None
    try:  # file.file: spooled to disk by the multipart parser, copied on in chunks (never whole in memory)
        return uploads.create_import(session, kind=form.kind, filename=file.filename or "upload.csv", file=file.file,
                                     options=form.options(), created_by=user.id, request_id=request_id)
    except uploads.EmptyUpload as exc:
        raise RequestValidationError([{"type": "value_error", "loc": ("body", "file"), "msg": str(exc)}]) from None
