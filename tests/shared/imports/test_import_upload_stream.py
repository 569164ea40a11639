"""An import upload goes to PostgreSQL in chunks (issue 13, also): a large file is never held in
the process's memory, and what is stored is exactly the file."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest
from sqlalchemy import text

from shared.imports.schemas import ImportKind, ImportOptions
from shared.imports.uploads import EmptyUpload, create_import

OPTIONS = ImportOptions(legal_basis="customer_relationship", purposes=["sales_marketing"], source="data_subject")
SIZE = 48 * 1024 * 1024


def test_a_large_upload_is_stored_without_holding_it_in_memory(session, tmp_path):
    path = tmp_path / "big.csv"
    line = b"first_name,last_name,email\n" + b"Maija,M\xc3\xa4kinen,maija@example.fi\n" * 100
    with path.open("wb") as out:
        while out.tell() < SIZE:
            out.write(line)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            job = create_import(session, kind=ImportKind.contacts, filename="big.csv", file=stream, options=OPTIONS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"{peak / 1e6:.1f} MB held while storing a {SIZE / 1e6:.0f} MB file"
    stored = session.execute(text("SELECT length(content), encode(sha256(content), 'hex') FROM import_uploads "
                                  "WHERE job_id = :job"), {"job": job.id}).one()
    assert tuple(stored) == (path.stat().st_size, digest)


def test_a_blank_file_is_refused(session):
    with pytest.raises(EmptyUpload):
        create_import(session, kind=ImportKind.contacts, filename="x.csv", file=io.BytesIO(b" \n\r\n  "),
                      options=OPTIONS)


def test_the_command_line_import_streams_the_file_too(services_env, tmp_path):
    from typer.testing import CliRunner

    from shared.cli.main import app

    path = tmp_path / "leads.csv"
    path.write_text("first_name,last_name,email\nMaija,Mäkinen,maija.cli@example.fi\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["import", "contacts", str(path), "--legal-basis", "customer_relationship",
                                    "--source", "data_subject", "--purposes", "sales_marketing", "--no-wait"])
    assert done.exit_code == 0, done.output
    blank = tmp_path / "blank.csv"
    blank.write_text("\n \n")
    refused = CliRunner().invoke(app, ["import", "contacts", str(blank), "--legal-basis", "customer_relationship",
                                       "--source", "data_subject", "--purposes", "sales_marketing", "--no-wait"])
    assert refused.exit_code == 2 and "empty" in refused.output
