"""What an import is asked with: the kind of rows and the defaults for their provenance."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator

from shared.models.provenance import LegalBasis, Purpose, SourceKind


class ImportKind(StrEnum):
    companies = "companies"
    contacts = "contacts"


class ImportOptions(BaseModel):
    """Defaults for every row; a row's own provenance columns override them."""

    legal_basis: LegalBasis | None = None
    purposes: list[Purpose] = Field(default_factory=list)
    source: SourceKind | None = None
    source_provider: str | None = Field(default=None, max_length=200)
    source_received: date | None = None
    list_id: None = Field(default=None, description="subscribing imported people to a list: not yet")

    @field_validator("purposes", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        """Accept `a|b`, `a;b`, `a,b` as well as a list (a form may repeat the field)."""
        if value is None:
            return []
        values = [value] if isinstance(value, str) else list(value)
        out: list[str] = []
        for item in values:
            out.extend(p.strip() for p in str(item).replace(";", "|").replace(",", "|").split("|") if p.strip())
        return list(dict.fromkeys(out))

    @field_validator("source_provider", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return value.strip() or None if isinstance(value, str) else value


class ImportForm(ImportOptions):
    """The fields of POST /v1/imports besides the file."""

    kind: ImportKind

    @field_validator("legal_basis", "source", "source_received", mode="before")
    @classmethod
    def _empty_field_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def options(self) -> ImportOptions:
        return ImportOptions.model_validate(self.model_dump(exclude={"kind"}))
