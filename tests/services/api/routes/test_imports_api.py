"""POST /v1/imports in-process (TestClient) on the real test database and Redis; the job is run
in-process with the runner (no worker needed), then read back with GET /v1/jobs/{id}."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from testdata import synthetic
from support import auth, staff_token
from shared.imports import uploads
from shared.imports.service import run_import_job
from shared.jobs.runner import run_job
from shared.models import Job, JobStatus, Role
from shared.models.imports import ImportUpload


def _csv(header, rows) -> bytes:
    return ("\n".join(",".join(row) for row in [header, *rows]) + "\n").encode()


FORM = {"legal_basis": "relevant_connection", "source": "directory_service",
        "source_provider": "Test directory", "purposes": "sales_marketing|customer_service"}


def test_an_upload_becomes_a_job_whose_summary_its_creator_can_read(api, engine):
    sales = auth(staff_token(engine, Role.sales))
    companies = [list(c) for c in synthetic.companies(2, seed=201)]
    people = [list(c) for c in synthetic.contacts(3, seed=201, companies=2)]
    people[1][3] = "not a phone"
    for kind, content in (("companies", _csv(synthetic.COMPANY_HEADER, companies)),
                          ("contacts", _csv(synthetic.CONTACT_HEADER, people))):
        response = api.post("/v1/imports", headers={**sales, "X-Request-ID": f"import-{kind}"},
                               data={**FORM, "kind": kind}, files={"file": (f"{kind}.csv", content, "text/csv")})
        assert response.status_code == 202, response.text
        job = response.json()
        assert (job["kind"], job["queue"], job["status"], job["request_id"]) == ("imports.run", "bulk", "pending",
                                                                                 f"import-{kind}")
        with Session(engine) as session:
            upload = session.exec(select(ImportUpload).where(ImportUpload.job_id == uuid.UUID(job["id"]))).one()
            assert (upload.kind, upload.filename, upload.content) == (kind, f"{kind}.csv", content)
            assert upload.options["purposes"] == ["sales_marketing", "customer_service"]
            assert session.get(Job, uuid.UUID(job["id"])).payload == {"upload_id": str(upload.id), "kind": kind}
        assert run_job(job["id"], run_import_job) == "succeeded"

    shown = api.get(f"/v1/jobs/{job['id']}", headers=sales)
    assert shown.status_code == 200
    body = shown.json()
    assert body["status"] == "succeeded" and body["progress"] == 100
    assert body["result"] | {"errors": None} == {
        "kind": "contacts", "rows": 3, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1,
        "suppressed": 0, "errors": None, "errors_truncated": False}
    assert body["result"]["errors"] == [{"line": 3, "reason": "phone: not a phone number"}]
    other = auth(staff_token(engine, Role.marketing))
    assert api.get(f"/v1/jobs/{job['id']}", headers=other).status_code == 404  # not theirs


def test_an_oversized_file_is_413(api, engine, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    sales = auth(staff_token(engine, Role.sales))
    content = _csv(synthetic.CONTACT_HEADER, [list(c) for c in synthetic.contacts(40, seed=202)])
    assert len(content) > 1000
    response = api.post("/v1/imports", headers=sales, data={**FORM, "kind": "contacts"},
                           files={"file": ("big.csv", content, "text/csv")})
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_an_upload_may_be_larger_than_the_app_wide_body_limit(services_env, engine, monkeypatch):
    from shared.settings import get_settings

    monkeypatch.setenv("REKISTERI_MAX_BODY_BYTES", "2048")
    get_settings.cache_clear()
    try:
        from services.api.main import create_app

        app = create_app()
        content = _csv(synthetic.COMPANY_HEADER, [list(c) for c in synthetic.companies(60, seed=203)])
        assert len(content) > 4096
        with TestClient(app) as api:
            response = api.post("/v1/imports", headers=auth(staff_token(engine, Role.marketing)),
                                   data={**FORM, "kind": "companies"},
                                   files={"file": ("c.csv", content, "text/csv")})
            assert response.status_code == 202, response.text
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("data, files, field", [
    ({"kind": "invoices"}, {"file": ("a.csv", b"name\nx\n", "text/csv")}, "kind"),
    ({}, {"file": ("a.csv", b"name\nx\n", "text/csv")}, "kind"),
    ({"kind": "contacts"}, None, "file"),
    ({"kind": "contacts"}, {"file": ("a.csv", b"", "text/csv")}, "file"),
    ({"kind": "contacts", "legal_basis": "because"}, {"file": ("a.csv", b"name\nx\n", "text/csv")}, "legal_basis"),
    ({"kind": "contacts", "purposes": "spam"}, {"file": ("a.csv", b"name\nx\n", "text/csv")}, "purposes"),
])
def test_a_bad_form_is_422_naming_the_field(api, engine, data, files, field):
    sales = auth(staff_token(engine, Role.sales))
    if files is None:
        response = api.post("/v1/imports", headers=sales, data=data,
                               files={"other": ("a.csv", b"x", "text/csv")})
    else:
        response = api.post("/v1/imports", headers=sales, data=data, files=files)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][:2] == ["body", field]


def test_not_a_form_is_422(api, engine):
    response = api.post("/v1/imports", headers={**auth(staff_token(engine, Role.sales)), "Content-Type": "text/csv"},
                           content=b"name\nx\n")
    assert response.status_code == 422
    assert {tuple(e["loc"][:2]) for e in response.json()["detail"]} >= {("body", "file")}


@pytest.mark.parametrize("role, reason, expected", [
    (Role.admin, None, 403),
    (Role.privacy, None, 403),
    (Role.admin, "importing the fair leads for sales", 202),
])
def test_who_may_import(api, engine, role, reason, expected):
    headers = auth(staff_token(engine, role))
    if reason:
        headers["X-Access-Reason"] = reason
    response = api.post("/v1/imports", headers=headers, data={**FORM, "kind": "companies"},
                           files={"file": ("c.csv", b"name\nRole Test Oy\n", "text/csv")})
    assert response.status_code == expected, response.text
    if expected == 202:
        with Session(engine) as session:
            job = session.get(Job, uuid.UUID(response.json()["id"]))
            assert job.status == JobStatus.pending and job.created_by is not None


def test_the_route_is_documented_as_a_multipart_form(api):
    spec = api.get("/openapi.json").json()
    ref = spec["paths"]["/v1/imports"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    body = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(body["required"]) == {"kind", "file"}
    assert body["properties"]["file"].get("format") == "binary" or body["properties"]["file"].get(
        "contentMediaType") == "application/octet-stream"
