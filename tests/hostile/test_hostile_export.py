"""Hostile values stored in the register reach a person's access answer as data: the readable
answer.html escapes markup (no script runs when the person opens it), data.json keeps the
exact value, and a spreadsheet formula stays text in both (neither is a CSV)."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

from sqlmodel import Session, select

from support import auth
from shared.jobs.runner import run_job
from shared.models import AccessExport
from shared.subject_requests.access_export import build_access_export
from factories import PROVENANCE

FORMULA = "=cmd|' /C calc'!A0"
MARKUP = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_an_access_answer_escapes_markup_and_keeps_formulas_as_data(api, engine, role_tokens):
    email = f"vihamielinen.{uuid.uuid4().hex[:8]}@example.fi"
    created = api.post("/v1/contacts", headers=auth(role_tokens["sales"]), json={
        "first_name": FORMULA, "last_name": "Tester", "email": email, "position": MARKUP, **PROVENANCE})
    assert created.status_code == 201, created.text
    request = api.post("/v1/subject-requests", headers=auth(role_tokens["privacy"]), json={
        "kind": "access", "email": email, "channel": "email", "verification_method": "reply from the address",
        "language": "en"})
    assert request.status_code == 201, request.text
    assert run_job(request.json()["job_id"], build_access_export) == "succeeded"
    with Session(engine) as s:
        export = s.exec(select(AccessExport).where(AccessExport.request_id == uuid.UUID(request.json()["id"]))).one()
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    answer = archive.read("answer.html").decode()
    data = json.loads(archive.read("data.json"))
    assert {FORMULA, MARKUP} <= set(_strings(data))  # the exact values, as data
    assert "<script>alert" not in answer and "<img src=x" not in answer
    assert "&lt;script&gt;alert(" in answer and "onerror=alert(1)&gt;" in answer
    assert FORMULA.replace("'", "&#x27;") in answer or FORMULA in answer  # shown as text
