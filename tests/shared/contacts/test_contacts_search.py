"""The contact search on a large register: a name is found through the folded-name indexes,
never by reading the whole contacts table."""

from __future__ import annotations

import pytest
from psycopg import ClientCursor
from sqlalchemy import create_engine, text
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from shared.contacts.search import search_contacts, search_statement
from shared.db import normalize_database_url
from shared.models import CompanyStatus

CONTACTS = 200_000


@pytest.fixture(scope="module")
def large(pg_server):
    """A database of its own with 200,000 contacts (a few thousand distinct names), analysed."""
    engine = create_engine(normalize_database_url(pg_server.create("rekisteri_search")))
    with engine.begin() as conn:
        conn.execute(text("""
            INSERT INTO companies (name, status, owner, country, sole_trader, legal_basis, purposes, source,
                                   version, created_at, updated_at)
            SELECT 'Yritys ' || g || ' Oy', (ARRAY['prospect','customer','former_customer'])[1 + g % 3],
                   'Testi Oy', 'FI', false, 'customer_relationship', ARRAY['sales_marketing'], 'controller',
                   1, now(), now()
              FROM generate_series(1, 5000) g"""))
        conn.execute(text(f"""
            INSERT INTO contacts (company_id, first_name, last_name, email, language, legal_basis, purposes,
                                  source, version, created_at, updated_at)
            SELECT 1 + g % 5000,
                   CASE WHEN g % 1000 = 0 THEN 'Maija' ELSE 'Etu' || (g % 3000) END,
                   CASE WHEN g % 997 = 0 THEN 'Mäkinen' WHEN g % 991 = 0 THEN 'JÄRVINEN'
                        ELSE 'Suku' || (g % 7000) END,
                   'person' || g || '@example.fi', 'fi', 'customer_relationship', ARRAY['sales_marketing'],
                   'controller', 1, now(), now()
              FROM generate_series(1, {CONTACTS}) g"""))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE companies"))
        conn.execute(text("VACUUM ANALYZE contacts"))
    yield engine
    engine.dispose()


def _plan(session: Session, **filters) -> str:
    """The plan PostgreSQL uses for the statement as the API sends it (its parameters bound), as
    a prepared statement's generic plan: the plan a plan cache settles on after a few runs."""
    compiled = search_statement(**filters).compile(dialect=postgresql.dialect(),
                                                   compile_kwargs={"render_postcompile": True})
    conn = session.connection().connection.driver_connection
    conn.execute("DEALLOCATE ALL")
    conn.execute("SET plan_cache_mode = force_generic_plan")
    conn.execute(compiled.string, compiled.params, prepare=True)
    name = conn.execute("SELECT name FROM pg_prepared_statements").fetchone()[0]
    values = ClientCursor(conn).mogrify(", ".join(f"%({n})s" for n in compiled.params), compiled.params)
    return "\n".join(row[0] for row in conn.execute(f"EXPLAIN EXECUTE {name}({values})"))


@pytest.mark.parametrize("filters", [
    {"q": "maija"}, {"q": "mak"}, {"q": "JÄRV"}, {"q": "maija mäki"}, {"q": "suku12 etu"},
    {"q": "mak", "company_status": CompanyStatus.customer}, {"q": "maija", "sort": "-created_at"},
])
def test_a_name_is_found_through_the_name_indexes(large, filters):
    with Session(large) as session:
        plan = _plan(session, **filters)
        assert "Seq Scan on contacts" not in plan, plan
        assert "ix_contacts_first_folded" in plan or "ix_contacts_last_folded" in plan, plan


def test_the_large_register_answers_what_the_plan_reads(large):
    with Session(large) as session:
        maija, _ = search_contacts(session, q="maija", limit=500)
        makinen, _ = search_contacts(session, q="Mak", limit=500)
    assert len(maija) == CONTACTS // 1000 and {c.first_name for c in maija} == {"Maija"}
    assert {c.last_name for c in makinen} == {"Mäkinen"} and len(makinen) == CONTACTS // 997
