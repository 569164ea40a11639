"""Shared parameter types: ids are PostgreSQL integers, so anything outside 1..2^31-1 is a 422
here rather than a database error (a 500) later."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from shared.common.schemas import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
