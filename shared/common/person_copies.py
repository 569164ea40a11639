"""One lock orders erasures (and other Art. 19 follow-ups) against work that copies a person's
data elsewhere — a transfer recording who got its file, a campaign writing its outbox rows.

Erasures, rectifications and restrictions take it shared, so they never wait for each other.
Copying work takes it exclusively, briefly, at its end, and then looks again in a fresh snapshot:
every follow-up that began earlier has committed (the copy sees its effect and cleans up or
queues the notice itself, see shared/transfers/meanwhile.py and shared/campaigns/audience.py);
every later one waits for the copy to commit, and then finds it. Without it the fault suite saw
an erasure committing mid-transfer leave the person's id in `disclosures` with the partner never
told, and one committing mid-build leave the person's address in a campaign's outbox row.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

PERSON_COPIES_LOCK = 0x52_45_4B_44  # "REKD"


def hold_person_copies(session: Session, *, exclusive: bool = False) -> None:
    """Take the lock until the transaction ends (shared: a follow-up; exclusive: a copy finishing)."""
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.execute(text(f"SELECT {function}(:key)"), {"key": PERSON_COPIES_LOCK})
