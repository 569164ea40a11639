"""What the matcher reads: dedup settings and the records of one entity as it sees them."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from shared.dedup.normalize import company_record, contact_record
from shared.settings import get_settings


@dataclass(frozen=True)
class DedupSettings:
    """From REKISTERI_DEDUP_* (shared/settings.py): automatic merging is off until a threshold is set."""

    auto_merge_threshold: float | None
    link_probability: float


def dedup_settings() -> DedupSettings:
    settings = get_settings()
    return DedupSettings(settings.dedup_auto_merge_threshold, settings.dedup_link_probability)


LOAD_SQL = {
    "contacts": """SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.position, co.name, co.business_id,
                          c.restricted_at IS NOT NULL, c.company_id
                     FROM contacts c LEFT JOIN companies co ON co.id = c.company_id""",
    "companies": """SELECT c.id, c.name, c.business_id, c.website, c.street_address, c.postal_code, c.city
                      FROM companies c""",
}


def record_of(entity: str, row) -> Any:
    if entity == "contacts":
        return contact_record(id=row[0], first_name=row[1], last_name=row[2], email=row[3], phone=row[4],
                              position=row[5], company=row[6], business_id=row[7], restricted=row[8])
    return company_record(id=row[0], name=row[1], business_id=row[2], website=row[3], street=row[4],
                          postcode=row[5], city=row[6])


def load_records(session: Session, *, entity: str, ids: Sequence[int] | None = None) -> list:
    """Records of the entity as the matcher sees them: these ids, or all of them — streamed from
    a server-side cursor on the session's connection (in its transaction), plain tuples."""
    if ids is not None:
        rows = session.execute(text(LOAD_SQL[entity] + " WHERE c.id = ANY(:ids)"), {"ids": list(ids)})
        return [record_of(entity, row) for row in rows]
    with session.connection().connection.driver_connection.cursor(name="dedup_load") as cursor:
        cursor.itersize = 50_000
        cursor.execute(LOAD_SQL[entity])
        return [record_of(entity, row) for row in cursor]


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a run holds a million small objects: each of its
    full passes walks them all (a third of a run's time at a million), and matching makes no
    cycles to collect. Reference counting frees memory as usual."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
