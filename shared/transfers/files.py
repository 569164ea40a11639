"""Selecting the people of a transfer under its purpose's rules and streaming them to a file.

The rules, applied in the database (and counted, for the record, in one aggregate):
- everybody: nobody restricted (Art. 18), and only the selection asked for;
- marketing: nobody who objected to direct marketing, nor anyone whose address is on the
  suppression list (the keyed hash of each address is compared with the list's hashes);
- research: nobody who objected to market and opinion research;
- billing: only contact persons of customers.

PostgreSQL does the work: the selected ids go to a temporary table (the disclosure rows are
written from it), and `COPY … TO STDOUT` streams the rows — the partner's pseudonymous `ref` for
each person and the allowed fields only — as CSV (or JSON) into the file while its SHA-256 is
computed: memory stays flat whatever the size. The HMACs (the ref, and the suppression check
under the server secret) are computed in SQL from key pads loaded with COPY into a temporary
table, so no key material appears in a statement's text or parameters (and so in no log).
In CSV, cells a spreadsheet would run as formulas get a leading quote, in SQL on the way out
(shared/common/csv_safety.py); JSON is never changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import (Column, Integer, LargeBinary, MetaData, String, Table, Text, case, exists, func, insert,
                        literal, or_, text)
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, select

from shared.models import Company, CompanyStatus, Contact, Disclosure, Subscription, SubscriptionStatus, Suppression
from shared.models.partners import FileFormat, Partner, SubjectRef
from shared.partners.crypto import derived_key, subject_ref
from shared.partners.schemas import TRANSFERABLE_FIELDS
from shared.common.csv_safety import neutralise_row, neutralise_sql
from shared.settings import get_settings

FIELD_COLUMNS = {
    "first_name": Contact.first_name, "last_name": Contact.last_name, "email": Contact.email,
    "phone": Contact.phone, "position": Contact.position, "language": Contact.language,
    "company_name": Company.name, "business_id": Company.business_id, "street_address": Company.street_address,
    "postal_code": Company.postal_code, "city": Company.city, "country": Company.country,
}
CONTENT_TYPES = {FileFormat.csv: "text/csv; charset=utf-8", FileFormat.json: "application/json"}
FLUSH_ROWS = 5000


def transfer_dir() -> Path:
    """Where transfer files live until delivered (a volume shared with the API for downloads)."""
    settings = get_settings()
    folder = settings.transfer_dir or settings.var_dir / "transfers"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def file_path(transfer_id: Any, file_format: FileFormat) -> Path:
    return transfer_dir() / f"{transfer_id}.{file_format.value}"


def ids_path(transfer_id: Any) -> Path:
    """The ids behind a download file (contacts, or follow-up disclosures), for when it is fetched."""
    return transfer_dir() / f"{transfer_id}.ids"


def remove_files(transfer_id: Any) -> None:
    for path in transfer_dir().glob(f"{transfer_id}.*"):
        path.unlink(missing_ok=True)


def _driver(session: Session) -> psycopg.Connection:
    return session.connection().connection.driver_connection


def _pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC-SHA256's inner and outer key pads (RFC 2104)."""
    key = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def load_keys(session: Session, *, name: str) -> Table:
    """A temporary table with the pads of the ref key and of the suppression key (the server secret)."""
    keys = Table(name, MetaData(), *(Column(c, LargeBinary) for c in ("ref_i", "ref_o", "sup_i", "sup_o")))
    session.execute(text(f'CREATE TEMPORARY TABLE "{name}" (ref_i bytea, ref_o bytea, sup_i bytea, sup_o bytea) '
                         "ON COMMIT DROP"))
    pads = (*_pads(derived_key("partner-subject-ref")), *_pads(get_settings().secret_key.get_secret_value().encode()))
    with _driver(session).cursor() as cursor, cursor.copy(f'COPY "{name}" FROM STDIN') as copy:
        copy.write_row(pads)
    return keys


def _hmac(keys: Table, inner: str, outer: str, message):
    """HMAC-SHA256 in SQL, hex: sha256(outer pad || sha256(inner pad || message))."""
    pad = {c: select(keys.c[c]).scalar_subquery() for c in (inner, outer)}
    digest = func.sha256(pad[outer].op("||")(func.sha256(pad[inner].op("||")(func.convert_to(message, "UTF8")))))
    return func.encode(digest, "hex")


def _suppressed(keys: Table):
    return exists().where(Suppression.email_hash == _hmac(keys, "sup_i", "sup_o", Contact.email))


def _selected(selection: dict[str, Any]):
    """The selection's conditions (no purpose rules yet)."""
    conditions = []
    if selection.get("list_ids"):
        conditions.append(exists().where(Subscription.contact_id == Contact.id,
                                         Subscription.list_id.in_(selection["list_ids"]),
                                         Subscription.status == SubscriptionStatus.subscribed))
    if selection.get("company_ids"):
        conditions.append(Contact.company_id.in_(selection["company_ids"]))
    if selection.get("company_statuses"):
        conditions.append(Company.status.in_(selection["company_statuses"]))
    if selection.get("languages"):
        conditions.append(Contact.language.in_(selection["languages"]))
    return conditions


def _purpose_rules(purpose: str, keys: Table) -> dict[str, Any]:
    """Exclusion reason -> the condition that excludes, for this purpose (in the order counted)."""
    rules: dict[str, Any] = {"restricted": Contact.restricted_at.is_not(None)}
    if purpose == "marketing":
        rules["objected_direct_marketing"] = Contact.objects_direct_marketing_at.is_not(None)
        rules["suppressed"] = _suppressed(keys)  # no address: no hash, never suppressed
    if purpose == "research":
        rules["objected_research"] = Contact.objects_research_at.is_not(None)
    if purpose == "billing":
        rules["not_a_customer"] = func.coalesce(Company.status, "none") != CompanyStatus.customer.value
    return rules


def stale_condition(purpose: str):
    """What makes a person written into a waiting download no longer disclosable (erasure: no row)."""
    rules = [Contact.restricted_at.is_not(None)]
    if purpose == "marketing":
        rules.append(Contact.objects_direct_marketing_at.is_not(None))
    if purpose == "research":
        rules.append(Contact.objects_research_at.is_not(None))
    return or_(*rules)


def _base(*columns):
    return select(*columns).select_from(Contact).outerjoin(Company, Company.id == Contact.company_id)


@dataclass(frozen=True)
class Selection:
    people: Table  # the ids, in a temporary table dropped at commit
    rows: int
    excluded: dict[str, int]  # reason -> how many the rule kept out (the first rule that applies counts)


def select_people(session: Session, *, name: str, purpose: str, selection: dict[str, Any], keys: Table) -> Selection:
    """Everybody the rules let through, into a temporary table; and how many each rule kept out.
    The costly suppression check runs once: its count is what the other rules left minus the rows."""
    rules = _purpose_rules(purpose, keys)
    cheap = {reason: rule for reason, rule in rules.items() if reason != "suppressed"}
    counted, previous = [func.count().label("candidates")], []
    for reason, condition in cheap.items():
        counted.append(func.count().filter(condition, *[~p for p in previous]).label(reason))
        previous.append(condition)
    candidates, *counts = session.execute(_base(*counted).where(*_selected(selection))).one()
    excluded = {reason: int(count or 0) for reason, count in zip(cheap, counts, strict=True)}
    people = Table(name, MetaData(), Column("id", Integer))
    session.execute(text(f'CREATE TEMPORARY TABLE "{name}" (id integer) ON COMMIT DROP'))
    statement = insert(people).from_select(["id"], _base(Contact.id).where(*_selected(selection),
                                                                           *(~rule for rule in rules.values())))
    with _driver(session).cursor() as cursor:  # the driver's count (SQLAlchemy reports none for INSERT … SELECT)
        cursor.execute(_sql(statement))
        rows = cursor.rowcount
    if "suppressed" in rules:
        excluded["suppressed"] = int(candidates) - sum(excluded.values()) - rows
    return Selection(people=people, rows=rows, excluded=excluded)


def excluded_people(session: Session, *, purpose: str, selection: dict[str, Any], keys: Table,
                    limit: int) -> dict[str, list[tuple[int, str, str]]]:
    """Who each rule keeps out (the first rule that applies, as `select_people` counts): up to
    `limit` (id, first name, last name) per rule, for the preview of a transfer on the desk."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    previous: list[Any] = []
    for reason, condition in _purpose_rules(purpose, keys).items():
        rows = session.execute(_base(Contact.id, Contact.first_name, Contact.last_name)
                               .where(*_selected(selection), condition, *[~p for p in previous])
                               .order_by(Contact.last_name, Contact.id).limit(limit)).all()
        found[reason] = [(i, first or "", last or "") for i, first, last in rows]
        previous.append(condition)
    return found


def _sql(statement) -> str:
    """A statement as literal SQL (for COPY, which takes no parameters): only ids, enum values and names."""
    return str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def people_ids(session: Session, people: Table) -> array:
    """The selected ids, 4 bytes each (for a download's disclosures, written when it is fetched)."""
    ids = array("i")
    with _driver(session).cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{people.name}" ORDER BY id')
        while batch := cursor.fetchmany(50_000):
            ids.extend(row[0] for row in batch)
    return ids


class _Sink:
    """A file written in chunks, hashed on the way."""

    def __init__(self, path: Path):
        self.path, self.hash, self.size = path, hashlib.sha256(), 0
        self.file = open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")  # noqa: SIM115

    def write(self, data: bytes | memoryview) -> None:
        self.hash.update(data)
        self.file.write(data)
        self.size += len(data)

    def close(self) -> None:
        self.file.close()


def _json_opening(meta: dict[str, Any]) -> str:
    opening = json.dumps({**meta, "rows": []}, ensure_ascii=False, default=str)
    return opening[:opening.rindex("[") + 1] + "\n"


def _export_query(*, people: Table, keys: Table, partner_id: int, fields: list[str], file_format: FileFormat):
    """The SELECT that COPY streams: CSV columns, or one JSON object a line (a comma before all but the first).
    In no particular order: sorting a million rows buys the partner nothing."""
    ref = func.left(_hmac(keys, "ref_i", "ref_o", literal(f"{partner_id}:") + func.cast(Contact.id, String)), 32)
    query = _base(Contact.id, ref.label("ref"), *(FIELD_COLUMNS[f].label(f) for f in fields)).join(
        people, people.c.id == Contact.id)
    rows = query.subquery()
    names = ["ref", *fields]
    if file_format == FileFormat.csv:  # formula-looking cells neutralised (shared/common/csv_safety.py)
        return select(rows.c.ref, *(neutralise_sql(rows.c[n]).label(n) for n in fields))
    obj = func.cast(func.json_build_object(*(x for n in names for x in (literal(n), rows.c[n]))), Text)
    comma = case((func.row_number().over() == 1, literal("")), else_=literal(","))
    return select(comma.op("||")(obj))


def write_people(session: Session, *, path: Path, people: Table, keys: Table, partner_id: int, fields: list[str],
                 file_format: FileFormat, meta: dict[str, Any]) -> tuple[str, int]:
    """Stream the selected people's ref and allowed fields into the file; (sha256, bytes)."""
    query = _export_query(people=people, keys=keys, partner_id=partner_id, fields=fields, file_format=file_format)
    sql = _sql(query)
    # JSON lines hold no raw newline or control character, so CSV with these never quotes them.
    options = "FORMAT csv, HEADER" if file_format == FileFormat.csv else r"FORMAT csv, DELIMITER E'\x02', QUOTE E'\x01'"
    sink = _Sink(path)
    try:
        if file_format == FileFormat.json:
            sink.write(_json_opening(meta).encode())
        with _driver(session).cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT WITH ({options})") as copy:
            for block in copy:
                sink.write(block)
        if file_format == FileFormat.json:
            sink.write(b"]}\n")
    finally:
        sink.close()
    return sink.hash.hexdigest(), sink.size


def write_rows(path: Path, rows: Iterable[list], *, file_format: FileFormat, header: list[str],
               meta: dict[str, Any]) -> tuple[str, int, int]:
    """Write Python rows (the follow-up notices) as CSV (formula-looking cells neutralised) or JSON like
    `write_people`; (sha256, bytes, rows)."""
    sink, buffer, count = _Sink(path), io.StringIO(), 0
    writer = csv.writer(buffer, lineterminator="\n")
    try:
        if file_format == FileFormat.csv:
            writer.writerow(header)
        else:
            buffer.write(_json_opening(meta))
        for row in rows:
            if file_format == FileFormat.csv:
                writer.writerow(neutralise_row(row))
            else:
                buffer.write(("," if count else "") + json.dumps(dict(zip(header, row, strict=True)),
                                                                 ensure_ascii=False, default=str) + "\n")
            count += 1
            if count % FLUSH_ROWS == 0:
                sink.write(buffer.getvalue().encode())
                buffer.seek(0)
                buffer.truncate()
        buffer.write("" if file_format == FileFormat.csv else "]}\n")
        sink.write(buffer.getvalue().encode())
    finally:
        sink.close()
    return sink.hash.hexdigest(), sink.size, count


# -- Art. 19 notices ---------------------------------------------------------------------------

NOTICE_COLUMNS = ["notice", "ref", "purpose", "fields", "queued_at"]


def notice_rows(session: Session, *, partner: Partner, notices: list[Disclosure]) -> tuple[list[str], list[list], int]:
    """(header, rows, how many could not name their person) of correction, deletion and restriction
    notices. A correction carries the current values of the fields the partner received and may
    receive; a deletion names the person only by the ref remembered when they were erased."""
    value_fields = [name for name in TRANSFERABLE_FIELDS if name in partner.fields]
    corrected = {d.contact_id for d in notices if d.kind == "correction" and d.contact_id}
    values = {}
    if corrected and value_fields:
        query = (select(Contact.id, *(FIELD_COLUMNS[name].label(name) for name in value_fields))
                 .outerjoin(Company, Company.id == Contact.company_id).where(Contact.id.in_(corrected)))
        values = {row.id: row._mapping for row in session.execute(query)}
    erased = [d.request_id for d in notices if d.contact_id is None and d.request_id]
    refs = dict(session.exec(select(SubjectRef.request_id, SubjectRef.ref).where(
        SubjectRef.recipient == partner.name, SubjectRef.request_id.in_(erased))).all()) if erased else {}
    key, rows, unidentified = derived_key("partner-subject-ref"), [], 0
    for notice in notices:
        if notice.contact_id is not None:
            ref = subject_ref(partner.id, notice.contact_id, key=key)
        else:
            ref = refs.get(notice.request_id, "")
            unidentified += not ref
        current = values.get(notice.contact_id) if notice.kind == "correction" else None
        rows.append([notice.kind, ref, notice.purpose, ";".join(notice.fields), notice.at.isoformat(),
                     *((current[name] if current and name in notice.fields else None) for name in value_fields)])
    return NOTICE_COLUMNS + value_fields, rows, unidentified
