"""Imports on the desk: a CSV uploaded through the form becomes the API's import job; its page shows
progress while the job runs (a refresh without script), then the summary and the rejected rows by
line number in the reader's language, downloadable as a CSV with formula-looking cells quoted.
A bad form is shown again with each error at its field; the roles of POST /v1/imports apply."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from sqlmodel import Session, select

from desk_support import csrf, make_staff, sign_in
from language_check import assert_one_language, visible_text
from shared.i18n import t
from shared.imports.service import run_import_job
from shared.jobs.runner import run_job
from shared.models import Contact, Job, JobStatus, Role
from shared.models.imports import ImportUpload

HEADER = "first_name,last_name,email,phone\n"


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def _upload(client, page_html: str, content: bytes | None, lang: str = "en", **fields):
    data = {"csrf": csrf(page_html), "kind": "contacts", "legal_basis": "consent", "source": "data_subject",
            "purposes": ["sales_marketing"], **fields}
    files = {"file": ("asiakkaat.csv", content, "text/csv")} if content is not None else None
    return client.post(f"/desk/imports?lang={lang}", data=data, files=files, follow_redirects=False)


def test_an_upload_becomes_a_job_whose_page_shows_progress_then_the_rejected_rows(desk_client, engine):
    tag = uuid.uuid4().hex[:8]
    content = _file(f"Maija,Mäki,maija.{tag}@example.fi,",
                    f"Pekka,Puro,ei-osoite-{tag},",  # line 3: not an address
                    f"=HYPERLINK(1),Kallio,k.{tag}@example.fi,+358401234567",  # valid: a name is a name
                    f"Liisa,,liisa.{tag}@example.fi,",  # line 5: no last name
                    f"Maija,Mäki,maija.{tag}@example.fi,")  # line 6: the address again
    staff = make_staff(engine, Role.sales)
    page = sign_in(desk_client, staff)
    form = desk_client.get("/desk/imports?lang=fi")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    assert_one_language(visible_text(form.text), "fi", allowed={"sales", "CSV", "UTF"})
    done = _upload(desk_client, page.text, content)
    assert done.status_code == 303, done.text[:3000]
    location = done.headers["location"]
    job_id = uuid.UUID(location.split("/desk/imports/")[1].split("?")[0])
    assert tag not in location and "asiakkaat" not in location  # nothing of the file in the URL
    with Session(engine) as s:
        job = s.get(Job, job_id)
        assert job.created_by == staff.id and job.status == JobStatus.pending
        assert s.exec(select(ImportUpload.filename).where(ImportUpload.job_id == job_id)).one() == "asiakkaat.csv"

    waiting = desk_client.get(f"/desk/imports/{job_id}?lang=fi")
    assert waiting.status_code == 200
    assert '<meta http-equiv="refresh"' in waiting.text and "<progress" in waiting.text
    assert tag not in waiting.text.split("<title>")[1].split("</title>")[0]

    assert run_job(str(job_id), run_import_job) == "succeeded"
    finished = desk_client.get(f"/desk/imports/{job_id}?lang=fi")
    assert 'http-equiv="refresh"' not in finished.text
    assert 'data-count="inserted">2<' in finished.text and 'data-count="rejected">3<' in finished.text
    text = visible_text(finished.text)
    assert_one_language(text, "fi", allowed={"sales", "CSV", "UTF"})
    assert t("imp.row.invalid", "fi", field="Sähköposti") in text
    assert t("imp.row.required", "fi", field="Sukunimi") in text
    assert t("imp.row.duplicate", "fi", field="Sähköposti", n=2) in text
    assert f"ei-osoite-{tag}" not in finished.text  # a reason never repeats the value

    download = desk_client.get(f"/desk/imports/{job_id}/rejected.csv?lang=en")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0] == ["line", "column", "reason"]
    assert [r[0] for r in rows[1:]] == ["3", "5", "6"]
    assert rows[2] == ["5", "Last name", "Last name: missing"]
    with Session(engine) as s:
        kallio = s.exec(select(Contact).where(Contact.email == f"k.{tag}@example.fi")).one()
    assert kallio.first_name == "=HYPERLINK(1)"


def test_a_refused_file_says_why_in_the_readers_language(desk_client, engine):
    page = sign_in(desk_client, make_staff(engine, Role.marketing))
    done = _upload(desk_client, page.text, b"nimi;puhelin\nMaija;0401234567\n", lang="sv")
    job_id = done.headers["location"].split("/desk/imports/")[1].split("?")[0]
    assert run_job(job_id, run_import_job) == "failed"
    shown = desk_client.get(f"/desk/imports/{job_id}?lang=sv")
    assert t("imp.failed", "sv", why=t("imp.file.header", "sv")) in visible_text(shown.text)
    assert_one_language(visible_text(shown.text), "sv", allowed={"marketing", "CSV", "UTF"})


@pytest.mark.parametrize(("fields", "content", "field"), [
    ({"kind": ""}, _file("A,B,a@example.fi,"), "kind"),
    ({}, None, "file"),
    ({}, b"  \n \n", "file"),
    ({"legal_basis": "because"}, _file("A,B,a@example.fi,"), "legal_basis"),
    ({"source_received": "eilen"}, _file("A,B,a@example.fi,"), "source_received"),
    ({"purposes": ["sales_marketing", "selling"]}, _file("A,B,a@example.fi,"), "purposes"),
])
def test_a_bad_form_is_shown_again_with_the_error_at_its_field(desk_client, engine, fields, content, field):
    page = sign_in(desk_client, make_staff(engine, Role.sales))
    before = desk_client.get("/desk/imports?lang=fi")
    with Session(engine) as s:
        jobs_before = len(s.exec(select(Job.id)).all())
    shown = _upload(desk_client, page.text, content, lang="fi", **fields)
    assert shown.status_code == 422
    assert f'id="{field}-error"' in shown.text and f'href="#{field}"' in shown.text  # at the field, and summarised
    assert f'id="{field}"' in shown.text
    assert 'value="data_subject" selected' in shown.text  # what was given is kept
    assert before.status_code == 200
    with Session(engine) as s:
        assert len(s.exec(select(Job.id)).all()) == jobs_before


@pytest.mark.parametrize(("role", "status"), [(Role.privacy, 403), (Role.admin, 403)])
def test_who_may_import(desk_client, engine, role, status):
    page = sign_in(desk_client, make_staff(engine, role))
    assert desk_client.get("/desk/imports?lang=en").status_code == status
    refused = desk_client.post("/desk/imports?lang=en", data={"csrf": csrf(page.text), "kind": "contacts"},
                               files={"file": ("a.csv", _file("A,B,a@example.fi,"), "text/csv")})
    assert refused.status_code == 403 and "<table" not in refused.text


def test_an_import_is_seen_by_the_one_who_started_it_only(desk_client, engine):
    page = sign_in(desk_client, make_staff(engine, Role.sales))
    job_id = _upload(desk_client, page.text, _file("A,B,a@example.fi,")).headers["location"].split("/")[3].split("?")[0]
    desk_client.post("/desk/signout", data={"csrf": csrf(page.text)})
    sign_in(desk_client, make_staff(engine, Role.marketing))
    assert desk_client.get(f"/desk/imports/{job_id}?lang=en").status_code == 404
    assert desk_client.get(f"/desk/imports/{job_id}/rejected.csv").status_code == 404
    assert f"/desk/imports/{job_id}" not in desk_client.get("/desk/imports?lang=en").text


def _import_messages() -> list[tuple[str, str]]:
    """Every reason shared/imports can give, as ("row" | "file", text), read from its source: the
    first argument of Rejected / ImportFileError / EmptyUpload, and each (line, reason) pair it
    collects; an f-string's values stand in as 7."""
    import ast
    from pathlib import Path

    def text(node) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(text(v) or "7" if isinstance(v, ast.Constant) else "7" for v in node.values)
        return None

    found = []
    root = Path(__file__).resolve().parents[5] / "shared" / "imports"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Rejected", "ImportFileError",
                                                                                    "EmptyUpload") and node.args:
                kind = "row" if node.func.id == "Rejected" else "file"
                if (message := text(node.args[0])) is not None:
                    found.append((kind, message))
            elif (isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Name)
                  and node.elts[0].id == "line" and (message := text(node.elts[1])) is not None):
                found.append(("row", message))
    return found


def test_every_reason_the_import_gives_is_said_in_the_readers_language():
    """The page words the import's reasons by matching their English text: a reason added or
    reworded in shared/imports without its words here fails this test, not silently the page."""
    from services.api.pages.desk.imports import file_reason, row_reason

    messages = _import_messages()
    assert len([m for m in messages if m[0] == "row"]) >= 15 and len([m for m in messages if m[0] == "file"]) >= 6
    for kind, message in messages:
        if kind == "row" and message.partition(": ")[2] == "7":
            continue  # a validator's own words about the value (email, phone, website): "the value is not valid"
        if kind == "row":
            _, why = row_reason(message, "fi")
            assert why not in (t("imp.row.unreadable", "fi"), t("imp.row.invalid", "fi", field=message.split(":")[0])) \
                or "cannot be read" in message, message
        else:
            assert file_reason(message, "fi") != t("imp.file.other", "fi"), message
