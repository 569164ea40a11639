"""Imports: upload a CSV file of companies or contacts (the API's own path: `ImportForm` checks the
form, `uploads.create_import` stores the file and queues its job on the worker's bulk queue), then
the import's page: a progress bar while the job runs (a `<meta http-equiv="refresh">`, no script
needed), the summary and the rejected rows with their line numbers and reasons after it, and those
rows as a CSV file (every cell through shared/common/csv_safety.py).

The import's page is addressed by its job's id only: never a file name or a value in a title or a
URL. Staff see the imports they started (admins every one), as GET /v1/jobs/{id} lets them."""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import select
from starlette.datastructures import UploadFile

from services.api.deps import SessionDep
from services.api.pages.desk.auth import Desk, DeskUser
from services.api.pages.desk.forms import Posted
from services.api.pages.rendering import render
from services.api.routes.imports import FORM_OVERHEAD_BYTES
from shared.common.csv_safety import neutralise_row
from shared.i18n import has_label, label, t
from shared.imports import uploads
from shared.imports.schemas import ImportForm, ImportKind
from shared.jobs import kinds
from shared.jobs.service import JobNotFound, get_job
from shared.models import FINAL_JOB_STATUSES, Job, JobStatus, LegalBasis, Purpose, Role, SourceKind
from shared.models.imports import ImportUpload

log = structlog.get_logger(__name__)
router = APIRouter(include_in_schema=False)
MEGABYTES = uploads.MAX_UPLOAD_BYTES // (1024 * 1024)
REFRESH_SECONDS = 2
RECENT = 20
FORM_FIELDS = ("kind", "legal_basis", "purposes", "source", "source_provider", "source_received")


def _choices() -> dict[str, list[str]]:
    return {"kind": [k.value for k in ImportKind], "legal_basis": [b.value for b in LegalBasis],
            "purposes": [p.value for p in Purpose], "source": [s.value for s in SourceKind]}


def _visible_to(desk: Desk) -> int | None:
    """Whose jobs the user sees: admins every one, the others their own (as GET /v1/jobs/{id})."""
    return None if desk.user.role == Role.admin else desk.user.id


def _recent(session, desk: Desk) -> list[Job]:
    query = select(Job).where(Job.kind == kinds.IMPORT).order_by(Job.created_at.desc()).limit(RECENT)
    if (owner := _visible_to(desk)) is not None:
        query = query.where(Job.created_by == owner)
    return list(session.exec(query).all())


def _form_page(request: Request, session, desk: Desk, *, errors=None, values=None, status_code: int = 200):
    return render(request, "desk/imports.html", lang=desk.lang, desk=desk, options=_choices(), megabytes=MEGABYTES,
                  jobs=_recent(session, desk), errors=errors or {}, values=values or {"purposes": []},
                  status_code=status_code)


@router.get("/desk/imports", response_class=HTMLResponse)
def imports(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    return _form_page(request, session, desk)


def _form_errors(error: ValidationError, lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "kind"
        found.setdefault(name if name in FORM_FIELDS else "kind", t(f"imp.error.{name}", lang)
                         if name in FORM_FIELDS else t("imp.error.kind", lang))
    return found


@router.post("/desk/imports", response_class=HTMLResponse,
             max_body_size=uploads.MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES)  # as POST /v1/imports
def upload(request: Request, session: SessionDep, desk: DeskUser, form: Posted) -> Response:
    values: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in FORM_FIELDS if name != "purposes"}
    values["purposes"] = [str(p) for p in form.getlist("purposes")]
    errors: dict[str, str] = {}
    try:
        checked = ImportForm.model_validate(values)
    except ValidationError as error:
        errors = _form_errors(error, desk.lang)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        errors["file"] = t("imp.error.file", desk.lang)
    if errors:
        return _form_page(request, session, desk, errors=errors, values=values, status_code=422)
    try:  # the API's own call, in this request's transaction
        job = uploads.create_import(session, kind=checked.kind, filename=file.filename, file=file.file,
                                    options=checked.options(), created_by=desk.user.id,
                                    request_id=desk.actor.request_id)
    except uploads.EmptyUpload:
        errors = {"file": t("imp.error.file_empty", desk.lang)}
    except uploads.UploadTooLarge:
        errors = {"file": t("imp.error.file_large", desk.lang, mb=MEGABYTES)}
    if errors:
        return _form_page(request, session, desk, errors=errors, values=values, status_code=422)
    log.info("desk.import_uploaded", job_id=str(job.id), kind=checked.kind.value, user_id=desk.user.id)
    return RedirectResponse(f"/desk/imports/{job.id}?lang={desk.lang}", status_code=303)


# -- the rejected rows in the reader's language ------------------------------------------------

_ROW_REASONS = [(re.compile(pattern), key) for pattern, key in (
    (r"required$", "required"),
    (r"longer than (\d+) characters", "too_long"),
    (r"must be one of ", "choice"),
    (r"\d+ unknown; purposes are", "purposes"),
    (r"not a date", "date"),
    (r"must be yes or no", "flag"),
    (r"two-letter country code", "country"),
    (r"appears earlier in the file on line (\d+)", "duplicate"),
    (r"missing, and the import gives no default", "no_default"),
    (r"no company in the register has this business ID", "no_company"),
)]
_WHOLE_ROW = [(re.compile(pattern), key) for pattern, key in (
    (r"the CSV cannot be read", "unreadable"),
    (r"contains a NUL byte", "nul"),
    (r"lines (\d+)–(\d+) were read as one row", "joined"),
    (r"has (\d+) values but the header has (\d+) columns", "width"),
)]
_FILE_REASONS = [(re.compile(pattern), key) for pattern, key in (
    (r"file is empty", "empty"), (r"not UTF-8", "encoding"), (r"not a header row", "header"),
    (r"columns that \w+ imports do not know", "unknown_columns"), (r"more than once", "repeated"),
    (r"lacks required columns", "missing_columns"), (r"gives no default", "no_default"),
    (r"quoted value runs over", "quote"), (r"file is gone", "gone"),
)]


def field_label(column: str, lang: str) -> str:
    """A CSV column by the register's label for its field (company_business_id: the business ID)."""
    name = "business_id" if column == "company_business_id" else column
    return label("field", name, lang) if has_label("field", name) else column


def row_reason(reason: str, lang: str) -> tuple[str, str]:
    """(column label, why) of a rejected row's reason, as `shared/imports` words it (`<column>: <why>`)."""
    column, _, why = reason.partition(": ")
    if column == "row":
        for pattern, key in _WHOLE_ROW:
            if found := pattern.search(why):
                numbers = dict(zip(("n", "m"), found.groups(), strict=False))
                return "", t(f"imp.row.{key}", lang, **numbers)
        return "", t("imp.row.unreadable", lang)
    shown = field_label(column, lang)
    for pattern, key in _ROW_REASONS:
        if found := pattern.search(why):
            return shown, t(f"imp.row.{key}", lang, field=shown, n=found.group(1) if found.groups() else "")
    return shown, t("imp.row.invalid", lang, field=shown)


def file_reason(error: str | None, lang: str) -> str:
    """Why a whole file was refused (the job's error), in the reader's language."""
    for pattern, key in _FILE_REASONS:
        if error and pattern.search(error):
            return t(f"imp.file.{key}", lang)
    return t("imp.file.other", lang)


def _job(session, desk: Desk, job_id: uuid.UUID) -> tuple[Job, str | None]:
    """The import's job (404 for another kind of job, as for none) and its file's name."""
    job = get_job(session, job_id=job_id, visible_to=_visible_to(desk))
    if job.kind != kinds.IMPORT:
        raise JobNotFound("no such job")
    return job, session.exec(select(ImportUpload.filename).where(ImportUpload.job_id == job.id)).first()


@router.get("/desk/imports/{job_id}", response_class=HTMLResponse)
def one_import(request: Request, session: SessionDep, desk: DeskUser, job_id: uuid.UUID) -> HTMLResponse:
    job, filename = _job(session, desk, job_id)
    result = job.result or {}
    rejected = [(e["line"], *row_reason(e["reason"], desk.lang)) for e in result.get("errors", [])]
    return render(request, "desk/import.html", lang=desk.lang, desk=desk, job=job, filename=filename, result=result,
                  rejected=rejected, finished=job.status in FINAL_JOB_STATUSES, refresh=REFRESH_SECONDS,
                  failure=file_reason(job.error, desk.lang) if job.status == JobStatus.failed else None)


@router.get("/desk/imports/{job_id}/rejected.csv")
def rejected_csv(session: SessionDep, desk: DeskUser, job_id: uuid.UUID) -> Response:
    job, _ = _job(session, desk, job_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t("imp.csv.line", desk.lang), t("imp.csv.field", desk.lang), t("imp.csv.why", desk.lang)])
    for entry in (job.result or {}).get("errors", []):
        writer.writerow(neutralise_row([entry["line"], *row_reason(entry["reason"], desk.lang)]))
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="import-{job.id}-rejected.csv"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})
