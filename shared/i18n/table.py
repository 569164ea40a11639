"""The one table of texts: each area's module adds its entries under its own prefix.

Entries are `key -> {"fi": ..., "sv": ..., "en": ...}`; values may hold `{name}` placeholders
filled by `t(..., name=value)`. Code labels live under `code.<kind>.<code>` (see codes.py).
Add a module per area (mail, privacy centre, desk) and list it in `_AREAS`.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.i18n import (access_answer, codes, common, desk, desk_campaigns, desk_register, desk_sales, errors, mail,
                         notice, privacy_centre, retention)
from shared.i18n.languages import normalize_language

_AREAS = (common, codes, errors, mail, access_answer, notice, retention, privacy_centre, desk, desk_register,
          desk_campaigns, desk_sales)


def _assemble() -> dict[str, Mapping[str, str]]:
    texts: dict[str, Mapping[str, str]] = {}
    for area in _AREAS:
        for key, entry in area.TEXTS.items():
            if key in texts:
                raise ValueError(f"text {key!r} is defined twice ({area.__name__})")
            texts[key] = entry
    return texts


TEXTS: dict[str, Mapping[str, str]] = _assemble()


def t(key: str, language: object, /, **values: object) -> str:
    """The text `key` in `language`, with `{placeholders}` filled; KeyError for an unknown key."""
    text = TEXTS[key][normalize_language(language)]
    return text.format(**values) if values else text


def label(kind: str, code: object, language: object, *, capital: bool = False) -> str:
    """The label a person reads for a code (`label("request_kind", "access", "fi")`); `capital` for
    one that starts a line or a list item ("Hakemistopalvelu")."""
    text = t(f"code.{kind}.{getattr(code, 'value', code)}", language)
    return text[:1].upper() + text[1:] if capital else text


def has_label(kind: str, code: object) -> bool:
    """Whether a code of this kind has a label."""
    return f"code.{kind}.{getattr(code, 'value', code)}" in TEXTS
