"""Every text a person reads, in fi, sv and en: one table of labels, one date format per language.

`t("centre.home.title", lang)` gives a text; `label("request_kind", "access", lang)` gives the
label of a code a person may see (kinds, statuses, sources ...); `format_date` and
`format_datetime` give the one date format of each language, in Europe/Helsinki time.
The table is assembled in `shared/i18n/table.py` from one module per area; a test checks that
every entry has all three languages.
"""

from __future__ import annotations

from shared.i18n.dates import HELSINKI, format_date, format_datetime, format_month
from shared.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, choose_language, normalize_language
from shared.i18n.table import TEXTS, has_label, label, t

__all__ = [
    "DEFAULT_LANGUAGE",
    "HELSINKI",
    "LANGUAGES",
    "TEXTS",
    "choose_language",
    "format_date",
    "format_datetime",
    "format_month",
    "has_label",
    "label",
    "normalize_language",
    "t",
]
