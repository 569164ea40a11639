"""The languages a person can read the register in, and how a page picks one."""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"


def normalize_language(value: object) -> str:
    """A language code of ours from "fi", "sv-FI", "EN" or an enum; Finnish when unknown."""
    code = str(getattr(value, "value", value) or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def choose_language(query: str | None, accept_language: str | None) -> str:
    """`?lang=` first, then the browser's Accept-Language (by its q-values), else Finnish."""
    if query and query.strip().lower()[:2] in LANGUAGES:
        return query.strip().lower()[:2]
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        code = tag.strip().lower()[:2]
        if code in LANGUAGES and quality > 0:
            choices.append((-quality, position, code))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def entries(prefix: str, rows: dict[str, tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    """Table entries from `(fi, sv, en)` rows: `{"<prefix>.<key>": {"fi": ..., "sv": ..., "en": ...}}`."""
    return {f"{prefix}.{key}": dict(zip(LANGUAGES, row, strict=True)) for key, row in rows.items()}
