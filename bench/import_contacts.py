"""Import benchmark: contacts from CSV through the import service, against a plain COPY.

    python -m bench.import_contacts [--contacts 1000000 --companies 200000 --seed 0]

Starts a throwaway embedded PostgreSQL (unless REKISTERI_DATABASE_URL is set: then it writes
into that database, and its rows stay), generates the CSV files with `testdata.synthetic`, imports
the companies, then the contacts (timed: reading, checking, COPY + MERGE, change history,
commit), through `shared.imports.service.import_file` — the job's own function, without Celery.
Two baselines, in the same run and on the same server: PostgreSQL's COPY of the same contacts
file into an unindexed scratch table (`copy_rate`, `ratio`), and the fair one: COPY of the same
rows as the import stored them into a copy of `contacts` with its indexes, constraints and
foreign key (`fair_copy_rate`, `fair_ratio`): the physical cost of storing these rows.
Where the time goes: `db_s` (the chunks' COPY + upsert statements), `python_cpu_s` (this
process: reading and checking, in a thread beside the database work), `check_s` (reading and
checking alone, before the import). Last line: `RESULT key=value ...`.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def _database(workdir: Path) -> tuple[str, object | None]:
    given = os.environ.get("REKISTERI_DATABASE_URL")
    if given:
        return given, None
    from shared.embedded.postgres import start_postgres

    server = start_postgres(workdir / "pg")
    return server.create_database("bench_import"), server


def _options():
    from shared.imports.schemas import ImportOptions

    return ImportOptions(legal_basis="relevant_connection", source="directory_service",
                         source_provider="Synthetic directory", purposes=["sales_marketing"])


def _import(path: Path, kind: str, *, chunk_size: int, phases: dict | None = None) -> tuple[dict, float]:
    from sqlmodel import Session

    from shared.db import get_engine
    from shared.imports import upsert
    from shared.imports.schemas import ImportKind
    from shared.imports.service import import_file

    write = upsert.Staging.write
    db = [0.0]

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return write(self, *args, **kwargs)
        finally:
            db[0] += time.perf_counter() - started

    upsert.Staging.write = timed
    start, cpu = time.perf_counter(), time.process_time()
    try:
        with Session(get_engine()) as session, path.open("rb") as source:
            summary = import_file(session, kind=ImportKind(kind), source=source, size=path.stat().st_size,
                                  options=_options(), actor="import:bench", reason="bench", chunk_size=chunk_size)
            session.commit()
    finally:
        upsert.Staging.write = write
    seconds = time.perf_counter() - start
    if phases is not None:
        phases.update(db_s=db[0], python_cpu_s=time.process_time() - cpu)
    return summary, seconds


def _check_only(path: Path, *, chunk_size: int) -> float:
    """Seconds to read and check the file alone (Python, no database)."""
    from shared.imports.rows import read_chunks

    start = time.perf_counter()
    with path.open("rb") as source:
        for _ in read_chunks(kind="contacts", source=source, options=_options(), key=b"bench", chunk_size=chunk_size):
            pass
    return time.perf_counter() - start


def _fair_baseline(workdir: Path) -> tuple[float, int]:
    """Seconds for COPY of the rows the import stored into a copy of `contacts` with the same
    indexes, constraints and foreign key, committed; and the number of rows."""
    import psycopg

    from shared.settings import get_settings

    url = get_settings().require_database_url().replace("postgresql+psycopg://", "postgresql://")
    stored = workdir / "stored_contacts.copy"
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur, stored.open("wb") as out:
            with cur.copy("COPY contacts TO STDOUT") as copy:
                for block in copy:
                    out.write(block)
        conn.execute("DROP TABLE IF EXISTS bench_fair_contacts")
        conn.execute("CREATE TABLE bench_fair_contacts (LIKE contacts INCLUDING ALL)")
        conn.execute("ALTER TABLE bench_fair_contacts ADD FOREIGN KEY (company_id) REFERENCES companies (id) "
                     "ON DELETE SET NULL")
        conn.commit()
        seconds = _timed_copy(conn, "COPY bench_fair_contacts FROM STDIN", stored)
        rows = conn.execute("SELECT count(*) FROM bench_fair_contacts").fetchone()[0]
        conn.execute("DROP TABLE bench_fair_contacts")
        conn.commit()
    stored.unlink()
    return seconds, rows


def _timed_copy(conn, statement: str, path: Path) -> float:
    """Seconds for COPY of the file through `statement`, committed."""
    start = time.perf_counter()
    with conn.cursor() as cur, path.open("rb") as source:
        with cur.copy(statement) as copy:
            while block := source.read(1 << 20):
                copy.write(block)
    conn.commit()
    return time.perf_counter() - start


def _copy_baseline(path: Path) -> float:
    """Seconds for COPY of the file into a fresh unindexed table, committed."""
    import psycopg

    from shared.settings import get_settings

    url = get_settings().require_database_url()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy_scratch")
        conn.execute("CREATE TABLE bench_copy_scratch (first_name text, last_name text, email text, "
                     "phone text, position text, language text, company_business_id text)")
        conn.commit()
        seconds = _timed_copy(conn, "COPY bench_copy_scratch FROM STDIN (FORMAT csv, HEADER true)", path)
        conn.execute("DROP TABLE bench_copy_scratch")
        conn.commit()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk-size", type=int, default=50_000)
    args = parser.parse_args()

    from testdata import synthetic
    from shared.db import get_engine
    from shared.migrations import upgrade
    from shared.settings import get_settings

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        workdir = Path(tmp)
        url, server = _database(workdir)
        try:
            upgrade(url)
            os.environ["REKISTERI_DATABASE_URL"] = url
            get_settings.cache_clear()
            get_engine.cache_clear()

            start = time.perf_counter()
            companies_csv, contacts_csv = workdir / "companies.csv", workdir / "contacts.csv"
            synthetic.write_companies_csv(companies_csv, args.companies, seed=args.seed)
            synthetic.write_contacts_csv(contacts_csv, args.contacts, seed=args.seed,
                                         companies=max(1, args.companies))
            print(f"generated {args.companies} companies and {args.contacts} contacts "
                  f"({contacts_csv.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")

            summary, seconds = _import(companies_csv, "companies", chunk_size=args.chunk_size)
            print(f"companies: {_brief(summary)} in {seconds:.1f} s ({summary['rows'] / seconds:,.0f} rows/s)")
            check_s = _check_only(contacts_csv, chunk_size=args.chunk_size)
            print(f"reading and checking alone (Python): {check_s:.1f} s ({args.contacts / check_s:,.0f} rows/s)")
            phases: dict = {}
            summary, seconds = _import(contacts_csv, "contacts", chunk_size=args.chunk_size, phases=phases)
            rate = summary["rows"] / seconds
            print(f"contacts: {_brief(summary)} in {seconds:.1f} s ({rate:,.0f} rows/s); database statements "
                  f"{phases['db_s']:.1f} s, this process's CPU {phases['python_cpu_s']:.1f} s")

            copy_seconds = _copy_baseline(contacts_csv)
            copy_rate = args.contacts / copy_seconds
            print(f"baseline COPY into an unindexed table: {copy_seconds:.1f} s ({copy_rate:,.0f} rows/s)")
            fair_seconds, fair_rows = _fair_baseline(workdir)
            fair_rate = fair_rows / fair_seconds
            print(f"fair baseline, COPY of the stored rows into a copy of contacts (same indexes, constraints, "
                  f"foreign key): {fair_seconds:.1f} s ({fair_rate:,.0f} rows/s)")
            get_engine().dispose()
        finally:
            if server is not None:
                server.destroy()
    print(f"RESULT contacts={args.contacts} companies={args.companies} rows={summary['rows']} "
          f"rejected={summary['rejected']} seconds={seconds:.2f} rate={rate:.0f} copy_rate={copy_rate:.0f} "
          f"ratio={rate / copy_rate:.3f} fair_copy_rate={fair_rate:.0f} fair_ratio={rate / fair_rate:.3f} "
          f"db_s={phases['db_s']:.2f} python_cpu_s={phases['python_cpu_s']:.2f} check_s={check_s:.2f} "
          f"load={os.getloadavg()[0]:.2f}")


def _brief(summary: dict) -> str:
    return ", ".join(f"{k} {summary[k]}" for k in ("rows", "inserted", "updated", "unchanged", "rejected",
                                                    "suppressed"))


if __name__ == "__main__":
    main()
