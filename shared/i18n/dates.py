"""One date and one date-time format per language, always in Europe/Helsinki time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime

from shared.i18n.languages import normalize_language

HELSINKI = ZoneInfo("Europe/Helsinki")

# (babel locale, date pattern, date-time pattern)
_FORMATS = {
    "fi": ("fi_FI", "d.M.y", "d.M.y 'klo' H.mm"),
    "sv": ("sv_FI", "d.M.y", "d.M.y 'kl.' H.mm"),
    "en": ("en_GB", "d MMMM y", "d MMMM y 'at' HH:mm"),
}


def format_date(value: dt.date | dt.datetime | None, language: object) -> str:
    """6.1.2027 (fi, sv) or 6 January 2027 (en); a date-time is first moved to Helsinki time."""
    if value is None:
        return ""
    locale, pattern, _ = _FORMATS[normalize_language(language)]
    if isinstance(value, dt.datetime):
        value = _helsinki(value).date()
    return _babel_date(value, pattern, locale=locale)


def format_datetime(value: dt.datetime | None, language: object) -> str:
    """6.1.2027 klo 6.26 (fi), 6.1.2027 kl. 6.26 (sv), 6 January 2027 at 06:26 (en), Helsinki time."""
    if value is None:
        return ""
    locale, _, pattern = _FORMATS[normalize_language(language)]
    return _babel_datetime(_helsinki(value), pattern, locale=locale)


def _helsinki(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:  # the database keeps UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(HELSINKI)


def format_month(year: int, month: int, language: object) -> str:
    """joulukuu 2026 (fi), december 2026 (sv), December 2026 (en)."""
    locale, _, _ = _FORMATS[normalize_language(language)]
    return _babel_date(dt.date(year, month, 1), "LLLL y", locale=locale)
