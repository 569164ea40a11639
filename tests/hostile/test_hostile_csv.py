"""Hostile CSV files through the whole import path: POST /v1/imports (in-process, real database
and Redis), the job run by the real runner, the summary read back with GET /v1/jobs/{id}.

What a file can do wrong, and what the register does about it:
- not UTF-8 (latin-1, UTF-16, binary garbage): the import fails as a whole before anything is
  written, naming the first line that is not UTF-8 (a wrongly encoded file would store mangled
  names); never a 5xx;
- formula injection (`=cmd|' /C calc'!A0`, `+`, `-`, `@`): kept as the data it is (exports
  neutralize it, see test_hostile_exports.py);
- a 100 MB line, unbalanced quotes, NUL bytes: that row is rejected by its line number with a
  reason that does not repeat the value; every valid row is kept.
"""

from __future__ import annotations

import random
import uuid

import pytest
from sqlmodel import Session, select

from support import auth
from shared.imports.service import run_import_job
from shared.jobs.runner import run_job
from shared.models import Contact

HEADER = "first_name,last_name,email,position"
FORM = {"kind": "contacts", "legal_basis": "relevant_connection", "source": "directory_service"}
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "=HYPERLINK(\"http://x.example\",\"y\")"]


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _row(tag: str, n: int, position: str = "Buyer") -> str:
    return f"Hostile{n},Tester,hostile{n}.{tag}@example.com,{position}"


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _import(api, token: str, content: bytes) -> dict:
    response = api.post("/v1/imports", headers=auth(token), data=FORM,
                        files={"file": ("hostile.csv", content, "text/csv")})
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    run_job(job_id, run_import_job)
    shown = api.get(f"/v1/jobs/{job_id}", headers=auth(token))
    assert shown.status_code == 200
    return shown.json()


def _stored(engine, tag: str) -> dict[str, Contact]:
    with Session(engine) as s:
        found = s.exec(select(Contact).where(Contact.email.like(f"%.{tag}@example.com"))).all()
        return {c.email.split(".")[0]: c for c in found}


@pytest.mark.parametrize("encode, bad_line", ids=["latin-1", "utf-16", "garbage"], argvalues=[
    (lambda text: text.encode("latin-1"), 3),  # "Mäkinen" in latin-1 on line 3
    (lambda text: text.encode("utf-16"), 1),  # a BOM of FF FE, then two bytes a character
    (lambda text: random.Random(8).randbytes(64 * 1024) + b"\n" + text.encode(), 1),  # binary garbage first
])
def test_a_file_that_is_not_utf8_fails_whole_naming_the_line(api, engine, role_tokens, encode, bad_line):
    tag = _tag()
    text = "\n".join([HEADER, _row(tag, 1), f"Maija,Mäkinen,maija.{tag}@example.com,Boss", _row(tag, 2)]) + "\n"
    job = _import(api, role_tokens["sales"], encode(text))
    assert job["status"] == "failed"
    assert f"line {bad_line}" in job["error"] and "UTF-8" in job["error"]
    assert "Mäkinen" not in job["error"] and "M\\xe4kinen" not in job["error"]
    assert _stored(engine, tag) == {}  # nothing half-imported


def test_formulas_are_kept_as_data(api, engine, role_tokens):
    tag = _tag()
    lines = [HEADER] + [f"{_quoted(f)},Formula,formula{n}.{tag}@example.com,{_quoted(f)}"
                        for n, f in enumerate(FORMULAS)]
    job = _import(api, role_tokens["sales"], ("\n".join(lines) + "\n").encode())
    assert job["status"] == "succeeded", job
    assert (job["result"]["inserted"], job["result"]["rejected"]) == (len(FORMULAS), 0)
    stored = _stored(engine, tag)
    assert [(stored[f"formula{n}"].first_name, stored[f"formula{n}"].position) for n in range(len(FORMULAS))] == \
        [(f, f) for f in FORMULAS]


def test_a_100_mb_line_unbalanced_quotes_and_nul_bytes_are_row_errors(api, engine, role_tokens):
    tag = _tag()
    huge = f"Huge,Line,huge.{tag}@example.com," + "A" * (100 * 1024 * 1024)
    lines = [
        HEADER,
        _row(tag, 1),                                            # 2
        huge,                                                    # 3: 100 MB
        _row(tag, 2),                                            # 4
        f"Nul\x00l,Byte,nul.{tag}@example.com,Buyer",            # 5
        _row(tag, 3),                                            # 6
        f"Open,Quote,open.{tag}@example.com,\"Buyer",            # 7: the quote never closes...
        _row(tag, 4),                                            # 8  ...so these are read into it
        _row(tag, 5),                                            # 9
    ]
    job = _import(api, role_tokens["sales"], ("\n".join(lines) + "\n").encode())
    assert job["status"] == "succeeded", job["error"]
    errors = {e["line"]: e["reason"] for e in job["result"]["errors"]}
    assert set(errors) == {3, 5, 7}, errors
    assert errors[3].startswith("row: the CSV cannot be read")
    assert errors[5] == "row: contains a NUL byte"
    assert errors[7].startswith("row: lines 7–9 were read as one row")
    assert "AAAA" not in str(errors) and "Buyer" not in str(errors)
    assert set(_stored(engine, tag)) == {"hostile1", "hostile2", "hostile3"}


def test_a_semicolon_file_with_a_bom_and_crlf_is_fine(api, engine, role_tokens):
    """Not hostile, but what Excel writes: the guards above must not refuse it."""
    tag = _tag()
    rows = [HEADER.replace(",", ";"), f"Anna;\"Virtanen; Jr\";anna.{tag}@example.com;\"Kauppakatu 1\nKajaani\""]
    content = b"\xef\xbb\xbf" + "\r\n".join(rows).encode() + b"\r\n"
    job = _import(api, role_tokens["sales"], content)
    assert job["status"] == "succeeded" and job["result"]["inserted"] == 1, job
    assert _stored(engine, tag)["anna"].last_name == "Virtanen; Jr"
