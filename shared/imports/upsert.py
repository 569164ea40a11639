"""Writing checked rows, set-based: COPY a chunk into a temporary staging table, then one MERGE
that inserts new rows, updates changed ones and writes their change history (PostgreSQL 17+
for MERGE … RETURNING, 18+ for its OLD/NEW).

Matching: contacts on `email`, companies on `business_id` (rows without one are new). An empty
cell keeps what the register has; provenance is replaced as a whole. A contact whose email is on
the suppression list comes in objecting to direct marketing (if not objecting already).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import psycopg
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from shared.models.companies import Company
from shared.models.contacts import Contact

PROVENANCE = ("legal_basis", "purposes", "source", "source_provider", "source_received")


@dataclass(frozen=True)
class Target:
    """How one kind of row lands in its table."""

    table: str
    model: type
    staging: tuple[str, ...]  # staging columns after `line`, in the order rows.py makes them
    match: str  # the column rows are matched on
    replace: tuple[str, ...]  # set from the row on update
    keep: tuple[str, ...]  # set from the row on update only when the row has a value
    defaults: dict[str, str]  # SQL defaults for new rows where the row has no value
    owners: str  # change_history contact_id, company_id expressions

    @property
    def name(self) -> str:
        return f"import_{self.table}_staging"

    def column_type(self, column: str) -> str:
        special = {"email_hash": "varchar(64)", "company_business_id": "varchar(9)"}
        if column in special:
            return special[column]
        return self.model.__table__.c[column].type.compile(dialect=postgresql.dialect())


CONTACTS = Target(
    table="contacts", model=Contact,
    staging=("first_name", "last_name", "email", "phone", "position", "language",
             "company_business_id", *PROVENANCE, "email_hash"),
    match="email",
    replace=("first_name", "last_name", *PROVENANCE),
    keep=("phone", "position", "language", "company_id"),
    defaults={"language": "'fi'"},
    owners="new.id AS contact_id, new.company_id AS company_id",
)
COMPANIES = Target(
    table="companies", model=Company,
    staging=("name", "business_id", "status", "owner", "street_address", "postal_code", "city",
             "country", "website", "sole_trader", *PROVENANCE),
    match="business_id",
    replace=("name", *PROVENANCE),
    keep=("status", "owner", "street_address", "postal_code", "city", "country", "website", "sole_trader"),
    defaults={"status": f"'{Company.model_fields['status'].default.value}'",
              "owner": f"'{Company.model_fields['owner'].default}'",
              "country": f"'{Company.model_fields['country'].default}'",
              "sole_trader": "false"},
    owners="NULL::integer AS contact_id, new.id AS company_id",
)
TARGETS = {"contacts": CONTACTS, "companies": COMPANIES}
_OBJECTION = ("objects_direct_marketing_at", "objects_direct_marketing_channel")


def _merge_sql(t: Target) -> str:
    """MERGE the staging rows into the table, history in the same statement; counts back."""
    contacts = t is CONTACTS
    data = [c for c in t.staging if c not in ("email_hash", "company_business_id")]
    data += ["company_id"] if contacts else []
    updated = {c: f"s.{c}" for c in t.replace} | {c: f"coalesce(s.{c}, c.{c})" for c in t.keep}
    changed = (f"(({', '.join(f'c.{c}' for c in updated)}) IS DISTINCT FROM "
               f"({', '.join(updated.values())}))")
    objecting = "s.suppressed AND c.objects_direct_marketing_at IS NULL"
    sets = [f"{c} = {e}" for c, e in updated.items()]
    inserts = {c: (f"coalesce(s.{c}, {t.defaults[c]})" if c in t.defaults else f"s.{c}") for c in data}
    inserts["purposes"] = "coalesce(s.purposes, '{}')"
    source = f"SELECT s.*, false AS suppressed FROM {t.name} s"
    if contacts:
        changed = f"({changed} OR ({objecting}))"
        sets += [f"objects_direct_marketing_at = CASE WHEN {objecting} THEN now() "
                 "ELSE c.objects_direct_marketing_at END",
                 f"objects_direct_marketing_channel = CASE WHEN {objecting} THEN 'import' "
                 "ELSE c.objects_direct_marketing_channel END"]
        inserts[_OBJECTION[0]] = "CASE WHEN s.suppressed THEN now() END"
        inserts[_OBJECTION[1]] = "CASE WHEN s.suppressed THEN 'import' END"
        source = (f"SELECT s.*, co.id AS company_id, EXISTS (SELECT 1 FROM suppressions x "
                  f"WHERE x.email_hash = s.email_hash) AS suppressed FROM {t.name} s "
                  "LEFT JOIN companies co ON co.business_id = s.company_business_id")
    inserts |= {"version": "1", "created_at": "now()", "updated_at": "now()"}
    shown = data + list(_OBJECTION if contacts else ())
    # New rows: every value given (json_build_object is the cheap one); updated rows: the
    # changed fields only, old and new.
    unchanged = ", ".join(f"CASE WHEN old.{c} IS NOT DISTINCT FROM new.{c} THEN '{c}' END" for c in shown)
    new_json = ", ".join(f"'{c}', new.{c}" for c in shown)
    old_json = ", ".join(f"'{c}', old.{c}" for c in shown)
    return f"""
        WITH src AS MATERIALIZED ({source}),
        m AS (
            MERGE INTO {t.table} AS c USING src AS s ON c.{t.match} = s.{t.match}
            WHEN MATCHED AND {changed} THEN
                UPDATE SET {', '.join(sets)}, version = c.version + 1, updated_at = now()
            WHEN NOT MATCHED THEN
                INSERT ({', '.join(inserts)}) VALUES ({', '.join(inserts.values())})
            RETURNING merge_action() AS action, new.id AS id, {t.owners},
                CASE WHEN old.id IS NOT NULL THEN
                    (jsonb_build_object({old_json}) - array_remove(ARRAY[{unchanged}], NULL))::text
                END AS old_value,
                CASE WHEN old.id IS NULL THEN json_strip_nulls(json_build_object({new_json}))::text
                ELSE (jsonb_build_object({new_json}) - array_remove(ARRAY[{unchanged}], NULL))::text
                END AS new_value
        ), h AS (
            INSERT INTO change_history (entity, entity_id, contact_id, company_id, action, field,
                                        old_value, new_value, actor, reason, at)
            SELECT '{t.table}', m.id, m.contact_id, m.company_id, 'import',
                   NULL, m.old_value, m.new_value, %(actor)s, %(reason)s, now()
              FROM m
        )
        SELECT count(*) FILTER (WHERE action = 'INSERT'), count(*) FILTER (WHERE action = 'UPDATE'),
               (SELECT count(*) FROM src WHERE suppressed)
          FROM m
    """


def copy_payload(rows: list[list]) -> str:
    """Checked rows as the CSV text COPY reads (None is NULL; values are never empty)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def driver_connection(session: Session) -> psycopg.Connection:
    """The psycopg connection under the session, in the session's transaction."""
    session.flush()
    return session.connection().connection.driver_connection


class Staging:
    """A temporary staging table for one import, dropped at commit."""

    def __init__(self, conn: psycopg.Connection, kind: str):
        self.conn, self.target = conn, TARGETS[kind]
        t = self.target
        columns = ", ".join(f"{c} {t.column_type(c)}" for c in t.staging)
        conn.execute(f"DROP TABLE IF EXISTS pg_temp.{t.name}")
        conn.execute(f"CREATE TEMP TABLE {t.name} (line integer NOT NULL, {columns}) ON COMMIT DROP")
        self.copy_sql = f"COPY {t.name} (line, {', '.join(t.staging)}) FROM STDIN (FORMAT csv)"
        self.merge_sql = _merge_sql(t)

    def write(self, payload: str, *, actor: str, reason: str | None) -> tuple[int, int, int, list[tuple[int, str]]]:
        """Upsert one chunk (its rows as COPY CSV text): inserted, updated, suppressed, and
        the rows refused here (contacts naming a company the register does not have)."""
        with self.conn.cursor() as cur:
            cur.execute(f"TRUNCATE {self.target.name}")
            with cur.copy(self.copy_sql) as copy:
                copy.write(payload)
            refused: list[tuple[int, str]] = []
            if self.target is CONTACTS:
                refused = [(line, "company_business_id: no company in the register has this business ID")
                           for (line,) in cur.execute(_UNKNOWN_COMPANIES).fetchall()]
            inserted, updated, suppressed = cur.execute(
                self.merge_sql, {"actor": actor, "reason": reason}).fetchone()
        return inserted, updated, suppressed, sorted(refused)

    def drop(self) -> None:
        self.conn.execute(f"DROP TABLE IF EXISTS pg_temp.{self.target.name}")


_UNKNOWN_COMPANIES = f"""
    DELETE FROM {CONTACTS.name} s
     WHERE s.company_business_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM companies co WHERE co.business_id = s.company_business_id)
    RETURNING s.line
"""
