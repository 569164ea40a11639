"""The CSV import format: which columns a file may have, as data, and what each one means.

A file is UTF-8 text (a byte order mark is fine), comma- or semicolon-separated (told from the
header row), and starts with a header row naming its columns in any order. A column that is not
listed here, or a required one that is missing, fails the whole import before anything is
written. Every cell is stripped of surrounding whitespace; an empty cell is "no value": a new
row gets the default, an existing row keeps what it has (provenance excepted, see below).

A file that is not UTF-8 fails as a whole, naming its first line that is not (importing the rest
would store mangled names). A row the CSV reader cannot read (a value past its field limit, such
as a 100 MB line), a row with a NUL byte, and lines read as one row because a quote opened on
the first of them is not closed (its later lines hold the delimiter) are rejected by line number
like any invalid row; the valid rows are kept.

Companies (`kind=companies`), matched on `business_id` (rows without one are always new):

| column | required | max length | meaning |
| --- | --- | --- | --- |
| name | yes | 200 | the company's name |
| business_id | | 9 | Finnish business ID (Y-tunnus), e.g. 1086291-5; the check digit is verified |
| status | | | prospect (default), customer or former_customer |
| owner | | 200 | the group company that owns the relationship (default: Jetmasters Oy) |
| street_address | | 200 | street address |
| postal_code | | 20 | postal code |
| city | | 100 | city |
| country | | 2 | ISO 3166 country code (default FI) |
| website | | 300 | web address; https:// is added when missing |
| sole_trader | | | yes/no (kyllä/ei, true/false, 1/0): a sole trader's data is personal data |
| legal_basis | * | | customer_relationship, consent, assignment or relevant_connection |
| purposes | | | separated by a pipe or a semicolon: sales_marketing, customer_service, analysis_development, feedback, sister_marketing |
| source | * | | data_subject, controller, sister_company, stakeholder, directory_service or public_register |
| source_provider | | 200 | who gave us the data (e.g. the directory service) |
| source_received | | | when we received it: YYYY-MM-DD (or D.M.YYYY) |

Contacts (`kind=contacts`), matched on `email`:

| column | required | max length | meaning |
| --- | --- | --- | --- |
| first_name | yes | 100 | first name |
| last_name | yes | 100 | last name |
| email | yes | 320 | email address; stored lower-cased, unique in the register and in the file |
| phone | | 20 | phone number; stored as +358…; numbers without a country code are Finnish |
| position | | 200 | job title |
| language | | | fi (default), sv or en |
| company_business_id | | 9 | links the person to the company with this business ID (it must exist) |
| legal_basis | * | | as for companies |
| purposes | | | as for companies |
| source | * | | as for companies |
| source_provider | | 200 | as for companies |
| source_received | | | as for companies |

\\* `legal_basis` and `source` are needed on every row: from the column, or else from the
import's options (which give every provenance column its default). Provenance is replaced as a
whole on an update: the row now comes from this source; the change history keeps the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.jobs.runner import PermanentJobError
from shared.models.companies import Company
from shared.models.contacts import Contact


class ImportFileError(PermanentJobError):
    """The file as a whole cannot be imported (no retry makes it importable: the job fails at
    once). The message is safe to show and to log."""


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    required: bool = False
    max_length: int | None = None


def _length(model: type, column: str) -> int | None:
    return getattr(model.__table__.c[column].type, "length", None)


def _text(model: type, name: str, *, required: bool = False, column: str | None = None) -> ColumnSpec:
    return ColumnSpec(name, required, _length(model, column or name))


def _provenance(model: type) -> tuple[ColumnSpec, ...]:
    return (ColumnSpec("legal_basis"), ColumnSpec("purposes"), ColumnSpec("source"),
            _text(model, "source_provider"), ColumnSpec("source_received"))


COMPANY_COLUMNS: tuple[ColumnSpec, ...] = (
    _text(Company, "name", required=True),
    _text(Company, "business_id"),
    ColumnSpec("status"),
    _text(Company, "owner"),
    _text(Company, "street_address"),
    _text(Company, "postal_code"),
    _text(Company, "city"),
    _text(Company, "country"),
    _text(Company, "website"),
    ColumnSpec("sole_trader"),
    *_provenance(Company),
)

CONTACT_COLUMNS: tuple[ColumnSpec, ...] = (
    _text(Contact, "first_name", required=True),
    _text(Contact, "last_name", required=True),
    _text(Contact, "email", required=True),
    _text(Contact, "phone"),
    _text(Contact, "position"),
    ColumnSpec("language"),
    _text(Company, "company_business_id", column="business_id"),
    *_provenance(Contact),
)

COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {"companies": COMPANY_COLUMNS, "contacts": CONTACT_COLUMNS}
PURPOSE_SEPARATORS = ("|", ";", ",")


def normalize_header(name: str) -> str:
    """`First name ` -> `first_name`: headers are matched without case and spacing."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def column_index(kind: str, header: list[str]) -> dict[str, int]:
    """Map each known column to its position; fail on unknown, repeated or missing columns."""
    specs = {spec.name: spec for spec in COLUMNS[kind]}
    names = [normalize_header(h) for h in header]
    unknown = [n for n in names if n and n not in specs]
    if unknown and not any(n in specs for n in names):
        raise ImportFileError(
            "the first line is not a header row: a header row naming the columns is required "
            f"(for {kind}: {', '.join(s.name for s in COLUMNS[kind] if s.required)}, …)")
    if unknown:
        shown = ", ".join(repr(n[:40]) for n in unknown[:10])
        raise ImportFileError(f"the file has columns that {kind} imports do not know: {shown}; "
                              f"known columns are {', '.join(specs)}")
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        raise ImportFileError(f"the header names a column more than once: {', '.join(repeated)}")
    missing = [s.name for s in COLUMNS[kind] if s.required and s.name not in names]
    if missing:
        raise ImportFileError(f"the file lacks required columns: {', '.join(missing)}")
    return {n: i for i, n in enumerate(names) if n}


def markdown_table(kind: str) -> str:
    """The column list of one kind as a markdown table (names, required, max length)."""
    lines = ["| column | required | max length |", "| --- | --- | --- |"]
    for spec in COLUMNS[kind]:
        lines.append(f"| {spec.name} | {'yes' if spec.required else ''} | {spec.max_length or ''} |")
    return "\n".join(lines)
