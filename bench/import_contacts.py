"""Import benchmark: contacts from CSV through the import service, against a plain COPY.

    python -m bench.import_contacts [--contacts 1000000 --companies 200000 --seed 0]

Starts a throwaway embedded PostgreSQL (unless REKISTERI_DATABASE_URL is set: then it writes
into that database, and its rows stay), generates the CSV files with `testdata.synthetic`, imports
the companies, then the contacts (timed: reading, checking, COPY + MERGE, change history,
commit), through `shared.imports.service.import_file` — the job's own function, without Celery.
The baseline, in the same run and on the same server: PostgreSQL's COPY of the same contacts
file into an unindexed scratch table. Last line: `RESULT key=value ...` (`ratio`: import rows/s over COPY rows/s).
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


def _import(path: Path, kind: str, *, chunk_size: int) -> tuple[dict, float]:
    from sqlmodel import Session

    from shared.db import get_engine
    from shared.imports.schemas import ImportKind, ImportOptions
    from shared.imports.service import import_file

    options = ImportOptions(legal_basis="relevant_connection", source="directory_service",
                            source_provider="Synthetic directory", purposes=["sales_marketing"])
    start = time.perf_counter()
    with Session(get_engine()) as session, path.open("rb") as source:
        summary = import_file(session, kind=ImportKind(kind), source=source, size=path.stat().st_size,
                              options=options, actor="import:bench", reason="bench", chunk_size=chunk_size)
        session.commit()
    return summary, time.perf_counter() - start


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
        start = time.perf_counter()
        with conn.cursor() as cur, path.open("rb") as source:
            with cur.copy("COPY bench_copy_scratch FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while block := source.read(1 << 20):
                    copy.write(block)
        conn.commit()
        seconds = time.perf_counter() - start
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
            summary, seconds = _import(contacts_csv, "contacts", chunk_size=args.chunk_size)
            rate = summary["rows"] / seconds
            print(f"contacts: {_brief(summary)} in {seconds:.1f} s ({rate:,.0f} rows/s)")

            copy_seconds = _copy_baseline(contacts_csv)
            copy_rate = args.contacts / copy_seconds
            print(f"baseline COPY into an unindexed table: {copy_seconds:.1f} s ({copy_rate:,.0f} rows/s)")
            get_engine().dispose()
        finally:
            if server is not None:
                server.destroy()
    print(f"RESULT contacts={args.contacts} companies={args.companies} rows={summary['rows']} "
          f"rejected={summary['rejected']} seconds={seconds:.2f} rate={rate:.0f} copy_rate={copy_rate:.0f} "
          f"ratio={rate / copy_rate:.3f}")


def _brief(summary: dict) -> str:
    return ", ".join(f"{k} {summary[k]}" for k in ("rows", "inserted", "updated", "unchanged", "rejected",
                                                    "suppressed"))


if __name__ == "__main__":
    main()
