"""Keyset pagination: stable pages over millions of rows, no OFFSET.

A cursor is the last row's (sort value, id), base64url JSON, opaque to clients.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import and_, or_
from sqlalchemy.sql import ColumnElement, Select

from shared.common.errors import InvalidInput

T = TypeVar("T")
MAX_ID = 2_147_483_647


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class BadCursor(InvalidInput):
    """The cursor is not one this API gave out."""

    code = "bad_cursor"

    def __init__(self, message: str):
        super().__init__(("query", "cursor"), message)


def encode_cursor(value: Any, row_id: int) -> str:
    if isinstance(value, datetime):
        value = {"t": value.isoformat()}
    raw = json.dumps([value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int]:
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["t"])
        if not isinstance(row_id, int):
            raise TypeError
        return value, row_id
    except Exception:
        raise BadCursor("the cursor is not one this API gave out") from None


@dataclass(frozen=True)
class Sort:
    """A sort order: a column, descending or not, ties broken by id. Select with
    `sort.select(Entity)` so each row carries its sort value for the next cursor."""

    column: ColumnElement
    id_column: ColumnElement
    descending: bool = False

    def select(self, entity) -> Select:
        from sqlmodel import select

        return select(entity, self.column.label("sort_value"))

    def _checked(self, cursor: str) -> tuple[Any, int]:
        """A cursor of ours for this sort: the value's type matches the column, the id is a
        PostgreSQL integer, no NUL in text. Anything else is refused (422, never a 500)."""
        value, last_id = decode_cursor(cursor)
        try:
            expected = self.column.type.python_type
        except NotImplementedError:  # an untyped expression: declare it, e.g. func.lower(x, type_=String)
            raise TypeError("Sort needs a column with a known type") from None
        if (not isinstance(value, expected) or isinstance(value, bool) or isinstance(last_id, bool)
                or not 1 <= last_id <= MAX_ID or (isinstance(value, str) and "\x00" in value)):
            raise BadCursor("the cursor is not one this API gave out")
        return value, last_id

    def apply(self, query: Select, *, cursor: str | None, limit: int) -> Select:
        if cursor:
            value, last_id = self._checked(cursor)
            if self.descending:
                query = query.where(or_(self.column < value, and_(self.column == value, self.id_column < last_id)))
            else:
                query = query.where(or_(self.column > value, and_(self.column == value, self.id_column > last_id)))
        order = (self.column.desc(), self.id_column.desc()) if self.descending else (self.column, self.id_column)
        return query.order_by(*order).limit(limit + 1)

    @staticmethod
    def page(rows: list, *, limit: int) -> tuple[list, str | None]:
        """Split the limit+1 (entity, sort value) rows fetched into a page and the next cursor."""
        items = [row[0] for row in rows[:limit]]
        if len(rows) <= limit:
            return items, None
        entity, value = rows[limit - 1]
        return items, encode_cursor(value, entity.id)
