"""Domain errors the API turns into HTTP answers (services/api/errors.py)."""

from __future__ import annotations


class NotFound(LookupError):
    """404: the record does not exist (or is not visible to the caller)."""


class Conflict(ValueError):
    """409: the change would break a uniqueness rule or a state rule."""


class InvalidReference(ValueError):
    """422: a field points at something that does not exist."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
