"""The CSV import on real PostgreSQL: line numbers and reasons of rejected rows, upserts with
history, the suppression list, file-level failures, and the job around it."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest
from sqlmodel import Session, select

from testdata import synthetic
from shared.imports import fields
from shared.imports.csv_format import COLUMNS, ImportFileError
from shared.imports.schemas import ImportKind, ImportOptions
from shared.imports.service import import_file
from shared.models import ChangeRecord, Channel, Company, Contact, Job, JobStatus
from shared.common.suppression import email_hash, suppress
from shared.common.validation import normalize_email, normalize_phone

OPTIONS = ImportOptions(legal_basis="relevant_connection", source="directory_service",
                        source_provider="Test directory", purposes=["sales_marketing"])
CONTACT = list(synthetic.CONTACT_HEADER)


def csv_bytes(header: list[str], rows: list[list[str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode()


def run(session: Session, kind: str, content: bytes, options: ImportOptions = OPTIONS, **kwargs) -> dict:
    return import_file(session, kind=ImportKind(kind), source=io.BytesIO(content), size=len(content),
                       options=options, actor="import:test", reason="test", **kwargs)


def companies(session: Session, seed: int, count: int = 2) -> list[synthetic.SyntheticCompany]:
    made = list(synthetic.companies(count, seed=seed))
    summary = run(session, "companies", csv_bytes(list(synthetic.COMPANY_HEADER), [list(c) for c in made]))
    assert summary["inserted"] == count, summary
    return made


def people(seed: int, count: int, company_count: int = 2) -> list[list[str]]:
    return [list(c) for c in synthetic.contacts(count, seed=seed, companies=company_count)]


def contact(session: Session, email: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.email == email)).first()


def test_rejected_rows_are_reported_by_physical_line_and_valid_rows_are_kept(session):
    companies(session, seed=101)
    rows = people(101, 12)
    rows[1][2] = "not-an-email"  # line 3
    rows[2][6] = "1234567-8"  # line 4: bad check digit
    rows[3][3] = "123"  # line 5
    rows[4][0] = "  "  # line 6: required, blank
    rows[5][4] = "x" * 201  # line 7
    rows[6][2] = rows[0][2].upper()  # line 8: same address as line 2, other case
    rows[7][6] = synthetic.business_id(500, seed=101)  # line 9: valid, not in the register
    rows[8][4] = "Head of\nProcurement"  # lines 10-11: one row over two physical lines
    rows[9][5] = "de"  # line 12
    content = csv_bytes(CONTACT, rows)

    summary = run(session, "contacts", content)

    assert summary["errors"] == [
        {"line": 3, "reason": "email: not a valid email address: An email address must have an @-sign."},
        {"line": 4, "reason": "company_business_id: the business ID's check digit does not match"},
        {"line": 5, "reason": "phone: not a valid phone number for its country"},
        {"line": 6, "reason": "first_name: required"},
        {"line": 7, "reason": "position: longer than 200 characters"},
        {"line": 8, "reason": "email: appears earlier in the file on line 2"},
        {"line": 9, "reason": "company_business_id: no company in the register has this business ID"},
        {"line": 12, "reason": "language: must be one of en, fi, sv"},
    ]
    assert summary | {"errors": None} == {"kind": "contacts", "rows": 12, "inserted": 4, "updated": 0,
                                          "unchanged": 0, "rejected": 8, "suppressed": 0,
                                          "errors": None, "errors_truncated": False}
    for kept in (rows[0], rows[8], rows[10], rows[11]):
        stored = contact(session, normalize_email(kept[2]))
        assert stored is not None and stored.first_name == kept[0]
        assert stored.legal_basis == "relevant_connection" and stored.source == "directory_service"
        assert stored.purposes == ["sales_marketing"] and stored.source_provider == "Test directory"
        assert stored.company_id is not None
    assert contact(session, normalize_email(rows[8][2])).position == "Head of\nProcurement"
    assert contact(session, normalize_email(rows[9][2])) is None
    personal = [v for row in rows[:10] for v in row[:4] if v.strip()]
    for error in summary["errors"]:  # never a personal value in a reason
        assert not any(value in error["reason"] for value in personal), error


def test_an_existing_contact_is_updated_with_history_and_empty_cells_keep_values(session):
    companies(session, seed=102)
    row = people(102, 1)[0]
    assert run(session, "contacts", csv_bytes(CONTACT, [row]))["inserted"] == 1
    email = normalize_email(row[2])
    before = contact(session, email)
    assert before.version == 1 and before.phone is not None

    changed = [row[0], "Uusinimi", row[2].upper(), "", "", "sv", ""]
    summary = run(session, "contacts", csv_bytes(CONTACT, [changed]),
                  ImportOptions(legal_basis="consent", source="data_subject"))
    assert (summary["inserted"], summary["updated"], summary["unchanged"]) == (0, 1, 0)
    session.expire_all()
    after = contact(session, email)
    assert after.id == before.id and after.version == 2 and after.last_name == "Uusinimi"
    assert after.phone == before.phone and after.position == before.position  # empty cells keep
    assert after.company_id == before.company_id and after.language == "sv"
    assert after.legal_basis == "consent" and after.source_provider is None  # provenance as a whole

    history = session.exec(select(ChangeRecord).where(ChangeRecord.contact_id == after.id)
                           .order_by(ChangeRecord.id)).all()
    assert [(h.action, h.field, h.actor, h.entity) for h in history] == [("import", None, "import:test", "contacts")] * 2
    created, updated = json.loads(history[0].new_value), history[1]
    assert created["email"] == email and created["first_name"] == row[0] and history[0].old_value is None
    assert json.loads(updated.old_value)["last_name"] == row[1]
    assert json.loads(updated.new_value) == {"last_name": "Uusinimi", "language": "sv", "legal_basis": "consent",
                                             "source": "data_subject", "source_provider": None, "purposes": []}

    again = run(session, "contacts", csv_bytes(CONTACT, [changed]), ImportOptions(legal_basis="consent", source="data_subject"))
    assert (again["updated"], again["unchanged"]) == (0, 1)


def test_a_suppressed_person_comes_in_objecting_to_direct_marketing(session):
    companies(session, seed=103)
    new, known = people(103, 2)
    assert run(session, "contacts", csv_bytes(CONTACT, [known]))["inserted"] == 1
    suppress(session, email=new[2], reason="unsubscribed")
    suppress(session, email=known[2], reason="objected")

    summary = run(session, "contacts", csv_bytes(CONTACT, [new, known]))
    assert (summary["inserted"], summary["updated"], summary["suppressed"]) == (1, 1, 2)
    session.expire_all()
    for row in (new, known):
        stored = contact(session, normalize_email(row[2]))
        assert stored.objects_direct_marketing_at is not None
        assert stored.objects_direct_marketing_channel == Channel.import_
    objected_at = contact(session, normalize_email(known[2])).objects_direct_marketing_at
    assert run(session, "contacts", csv_bytes(CONTACT, [known]))["unchanged"] == 1  # stays objecting
    session.expire_all()
    assert contact(session, normalize_email(known[2])).objects_direct_marketing_at == objected_at


def test_bom_and_semicolons_are_read(session):
    companies(session, seed=104)
    rows = people(104, 3)
    rows[0][0], rows[0][1] = "Ägräs", "Öhman-Väänänen"
    summary = run(session, "contacts", csv_bytes(CONTACT, rows, delimiter=";", bom=True))
    assert summary["inserted"] == 3 and summary["rejected"] == 0
    stored = contact(session, normalize_email(rows[0][2]))
    assert (stored.first_name, stored.last_name) == ("Ägräs", "Öhman-Väänänen")


def test_companies_upsert_by_business_id_and_rows_without_one_are_new(session):
    made = list(synthetic.companies(3, seed=105))
    header = list(synthetic.COMPANY_HEADER)
    assert run(session, "companies", csv_bytes(header, [list(made[0])]))["inserted"] == 1
    renamed = list(made[0])
    renamed[0], renamed[2] = "Uusi Nimi Oy", "customer"
    nameless = list(made[1])
    nameless[1] = ""
    duplicate = list(made[2])
    duplicate[1] = made[0].business_id.replace("-", " - ")
    bad = list(made[2])
    bad[1], bad[7] = "", "not a site"
    summary = run(session, "companies", csv_bytes(header, [renamed, nameless, nameless, duplicate, bad]))
    assert (summary["inserted"], summary["updated"]) == (2, 1)
    assert summary["errors"] == [
        {"line": 5, "reason": "business_id: a business ID is seven digits, a hyphen and a check digit (e.g. 1086291-5)"},
        {"line": 6, "reason": "website: not a website address"},
    ]
    stored = session.exec(select(Company).where(Company.business_id == made[0].business_id)).one()
    assert (stored.name, stored.status, stored.version) == ("Uusi Nimi Oy", "customer", 2)
    assert len(session.exec(select(Company).where(Company.name == made[1].name)).all()) == 2


def test_duplicate_business_ids_in_a_file_are_rejected_after_the_first(session):
    made = list(synthetic.companies(1, seed=106))
    header = list(synthetic.COMPANY_HEADER)
    summary = run(session, "companies", csv_bytes(header, [list(made[0]), list(made[0])]))
    assert summary["errors"] == [{"line": 3, "reason": "business_id: appears earlier in the file on line 2"}]


@pytest.mark.parametrize("content, message", [
    (b"first_name,last_name,email,shoe_size\nA,B,a@b.fi,42\n", "columns that contacts imports do not know: 'shoe_size'"),
    (b"first_name,email\nA,a@b.fi\n", "lacks required columns: last_name"),
    (b"Matti,Virtanen,matti.virtanen@firma.fi\n", "the first line is not a header row"),
    (b"first_name,last_name,email\nA,B,a@b.fi\nC,\xe4\xf6,c@b.fi\n", "line 3 has bytes that are not UTF-8"),
    (b"", "the file is empty"),
    (b"first_name,last_name,email,email\n", "more than once: email"),
])
def test_a_file_level_problem_fails_the_whole_import_clearly(session, content, message):
    with pytest.raises(ImportFileError, match=message) as raised:
        run(session, "contacts", content)
    assert "matti" not in str(raised.value).lower()


def test_a_bad_line_after_written_chunks_still_fails_the_import_naming_it(session):
    rows = people(107, 5)
    content = csv_bytes(CONTACT[:3], [r[:3] for r in rows]) + b"X,\xff,x@y.fi\n"
    with pytest.raises(ImportFileError, match="line 7"):
        run(session, "contacts", content, chunk_size=2)


def test_without_legal_basis_anywhere_the_file_is_refused(session):
    with pytest.raises(ImportFileError, match="no legal_basis"):
        run(session, "contacts", csv_bytes(CONTACT[:3], [["A", "B", "a@b.fi"]]), ImportOptions(source="controller"))
    header = CONTACT[:3] + ["legal_basis", "source", "purposes", "source_received"]
    summary = run(session, "contacts", csv_bytes(header, [
        ["A", "B", "per.row@imports.fi", "consent", "data_subject", "feedback|customer_service", "1.2.2024"],
        ["C", "D", "no.basis@imports.fi", "", "", "", ""],
        ["E", "F", "bad.purpose@imports.fi", "consent", "", "spam", "2024-13-01"],
    ]), ImportOptions(source="controller"))
    assert summary["errors"] == [
        {"line": 3, "reason": "legal_basis: missing, and the import gives no default"},
        {"line": 4, "reason": "purposes: 1 unknown; purposes are analysis_development, customer_service, "
                              "feedback, sales_marketing, sister_marketing"},
    ]
    stored = contact(session, "per.row@imports.fi")
    assert stored.purposes == ["feedback", "customer_service"] and str(stored.source_received) == "2024-02-01"


def test_fast_paths_agree_with_the_full_normalizers():
    samples = [c.email for c in synthetic.contacts(3000, seed=108, companies=500)]
    samples += ["A.B@Example.COM", "a@b.c", "a..b@x.fi", "a@x..fi", "a@-x.fi", "a@x-.fi", "a@xn--p1ai.fi",
                "a@ab--cd.fi", "a@x.test", "a@x.local", "a@localhost", "ä@x.fi", "a@ä.fi", "a b@x.fi",
                "a@x.f1", "a@x.123", "a+tag@x.fi", "a_b-c@x.fi", ".a@x.fi", "a.@x.fi", "a@x.fi.", "x" * 65 + "@x.fi",
                "a@" + "b" * 64 + ".fi", "a@" + ("b" * 60 + ".") * 5 + "fi"]
    for value in samples:
        fast = fields.fast_email(value)
        if fast is not None:
            assert fast == normalize_email(value), value
    assert fields.fast_email("Matti.Virtanen@Firma.FI") == "matti.virtanen@firma.fi"
    rng = random.Random(108)
    phones = [c.phone for c in synthetic.contacts(2000, seed=108, companies=500) if c.phone]
    for _ in range(20000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 12)))
        phones += [f"+358{digits}", f"0{digits}", f"0{digits[:2]} {digits[2:5]} {digits[5:]}", f"+358-{digits}"]
    accepted = 0
    for value in phones:
        fast = fields.fast_phone(value)
        if fast is not None:
            accepted += 1
            assert fast == normalize_phone(value), value
    assert accepted > 2000
    assert fields.email_digest("matti@firma.fi", b"test-secret-key-not-for-production") == email_hash("Matti@Firma.fi")


def test_synthetic_data_is_deterministic_valid_and_unique_across_seeds():
    from shared.common.validation import normalize_business_id

    first, again = list(synthetic.contacts(300, seed=1, companies=30)), list(synthetic.contacts(300, seed=1, companies=30))
    assert first == again
    other = list(synthetic.contacts(300, seed=2, companies=30))
    assert len({c.email for c in first + other}) == 600
    made = list(synthetic.companies(2000, seed=3)) + list(synthetic.companies(2000, seed=4))
    assert len({c.business_id for c in made}) == 4000
    assert all(normalize_business_id(c.business_id) == c.business_id for c in made)
    assert any("ä" in c.first_name + c.last_name or "ö" in c.first_name + c.last_name for c in first)


def test_the_format_doc_lists_every_column():
    from shared.imports import csv_format

    for kind, specs in COLUMNS.items():
        for spec in specs:
            assert f"| {spec.name} |" in csv_format.__doc__, (kind, spec.name)
        assert csv_format.markdown_table(kind).count("\n") == len(specs) + 1


# -- the job: committed rows, so the data comes from seeds no other test uses ---------------

def _queue(engine, content: bytes, kind: str = "contacts") -> Job:
    from shared.imports.uploads import create_import

    with Session(engine, expire_on_commit=False) as session:
        job = create_import(session, kind=ImportKind(kind), filename="people.csv", file=io.BytesIO(content),
                            options=OPTIONS)
        session.commit()
        return job


def test_the_job_imports_the_upload_and_empties_it(engine):
    from shared.imports.service import run_import_job
    from shared.jobs.runner import run_job
    from shared.models.imports import ImportUpload

    made = [list(c) for c in synthetic.companies(2, seed=109)]
    assert run_job(_queue(engine, csv_bytes(list(synthetic.COMPANY_HEADER), made), "companies").id,
                   run_import_job) == "succeeded"
    rows = people(109, 4)
    rows[2][2] = "broken"
    job = _queue(engine, csv_bytes(CONTACT, rows))
    assert run_job(job.id, run_import_job) == "succeeded"
    with Session(engine) as session:
        done = session.get(Job, job.id)
        assert done.status == JobStatus.succeeded and done.progress == 100
        assert done.result["inserted"] == 3 and done.result["errors"][0]["line"] == 4
        upload = session.exec(select(ImportUpload).where(ImportUpload.job_id == job.id)).one()
        assert upload.content == b"" and upload.filename == "people.csv"
        assert upload.options["legal_basis"] == "relevant_connection" and upload.options["list_id"] is None
        history = session.exec(select(ChangeRecord).where(ChangeRecord.actor == f"import:{job.id}")).all()
        assert len(history) == 3 and {h.reason for h in history} == {str(job.id)}


def test_an_unknown_column_fails_the_job_at_once_without_retrying(engine):
    from shared.imports.service import run_import_job
    from shared.jobs.runner import run_job

    job = _queue(engine, b"first_name,last_name,email,favourite_colour\nA,B,colour@imports.fi,red\n")
    assert run_job(job.id, run_import_job) == "failed"
    with Session(engine) as session:
        failed = session.get(Job, job.id)
        assert failed.status == JobStatus.failed and failed.attempts == 1
        assert "ImportFileError" in failed.error and "'favourite_colour'" in failed.error
        assert session.exec(select(Contact).where(Contact.email == "colour@imports.fi")).first() is None


def test_the_first_chunk_is_small_so_the_database_starts_early():
    from shared.imports.rows import read_chunks

    content = csv_bytes(CONTACT[:3], [r[:3] for r in people(300, 12)])
    chunks = list(read_chunks(kind="contacts", source=io.BytesIO(content), options=OPTIONS, key=b"k",
                              chunk_size=5, first_chunk_size=2))
    assert [c.rows_read for c in chunks] == [2, 5, 5]
    assert [row[0] for c in chunks for row in c.rows] == list(range(2, 14))  # every line, in order
