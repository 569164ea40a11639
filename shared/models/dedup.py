"""Deduplication: runs, the review queue of candidate groups, and merges (with what undoes them).

Candidate groups hold ids, scores and explanations (which fields agreed, how much each counted),
never the compared values. Membership rows point at the contact or company with ON DELETE
CASCADE, so an erased person leaves no candidate behind. A merge keeps, until it is undone, a
snapshot of the merged-away records (personal data): it hangs on the survivor with ON DELETE
CASCADE, so erasing the survivor erases the snapshot too.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, String, UniqueConstraint, bindparam, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field
from shared.models.companies import Company
from shared.models.contacts import Contact

# Diacritic folding for names, the same in Python (shared.dedup.normalize) and in SQL.
FOLD_FROM = "äöåüéèêëáàâãçñõóòôíìîïúùûýÿøæšžð"
FOLD_TO = "aoaueeeeaaaacnooooiiiiuuuyyoaszd"


SEPARATORS_SQL = "[[:space:]'’.-]+"
DOMAIN_PATTERN_SQL = "^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\\.)?([^/:?#]+)"


def folded(column):
    """A name column lower-cased, diacritics folded, separators removed (an SQL expression), in
    the "C" collation: byte order, so a prefix is a range of its index whatever the database's
    collation (the contact search), and equality is the same as in any other (dedup)."""
    return func.regexp_replace(func.translate(func.lower(column), inline(FOLD_FROM), inline(FOLD_TO)),
                               inline(SEPARATORS_SQL), inline(""), inline("g"), type_=String).collate("C")


def inline(value: str):
    """A constant written into the statement, not bound: an expression with bound parameters
    does not match its index in a prepared statement's generic plan."""
    return bindparam(None, value, type_=String, literal_execute=True)


def folded_sql(column: str) -> str:
    """The same as SQL text, for hand-written queries (constants inline, so the index applies)."""
    return (f"(regexp_replace(translate(lower({column}), '{FOLD_FROM}', '{FOLD_TO}'), '[[:space:]''’.-]+', '', 'g')"
            ' COLLATE "C")')


def email_local_sql(column: str) -> str:
    return f"split_part({column}, '@', 1)"


def website_domain_sql(column: str) -> str:
    """For text(): its colons escaped, or ':www' would be read as a bound parameter."""
    return f"substring(lower({column}), '{DOMAIN_PATTERN_SQL}')".replace(":", "\\:")


# The incremental check finds a new record's likely twins through these (contacts.phone,
# contacts.email, contacts.company_id and companies.business_id have indexes already); the
# contact search finds first and last names by their folded prefix through the two name indexes,
# and lists contacts in the order of the last name's (shared/contacts/search.py).
_contacts, _companies = Contact.__table__, Company.__table__
Index("ix_contacts_last_folded", folded(_contacts.c.last_name), _contacts.c.id)  # also the "name" order
Index("ix_contacts_first_folded", folded(_contacts.c.first_name))
Index("ix_dedup_contacts_email_local", func.split_part(_contacts.c.email, "@", 1))
Index("ix_dedup_companies_domain", func.substring(func.lower(_companies.c.website), DOMAIN_PATTERN_SQL))


class DedupEntity(StrEnum):
    contacts = "contacts"
    companies = "companies"


class CandidateStatus(StrEnum):
    open = "open"  # waiting for a reviewer
    dismissed = "dismissed"  # not duplicates: a later run leaves the same group dismissed
    merged = "merged"
    superseded = "superseded"  # a later full run no longer found this group


class DedupRun(SQLModel, table=True):
    __tablename__ = "dedup_runs"

    id: int | None = Field(default=None, primary_key=True)
    entity: DedupEntity = enum_field(DedupEntity)
    mode: str = Field(default="full", max_length=20)  # full, check
    auto_merge: bool = False
    job_id: uuid.UUID | None = Field(default=None, foreign_key="jobs.id", index=True, ondelete="SET NULL")
    stats: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field(default_now=True)
    finished_at: datetime | None = timestamp_field(nullable=True)


class DedupCandidate(SQLModel, table=True):
    """A candidate group: its members (dedup_candidate_members), score and explanation."""

    __tablename__ = "dedup_candidates"
    __table_args__ = (
        UniqueConstraint("entity", "member_key"),
        Index("ix_dedup_candidates_queue", "entity", "status", text("score DESC"), text("id DESC")),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity: DedupEntity = enum_field(DedupEntity)
    member_key: str = Field(max_length=2000)  # the member ids, sorted, comma-separated
    status: CandidateStatus = enum_field(CandidateStatus, default=CandidateStatus.open)
    score: float  # the weakest member-to-centre link, as a probability
    centre_id: int
    # [{"a", "b", "probability", "match_weight", "prior", "fields": [{"field", "level", "weight"}]}]
    explanation: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    run_id: int | None = Field(default=None, foreign_key="dedup_runs.id", index=True, ondelete="SET NULL")
    decision_reason: str | None = Field(default=None, max_length=40)  # a code, never free text
    decided_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    decided_at: datetime | None = timestamp_field(nullable=True)
    merge_id: int | None = Field(default=None, foreign_key="dedup_merges.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)


class DedupCandidateMember(SQLModel, table=True):
    __tablename__ = "dedup_candidate_members"

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="dedup_candidates.id", index=True, ondelete="CASCADE")
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True, ondelete="CASCADE")
    company_id: int | None = Field(default=None, foreign_key="companies.id", index=True, ondelete="CASCADE")
    probability: float  # of the link to the centre (1 for the centre)
    centre: bool = False


class DedupMerge(SQLModel, table=True):
    """One merge: who, when, the members, the field choices; the snapshot that undoes it."""

    __tablename__ = "dedup_merges"

    id: int | None = Field(default=None, primary_key=True)
    entity: DedupEntity = enum_field(DedupEntity)
    survivor_contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True,
                                            ondelete="CASCADE")
    survivor_company_id: int | None = Field(default=None, foreign_key="companies.id", index=True,
                                            ondelete="CASCADE")
    merged_ids: list[int] = Field(default_factory=list, sa_column=Column(ARRAY(Integer), nullable=False))
    candidate_id: int | None = Field(default=None, index=True)
    # {field: {"from": record id, "rule": "reviewer" | "most_recent" | "source_priority" | …}}
    choices: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    automatic: bool = False
    actor: str = Field(max_length=120)
    at: datetime = timestamp_field(default_now=True)
    undone_at: datetime | None = timestamp_field(nullable=True)
    undone_by: str | None = Field(default=None, max_length=120)
    snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
