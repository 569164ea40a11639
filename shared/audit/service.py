"""Change history and access log, written in the caller's transaction.

`apply_changes` is how every update of personal data happens: it sets the new values, bumps
the row's version (the ETag), and writes one history row per changed field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from shared.models import ChangeRecord, utcnow

SYSTEM_FIELDS = frozenset({"id", "version", "created_at", "updated_at"})


@dataclass(frozen=True)
class Actor:
    """Who changes or reads data, and why (a request id, a subject request, an import job)."""

    label: str  # "user:12", "system", "import:<job id>"
    user_id: int | None = None
    reason: str | None = None  # a stated reason (an admin's), a subject request's id
    request_id: str | None = None

    @classmethod
    def user(cls, user_id: int, *, reason: str | None = None, request_id: str | None = None) -> Actor:
        return cls(label=f"user:{user_id}", user_id=user_id, reason=reason, request_id=request_id)


OPERATOR = Actor(label="operator:cli")  # the command line, run by the machine's operator


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def _owners(entity: SQLModel) -> dict[str, int | None]:
    table = entity.__tablename__
    if table == "contacts":
        return {"contact_id": entity.id, "company_id": entity.company_id}
    if table == "companies":
        return {"contact_id": None, "company_id": entity.id}
    return {"contact_id": getattr(entity, "contact_id", None), "company_id": getattr(entity, "company_id", None)}


def record(session: Session, *, entity: SQLModel, action: str, actor: Actor, field: str | None = None,
           old: Any = None, new: Any = None) -> None:
    session.add(ChangeRecord(
        entity=entity.__tablename__, entity_id=entity.id, action=action, field=field,
        old_value=_text(old), new_value=_text(new), actor=actor.label,
        reason=actor.reason or actor.request_id,
        **_owners(entity),
    ))


def record_created(session: Session, *, entity: SQLModel, actor: Actor) -> None:
    """One history row per field set at creation (old value empty)."""
    session.flush()
    for field, value in entity.model_dump().items():
        if field not in SYSTEM_FIELDS and value not in (None, [], ""):
            record(session, entity=entity, action="create", actor=actor, field=field, new=value)


def apply_changes(session: Session, *, entity: SQLModel, changes: Mapping[str, Any], actor: Actor) -> list[str]:
    """Set the changed fields, write their history, bump the version. Returns the changed names."""
    changed = []
    for field, new in changes.items():
        old = getattr(entity, field)
        if _text(old) == _text(new):
            continue
        setattr(entity, field, new)
        record(session, entity=entity, action="update", actor=actor, field=field, old=old, new=new)
        changed.append(field)
    if changed:
        entity.version += 1
        entity.updated_at = utcnow()
        session.add(entity)
        session.flush()
    return changed


def record_deleted(session: Session, *, entity: SQLModel, actor: Actor) -> None:
    """A deletion is recorded without repeating the deleted values."""
    record(session, entity=entity, action="delete", actor=actor)


def record_revoked(session: Session, *, entity: SQLModel, actor: Actor) -> bool:
    """Revoke a credential (a token, a site key) now, once, with its history row; True if it was live."""
    if entity.revoked_at is not None:
        return False
    entity.revoked_at = utcnow()
    session.add(entity)
    record(session, entity=entity, action="revoke", actor=actor, field="revoked_at", new=entity.revoked_at)
    return True


def history(session: Session, *, contact_id: int | None = None, company_id: int | None = None,
            limit: int = 500) -> list[ChangeRecord]:
    query = select(ChangeRecord).order_by(ChangeRecord.id.desc()).limit(limit)
    if contact_id is not None:
        query = query.where(ChangeRecord.contact_id == contact_id)
    if company_id is not None:
        query = query.where(ChangeRecord.company_id == company_id)
    return list(session.exec(query).all())


# The access-log row of a transaction that has written nothing before it (no transaction id yet)
# is committed without waiting for its WAL to reach the disk: the caller's commit still happens
# before the answer is sent (every answered read is in the log, as seen by anyone reading the
# database), but a crash of the PostgreSQL server (or of its machine) within about
# 3 x wal_writer_delay (0.6 s by default) after that commit can lose the row. A transaction that
# wrote anything before keeps the server's synchronous_commit. One statement: the setting is
# decided before the row itself gives the transaction its id.
_LOG_READ = text(
    "INSERT INTO access_log (user_id, contact_ids, route, reason, request_id, at) "
    "SELECT :user_id, CAST(:contact_ids AS integer[]), :route, :reason, :request_id, :at "
    "FROM (SELECT set_config('synchronous_commit', CASE WHEN txid_current_if_assigned() IS NULL THEN 'off' "
    "ELSE current_setting('synchronous_commit') END, true)) AS setting")


def record_access(session: Session, *, actor: Actor, contact_ids: Iterable[int], route: str) -> None:
    """Log a read of contacts' personal data (also list and search results). Call it after the
    request's writes, if any: in a transaction that only reads, the commit does not wait for the
    disk, and neither would a write made after this (see _LOG_READ)."""
    ids = sorted({i for i in contact_ids if i is not None})
    if ids:
        session.flush()
        session.execute(_LOG_READ, {"user_id": actor.user_id, "contact_ids": ids, "route": route,
                                    "reason": actor.reason, "request_id": actor.request_id, "at": utcnow()})
