"""The incremental check: records against the register through indexes, never a full read.

`check_records` (job `dedup.check`) puts the groups in the review queue; `likely_duplicates`
answers the create routes (warn, don't block) and stores nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from shared.dedup.blocking import Probe, register_candidates
from shared.dedup.clustering import cannot_link_for, cluster, scorer_for
from shared.dedup.loading import LOAD_SQL, dedup_settings, gc_paused, load_records, record_of
from shared.dedup.normalize import person_name, website_domain
from shared.dedup.queue import save_groups
from shared.models import Company, Contact
from shared.models.dedup import folded_sql


def _probe(entity: str, row) -> Probe:
    if entity == "contacts":
        record = record_of(entity, row)
        return Probe(id=row[0], email=row[3], phone=row[4], first_f=record.first_f, last_f=record.last_f,
                     company_id=row[9])
    return Probe(id=row[0], business_id=row[2], domain=website_domain(row[3]), name=row[1] or "")


def _probe_of(record: Contact | Company) -> Probe:
    """The probe of a record at hand (one query fewer than reading it back)."""
    if isinstance(record, Contact):
        return Probe(id=record.id, email=record.email, phone=record.phone, first_f=person_name(record.first_name)[1],
                     last_f=person_name(record.last_name)[1], company_id=record.company_id)
    return Probe(id=record.id, business_id=record.business_id, domain=website_domain(record.website),
                 name=record.name or "")


def _match_against_register(session: Session, *, entity: str, ids: Sequence[int],
                            probes: Sequence[Probe] | None = None) -> tuple[dict, list, dict]:
    """Scored links from each record to its register candidates: (records by id, links, candidates)."""
    if probes is None:
        rows = session.execute(text(LOAD_SQL[entity] + " WHERE c.id = ANY(:ids)"), {"ids": list(ids)}).all()
        probes = [_probe(entity, r) for r in rows]
    candidates = register_candidates(session, entity=entity, probes=probes)
    everyone = set(ids) | {c for found in candidates.values() for c in found}
    records = {r.id: r for r in load_records(session, entity=entity, ids=sorted(everyone))}
    frequencies = RegisterFrequencies(session, entity=entity)
    frequencies.prefetch(records.values())
    scorer = scorer_for(entity, frequencies)
    links = [scorer.score(records[p], records[c]) for p, found in candidates.items() for c in sorted(found)
             if c in records and p in records]
    return records, links, candidates


def check_records(session: Session, *, entity: str, ids: Sequence[int], run_id: int | None = None) -> dict[str, Any]:
    """Group the records with their likely twins and put the groups in the review queue."""
    with gc_paused():
        records, links, candidates = _match_against_register(session, entity=entity, ids=ids)
    threshold = dedup_settings().link_probability
    groups = cluster(links, threshold=threshold, cannot_link=cannot_link_for(entity, records))
    saved = save_groups(session, entity=entity, groups=groups, run_id=run_id)
    return {"records": len(ids), "pairs_compared": len(links), "groups": len(groups), **saved}


@dataclass(frozen=True, slots=True)
class LikelyDuplicate:
    """A record of the register that is likely the same as the one just created, and why: the
    fields that agreed and how much each counted — never the values."""

    id: int
    score: float  # the probability that the two are one
    reasons: list[dict[str, Any]]  # [{"field", "level", "weight"}]


def likely_duplicates(session: Session, *, contact: Contact | None = None, company: Company | None = None,
                      limit: int = 5) -> list[LikelyDuplicate]:
    """The register's likely duplicates of a (flushed) record, most likely first. For a warning
    when a record is created: nothing is blocked or stored; a few indexed queries, no scan."""
    entity, record = ("contacts", contact) if contact is not None else ("companies", company)
    _, links, _ = _match_against_register(session, entity=entity, ids=[record.id], probes=[_probe_of(record)])
    threshold = dedup_settings().link_probability
    ranked = sorted((link for link in links if link.probability >= threshold), key=lambda x: (-x.weight, x.b))
    return [LikelyDuplicate(id=link.b, score=round(link.probability, 6), reasons=link.explain()["fields"])
            for link in ranked[:limit]]


def likely_duplicates_before_saving(session: Session, *, create: Callable[[], Contact | Company],
                                    limit: int = 5) -> list[LikelyDuplicate]:
    """The likely duplicates a record would have if `create()` saved it now, asked before it is
    saved (the desk's "new" forms, where saving is then confirmed): made in a savepoint, checked
    as `likely_duplicates` checks a created one, and rolled back, so nothing is stored. A domain
    error of `create` (an email address already taken …) passes to the caller."""
    savepoint = session.begin_nested()
    try:
        record = create()
        session.flush()
        if isinstance(record, Contact):
            return likely_duplicates(session, contact=record, limit=limit)
        return likely_duplicates(session, company=record, limit=limit)
    finally:
        savepoint.rollback()


class RegisterFrequencies:
    """Value counts from the register where an index answers them; the population default elsewhere.

    A count stops at COUNT_CAP rows (a rare value is counted exactly through its index, a common
    one is not read row by row: 'Virtanen' is thousands); above it the planner's statistics give
    the share (pg_stats' most common values), else COUNT_CAP."""

    # (entity, field): (SQL expression, record attribute, where ANALYZE keeps its statistics)
    QUERIES = {("contacts", "last_name"): (folded_sql("last_name"), "last_f", ("ix_contacts_last_folded", None)),
               ("contacts", "phone"): ("phone", "phone", ("contacts", "phone")),
               ("companies", "business_id"): ("business_id", "business_id", ("companies", "business_id"))}
    COUNT_CAP = 500

    def __init__(self, session: Session, *, entity: str):
        self.session, self.entity = session, entity
        self.total = _register_size(session, entity)
        self._counts: dict[str, dict[str, int]] = {}

    def prefetch(self, records) -> None:
        """Count every value of the records: one query, each value through its index."""
        records, parts, params = list(records), [], {}
        for (entity, field), (expression, attribute, _) in self.QUERIES.items():
            values = sorted({v for r in records if (v := getattr(r, attribute))}) if entity == self.entity else []
            if values:
                parts.append(f"SELECT '{field}', v, (SELECT count(*) FROM (SELECT 1 FROM {entity} "
                             f"WHERE {expression} = v LIMIT {self.COUNT_CAP + 1}) x) "
                             f"FROM unnest(CAST(:{field} AS text[])) v")
                params[field] = values
        for field, value, count in self.session.execute(text(" UNION ALL ".join(parts)), params) if parts else ():
            self._counts.setdefault(field, {})[value] = self._common(field, value) if count > self.COUNT_CAP else count

    def _common(self, field: str, value: str) -> int:
        relation, column = self.QUERIES[(self.entity, field)][2]
        shares = _common_values(self.session, relation, column)
        return max(self.COUNT_CAP, round(shares.get(value, 0.0) * self.total))

    def count(self, field: str, value: str) -> int | None:
        if (self.entity, field) not in self.QUERIES:
            return None
        if value not in self._counts.get(field, {}):
            self.prefetch([_Value(**{self.QUERIES[(self.entity, field)][1]: value})])
        return self._counts[field][value]


class _Value:
    def __init__(self, **attributes: str):
        self.last_f = self.phone = self.business_id = ""
        self.__dict__.update(attributes)


_CACHE: dict[tuple, tuple[float, Any]] = {}  # (database, what …) -> (when, value)
MAX_AGE = 60.0


def _cached(session: Session, key: tuple, compute):
    """A figure of the register kept a minute per process: a create does not wait on it, and a
    size or a share a minute old scores the same."""
    key, now = (str(session.connection().engine.url), *key), time.monotonic()
    known = _CACHE.get(key)
    if known is None or now - known[0] > MAX_AGE:
        known = _CACHE[key] = (now, compute())
    return known[1]


def _register_size(session: Session, entity: str) -> int:
    """The register's size for the prior: the planner's estimate (exact when small)."""
    def compute() -> int:
        estimate = session.execute(text("SELECT reltuples::bigint FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                                   {"t": entity}).scalar_one()
        if estimate < 10_000:  # never analysed (-1), or small enough to count
            estimate = session.execute(text(f"SELECT count(*) FROM {entity}")).scalar_one()
        return int(estimate)
    return _cached(session, ("size", entity), compute)


def _common_values(session: Session, relation: str, column: str | None) -> dict[str, float]:
    """The most common values of a column (or of an expression index) and their shares, from
    the statistics ANALYZE keeps (pg_stats)."""
    def compute() -> dict[str, float]:
        rows = session.execute(text(
            "SELECT m.v, m.f FROM pg_stats s, unnest(CAST(CAST(s.most_common_vals AS text) AS text[]), "
            "s.most_common_freqs) AS m(v, f) WHERE s.tablename = :relation "
            "AND (CAST(:column AS text) IS NULL OR s.attname = :column)"
        ), {"relation": relation, "column": column}).all()
        return {v: f for v, f in rows}
    return _cached(session, ("common", relation, column), compute)
