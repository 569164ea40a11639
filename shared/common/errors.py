"""Domain errors: what went wrong, said in the domain's words. Each kind below means one thing;
a domain package subclasses the kind that fits (an expired export link is `Gone`, an unknown
user is `NotFound`) and never chooses an HTTP status: the API and the pages take the status and
the message key from one table (services/api/errors.py `STATUS`, `error_answer`).

`key` is the i18n key a page shows for the error (shared/i18n); `str(error)` is the sentence the
JSON API sends, which never repeats a personal value.
"""

from __future__ import annotations


class DomainError(Exception):
    """Something the caller asked for cannot be done. Subclass one of the kinds below."""

    key = "errors.failed"
    default = "the request cannot be done"  # the sentence when none is given

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)


class NotFound(DomainError, LookupError):
    """The record does not exist, or the caller may not know that it does."""

    key = "errors.not_found"
    default = "not found"


class Gone(DomainError, LookupError):
    """It existed but no longer can be had: a link that expired, a file that is out of date."""

    key = "errors.gone"
    default = "the link has expired"


class Conflict(DomainError, ValueError):
    """The change would break a uniqueness rule or a state rule (a finished request, a used name)."""

    key = "errors.conflict"


class InvalidInput(DomainError, ValueError):
    """A value the caller sent is wrong in a way only the domain can tell (a bad cursor, an
    address that is not one); `location` names it as a validation error does, e.g.
    ("query", "cursor")."""

    key = "errors.invalid"
    code = "value_error"  # the `type` of the validation error

    def __init__(self, location: tuple[str, ...], message: str):
        super().__init__(message)
        self.location = tuple(location)


class InvalidReference(InvalidInput):
    """A field of the body points at something that does not exist."""

    code = "invalid_reference"

    def __init__(self, field: str, message: str):
        super().__init__(("body", field), message)
        self.field = field


class TooLarge(DomainError, ValueError):
    """What was sent is larger than the domain accepts."""

    key = "errors.too_large"


class TooManyRequests(DomainError):
    """The caller asked too often; `retry_after` seconds from now it may ask again."""

    key = "errors.too_many"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class NotAuthenticated(DomainError):
    """No valid credential came with the request (a site key, a token)."""

    key = "errors.not_authenticated"


class Forbidden(DomainError):
    """The caller is known, but may not do this (a site key used from an origin it does not name)."""

    key = "errors.forbidden"
