"""Fill web_events (and visitor_links) set-based in SQL, for benchmarks on a throwaway database.

Every contact is an identified visitor (`visitor_links`: visitor `v<contact id>`) and the events
are spread evenly over the contacts, newest within the last year. The load is the fast path for
a bulk fill: the table's secondary indexes are dropped and rebuilt afterwards from their own
definitions (pg_indexes), and the foreign-key trigger is skipped (session_replication_role =
replica, superuser only): the contact ids come from the contacts table, so they all exist.
"""

from __future__ import annotations

import psycopg


def fill_web_events(url: str, *, events: int) -> None:
    """`events` web events over all contacts in the database (call after bench.register_data.fill)."""
    with psycopg.connect(url, autocommit=True) as conn:
        lo, hi = conn.execute("SELECT min(id), max(id) FROM contacts").fetchone()
        n = hi - lo + 1
        conn.execute("INSERT INTO visitor_links (visitor_id, contact_id, linked_at) "
                     "SELECT 'v' || id, id, now() - interval '400 days' FROM contacts")
        indexes = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'web_events' "
                               "AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET session_replication_role = replica")
        conn.execute(f"""
            INSERT INTO web_events (site, page, referrer, occurred_at, visitor_id, contact_id)
            SELECT 'www.jetmasters.fi',
                   'https://www.jetmasters.fi/' || (ARRAY['tuotteet','huolto','hinnasto','yhteystiedot',
                                                          'uutiset'])[1 + g % 5] || '/' || (g % 997),
                   CASE WHEN g % 3 = 0 THEN 'https://www.google.com/' END,
                   now() - (g % 525600) * interval '1 minute',
                   'v' || ({lo} + g % {n}), {lo} + g % {n}
              FROM generate_series(1, {events}) g""")
        conn.execute("RESET session_replication_role")
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            conn.execute(definition)
        conn.execute("VACUUM (ANALYZE) web_events")
        conn.execute("VACUUM (ANALYZE) visitor_links")
