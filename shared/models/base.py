"""What every table shares: UTC timestamps and the naming convention for constraints."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, MetaData
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp_field(*, nullable: bool = False, index: bool = False, default_now: bool = False):
    """A timezone-aware timestamp column."""
    kwargs = {"default_factory": utcnow} if default_now else {"default": None}
    return Field(sa_type=DateTime(timezone=True), nullable=nullable, index=index, **kwargs)


def enum_field(enum_cls: type[StrEnum], *, default=None, index: bool = False, nullable: bool = False):
    """An enum stored as VARCHAR (no native PostgreSQL type: adding a value needs no migration)."""
    sa_type = SAEnum(
        enum_cls,
        native_enum=False,
        length=max(len(v.value) for v in enum_cls) + 10,
        values_callable=lambda e: [member.value for member in e],
        validate_strings=True,
    )
    if nullable:
        return Field(default=default, sa_type=sa_type, index=index, nullable=True)
    if default is None:
        return Field(sa_type=sa_type, index=index)
    return Field(default=default, sa_type=sa_type, index=index)
