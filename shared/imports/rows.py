"""Reading an import file into checked rows, chunk by chunk: lines, header, one check per row.

Pure Python, no database: what comes out is a list of rows shaped like the staging table
(`shared.imports.upsert`) and the rejected rows, each with its physical line number (the header
is line 1) and the reason.
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from shared.imports import fields as f
from shared.imports.csv_format import COLUMNS, ImportFileError, column_index
from shared.imports.schemas import ImportOptions
from shared.models.companies import CompanyStatus
from shared.models.contacts import Language
from shared.models.provenance import LegalBasis, Purpose, SourceKind
from shared.common.validation import normalize_business_id, normalize_website

BOM = b"\xef\xbb\xbf"
MAX_RECORD_LINES = 50  # a quoted value longer than this is a missing quote, not an address

_LEGAL_BASES = {v.value: v.value for v in LegalBasis}
_SOURCES = {v.value: v.value for v in SourceKind}
_PURPOSES = frozenset(v.value for v in Purpose)
_LANGUAGES = {v.value: v.value for v in Language}
_STATUSES = {v.value: v.value for v in CompanyStatus}
_PROVIDER_LIMIT = next(s.max_length for s in COLUMNS["contacts"] if s.name == "source_provider")

Rejected = f.Rejected
RowCheck = Callable[[list[str], int], list]


@dataclass
class Chunk:
    rows: list[list]  # staging rows, `line` first
    rejected: list[tuple[int, str]]  # (line, reason), in line order
    rows_read: int
    bytes_read: int


@dataclass
class _Counter:
    bytes_read: int = 0
    lines: int = 0


def _decoded(source: Iterable[bytes], counter: _Counter) -> Iterator[str]:
    """Physical lines as text; a line that is not UTF-8 fails the file, naming the line."""
    for counter.lines, raw in enumerate(source, start=1):
        counter.bytes_read += len(raw)
        if counter.lines == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"the file is not UTF-8 text: line {counter.lines} has bytes that are not UTF-8 "
                "(save it as “CSV UTF-8”)") from None


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


@dataclass
class _Provenance:
    """Per-row provenance: the row's columns where given, the import's options otherwise."""

    index: dict[str, int]
    options: ImportOptions
    default: tuple = field(init=False)

    def __post_init__(self) -> None:
        o = self.options
        self.default = (o.legal_basis.value if o.legal_basis else None, array_literal([p.value for p in o.purposes]),
                        o.source.value if o.source else None, o.source_provider, o.source_received)
        self.columns = [self.index.get(n) for n in
                        ("legal_basis", "purposes", "source", "source_provider", "source_received")]
        self.constant = all(i is None for i in self.columns)
        for name, position in (("legal_basis", 0), ("source", 2)):
            if self.columns[position] is None and self.default[position] is None:
                raise ImportFileError(f"no {name}: the file has no {name} column and the import "
                                      f"gives no default {name}")

    def __call__(self, row: list[str]) -> tuple:
        if self.constant:
            return self.default
        legal, purposes, source, provider, received = (
            row[i].strip() if i is not None else "" for i in self.columns)
        legal = f.choice(legal, "legal_basis", _LEGAL_BASES) or self.default[0]
        source = f.choice(source, "source", _SOURCES) or self.default[2]
        if legal is None:
            raise Rejected("legal_basis: missing, and the import gives no default")
        if source is None:
            raise Rejected("source: missing, and the import gives no default")
        listed = f.purposes(purposes, _PURPOSES)
        return (legal, array_literal(listed) if listed else self.default[1], source,
                f.text(provider, "source_provider", _PROVIDER_LIMIT) or self.default[3],
                f.day(received, "source_received") or self.default[4])


def array_literal(values: list[str]) -> str:
    """A PostgreSQL array literal of identifier-like values (the purposes), for COPY."""
    return "{" + ",".join(values) + "}"


@functools.lru_cache(maxsize=1 << 16)
def _business_id(value: str, name: str) -> str:
    """Cached: a contacts file names each company's business ID many times."""
    try:
        return normalize_business_id(value)
    except ValueError as exc:
        raise Rejected(f"{name}: {exc}") from None


def _contact_check(index: dict[str, int], width: int, options: ImportOptions, key: bytes) -> RowCheck:
    """A function from a row's cells (+ an empty sentinel cell) to its staging row."""
    at = {s.name: index.get(s.name, width) for s in COLUMNS["contacts"]}
    limits = {s.name: s.max_length for s in COLUMNS["contacts"]}
    i_first, i_last, i_email, i_phone, i_position, i_language, i_company = (
        at["first_name"], at["last_name"], at["email"], at["phone"], at["position"],
        at["language"], at["company_business_id"])
    first_limit, last_limit, position_limit = limits["first_name"], limits["last_name"], limits["position"]
    provenance = _Provenance(index, options)
    text = f.text

    def check(row: list[str], line: int) -> list:
        first = text(row[i_first].strip(), "first_name", first_limit)
        last = text(row[i_last].strip(), "last_name", last_limit)
        if first is None:
            raise Rejected("first_name: required")
        if last is None:
            raise Rejected("last_name: required")
        address = f.email(row[i_email].strip())
        company = row[i_company].strip()
        if company:
            company = _business_id(company, "company_business_id")
        return [line, first, last, address, f.phone(row[i_phone].strip()),
                text(row[i_position].strip(), "position", position_limit),
                f.choice(row[i_language].strip(), "language", _LANGUAGES), company or None,
                *provenance(row), f.email_digest(address, key)]

    return check


def _company_check(index: dict[str, int], width: int, options: ImportOptions, key: bytes) -> RowCheck:
    at = {s.name: index.get(s.name, width) for s in COLUMNS["companies"]}
    limits = {s.name: s.max_length for s in COLUMNS["companies"]}
    provenance = _Provenance(index, options)
    text = f.text

    def check(row: list[str], line: int) -> list:
        name = text(row[at["name"]].strip(), "name", limits["name"])
        if name is None:
            raise Rejected("name: required")
        business_id = row[at["business_id"]].strip()
        website = row[at["website"]].strip()
        if website:
            try:
                website = text(normalize_website(website), "website", limits["website"])
            except ValueError as exc:
                raise Rejected(f"website: {exc}") from None
        return [line, name, _business_id(business_id, "business_id") if business_id else None,
                f.choice(row[at["status"]].strip(), "status", _STATUSES),
                text(row[at["owner"]].strip(), "owner", limits["owner"]),
                text(row[at["street_address"]].strip(), "street_address", limits["street_address"]),
                text(row[at["postal_code"]].strip(), "postal_code", limits["postal_code"]),
                text(row[at["city"]].strip(), "city", limits["city"]),
                f.country(row[at["country"]].strip()), website or None,
                f.flag(row[at["sole_trader"]].strip(), "sole_trader"), *provenance(row)]

    return check


_CHECKS = {"contacts": (_contact_check, 3, "email"), "companies": (_company_check, 2, "business_id")}


def _swallowed_rows(cells: list[str], delimiter: str) -> bool:
    """A quoted value whose later lines hold the delimiter: other rows, read into one value
    because its closing quote is missing (a real multi-line value, an address, has none)."""
    return any(delimiter in later for cell in cells if "\n" in cell for later in cell.split("\n")[1:])


def read_chunks(*, kind: str, source: Iterable[bytes], options: ImportOptions, key: bytes,
                chunk_size: int = 50_000, first_chunk_size: int | None = None) -> Iterator[Chunk]:
    """Checked rows of the file in chunks (the first one `first_chunk_size` rows, if given, so
    that the database can start early); a file-level problem raises ImportFileError."""
    counter = _Counter()
    lines = _decoded(source, counter)
    header_line = next(lines, None)
    if header_line is None or not header_line.strip():
        raise ImportFileError("the file is empty: a header row naming the columns is required")
    reader = csv.reader(itertools.chain([header_line], lines), delimiter=_delimiter(header_line))
    header = next(reader)
    width = len(header)
    make_check, key_at, key_name = _CHECKS[kind]
    check = make_check(column_index(kind, header), width, options, key)
    seen: dict[str, int] = {}  # email / business ID -> the line that has it
    rows: list[list] = []
    rejected: list[tuple[int, str]] = []
    read = 0
    end = reader.line_num
    size = first_chunk_size or chunk_size
    while True:
        if read >= size:
            yield Chunk(rows, rejected, read, counter.bytes_read)
            rows, rejected, read, size = [], [], 0, chunk_size
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a value past the csv module's field limit: this row only
            line, end = end + 1, reader.line_num
            read += 1
            rejected.append((line, f"row: the CSV cannot be read ({str(exc)[:80]})"))
            continue
        line, end = end + 1, reader.line_num
        if end - line >= MAX_RECORD_LINES:
            raise ImportFileError(f"line {line}: a quoted value runs over {MAX_RECORD_LINES} lines "
                                  "(a closing quote is probably missing)")
        joined = "".join(cells)
        if not joined.strip():
            continue
        read += 1
        if "\x00" in joined:
            rejected.append((line, "row: contains a NUL byte"))
            continue
        if end > line and _swallowed_rows(cells, reader.dialect.delimiter):
            rejected.append((line, f"row: lines {line}–{end} were read as one row: a quote opened on line {line} "
                                   "is probably not closed"))
            continue
        if len(cells) != width:
            if len(cells) < width or "".join(cells[width:]).strip():
                rejected.append((line, f"row: has {len(cells)} values but the header has {width} columns"))
                continue
            del cells[width:]
        cells.append("")
        try:
            row = check(cells, line)
        except Rejected as exc:
            rejected.append((line, str(exc)))
        else:
            value = row[key_at]
            if value is not None:
                earlier = seen.setdefault(value, line)
                if earlier != line:
                    rejected.append((line, f"{key_name}: appears earlier in the file on line {earlier}"))
                    continue
            rows.append(row)
    if read:
        yield Chunk(rows, rejected, read, counter.bytes_read)
