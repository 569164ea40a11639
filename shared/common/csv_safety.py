"""CSV formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return (or the full-width `＝ ＋ － ＠`, which some spreadsheets read the same way) is
run as a formula when the file is opened in a spreadsheet — `=cmd|' /C calc'!A0` starts a program,
`=HYPERLINK(...)` sends data away. Every CSV file we write goes through this module: such a cell
gets a single quote in front (`'=cmd|...`), which spreadsheets show as text and which a program
reading the file can strip.

The one exception: a whole cell that is a phone number in E.164 (`+` and 2–15 digits, e.g.
`+358401234567`, the form the register stores phones in) is left as it is. A spreadsheet can
only read it as that very number (no function, reference or operator in it), so it carries no
formula, and a partner's system gets a phone number it can dial; a quote would break it. A
spreadsheet may show it without the `+`: format the column as text, or take the JSON file, which
is never changed (JSON is not opened as formulas).

`neutralise` works on Python values (rows written by Python), `neutralise_sql` builds the same
rule as an SQL expression, so PostgreSQL applies it while `COPY … TO` streams a large file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, and_, case, cast, func, literal, not_

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
E164 = r"\+[1-9][0-9]{1,14}"
_E164 = re.compile(E164)
QUOTE = "'"


def neutralise(value: Any) -> Any:
    """The value as it may stand in a CSV cell: a formula-looking string gets a leading quote."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _E164.fullmatch(value):
        return QUOTE + value
    return value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def neutralise_sql(column: Any) -> Any:
    """The same rule in SQL, for a column (any type: it is compared as text)."""
    value = cast(column, Text)
    starts = func.ascii(value).in_([ord(t) for t in TRIGGERS])  # the first character's code: cheap to compare
    return case((and_(starts, not_(value.regexp_match(f"^{E164}$"))), literal(QUOTE) + value), else_=value)
