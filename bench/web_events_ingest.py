"""Web event ingest throughput: the service path against a plain COPY, in one run.

    python -m bench.web_events_ingest [--events N] [--server-url URL]

The service path is what POST /v1/web-events does after validation: `ingest_events` on
batches of 1000 (visitor links looked up, URLs scrubbed, one multi-row INSERT) and a commit
per batch, as one request each. The baseline is one COPY of the very same rows into a scratch
table identical to web_events (columns, identity, indexes, foreign key). Everything runs in a
throwaway database: on an embedded PostgreSQL in a temporary folder, or on the server named by
--server-url (or REKISTERI_BENCH_SERVER_URL); it is dropped afterwards. The last line is
`RESULT events=N ... rate=<events/s> copy_rate=<rows/s> ratio=<rate/copy_rate>`.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url
from sqlmodel import Session

from shared.db import build_engine
from shared.logging import configure_logging
from shared.models import Contact, LegalBasis, SourceKind, VisitorLink
from shared.web_events.schemas import WebEventIn
from shared.web_events.service import ingest_events

BATCH = 1000
COLUMNS = ("site", "page", "referrer", "occurred_at", "visitor_id", "contact_id")


def _plain(url: str, database: str) -> str:
    return make_url(url).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


@contextmanager
def throwaway_database(server_url: str | None) -> Iterator[str]:
    """A migrated, empty database that is dropped (with its embedded server) afterwards."""
    from shared.embedded.postgres import start_postgres
    from shared.migrations import upgrade

    with tempfile.TemporaryDirectory(prefix="rekisteri-bench-") as tmp:
        server = None if server_url else start_postgres(Path(tmp) / "pg")
        server_url = server_url or server.admin_url
        name = f"bench_web_events_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(_plain(server_url, "postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            upgrade(_plain(server_url, name))
            yield _plain(server_url, name)
        finally:
            with psycopg.connect(_plain(server_url, "postgres"), autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if server is not None:
                server.destroy()


def make_batches(n: int, *, visitors: list[str]) -> Iterator[list[WebEventIn]]:
    """Time-ordered events over the last 30 days; some URLs carry personal data to scrub."""
    rng = random.Random(42)
    start = datetime.now(UTC) - timedelta(days=30)
    step = timedelta(days=30) / max(n, 1)
    for first in range(0, n, BATCH):
        yield [WebEventIn.model_construct(
            page=f"https://www.jetmasters.fi/products/{rng.randrange(500)}?utm_source=news&utm_campaign=c{i % 7}"
                 + ("&email=anna%40example.com" if i % 50 == 0 else ""),
            referrer="https://www.google.com/" if i % 2 else None,
            occurred_at=start + step * i,
            visitor_id=rng.choice(visitors),
        ) for i in range(first, min(first + BATCH, n))]


def seed_links(engine, *, visitors: list[str], share: float = 0.05) -> None:
    """Contacts for a share of the visitors, so that ingest links some events."""
    with Session(engine) as session:
        for visitor in visitors[: int(len(visitors) * share)]:
            contact = Contact(first_name="Bench", last_name="Contact", legal_basis=LegalBasis.consent,
                              source=SourceKind.data_subject)
            session.add(contact)
            session.flush()
            session.add(VisitorLink(visitor_id=visitor, contact_id=contact.id))
        session.commit()


def bench_service(engine, n: int, *, visitors: list[str], phases: dict | None = None) -> float:
    """Seconds spent in ingest_events + commit, one transaction per batch (building events excluded);
    `phases` gets the commits' share and this process's CPU time."""
    elapsed = committing = 0.0
    cpu = time.process_time()
    for events in make_batches(n, visitors=visitors):
        started = time.perf_counter()
        with Session(engine) as session:
            ingest_events(session, site="www.jetmasters.fi", events=events)
            commit = time.perf_counter()
            session.commit()
            committing += time.perf_counter() - commit
        elapsed += time.perf_counter() - started
    if phases is not None:
        phases.update(commit_s=committing, python_cpu_s=time.process_time() - cpu)
    return elapsed


def bench_copy(url: str) -> float:
    """Seconds for one COPY of the rows the service stored into an identical scratch table."""
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE web_events_copy (LIKE web_events INCLUDING ALL)")
        conn.execute("ALTER TABLE web_events_copy ADD FOREIGN KEY (contact_id) REFERENCES contacts (id)")
        conn.commit()
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM web_events ORDER BY id").fetchall()
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY web_events_copy ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        elapsed = time.perf_counter() - started
        copied = conn.execute("SELECT count(*) FROM web_events_copy").fetchone()[0]
        assert copied == len(rows), (copied, len(rows))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--server-url", default=os.environ.get("REKISTERI_BENCH_SERVER_URL"),
                        help="a PostgreSQL server to create the throwaway database on (default: embedded)")
    args = parser.parse_args()
    configure_logging(service="bench", level="WARNING")
    visitors = [f"v-{uuid.uuid4().hex}" for _ in range(max(1, args.events // 20))]
    with throwaway_database(args.server_url) as url:
        engine = build_engine(url)
        seed_links(engine, visitors=visitors)
        phases: dict = {}
        ingest_seconds = bench_service(engine, args.events, visitors=visitors, phases=phases)
        engine.dispose()
        copy_seconds = bench_copy(url)
    rate, copy_rate = args.events / ingest_seconds, args.events / copy_seconds
    print(f"service: {args.events} events in {ingest_seconds:.2f} s (batches of {BATCH}, a commit each)")
    print(f"copy:    {args.events} rows in {copy_seconds:.2f} s (one COPY, one commit)")
    print(f"where the service's time goes: commits {phases['commit_s']:.2f} s, this process's CPU (building the "
          f"batches included) {phases['python_cpu_s']:.2f} s, the rest waiting for the database")
    print(f"RESULT events={args.events} seconds={ingest_seconds:.2f} rate={rate:.0f} copy_seconds={copy_seconds:.2f} "
          f"copy_rate={copy_rate:.0f} ratio={rate / copy_rate:.3f} commit_s={phases['commit_s']:.2f} "
          f"python_cpu_s={phases['python_cpu_s']:.2f} load={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
