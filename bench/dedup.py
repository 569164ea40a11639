"""Dedup benchmark: synthetic contacts with known duplicates, from PostgreSQL to candidate groups
written back; prints pairs compared, blocking recall, precision, recall, F1, seconds, peak memory.

    python -m bench.dedup [--contacts 20000 --duplicates 0.2 --seed 1]
    python -m bench.dedup --in-memory [--contacts 20000]     # the matcher alone, no database

The records come from the duplicate mode of shared.synthetic (typos, transpositions, swapped
names, folded diacritics, nicknames, missing fields, changed email domains, Oy/Oyj variants of the
company, phone formats); every duplicate's original is known, so the truth is every pair within
one person.
The last line holds the figures.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from shared import synthetic


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_memory(rows: list[dict], truth: set[tuple[int, int]]) -> dict:
    from shared.dedup.blocking import recall
    from shared.dedup.clustering import match_records, pair_metrics
    from shared.dedup.normalize import contact_record

    started = time.perf_counter()
    records = [contact_record(id=r["id"], first_name=r["first_name"], last_name=r["last_name"], email=r["email"],
                              phone=r["phone"], company=r["company"], business_id=r["business_id"],
                              position=r["position"], postcode=r["postcode"]) for r in rows]
    result = match_records("contacts", records, keep_compared=True)
    seconds = time.perf_counter() - started
    return {"pairs": result.blocking.pairs, "blocking_recall": recall(result.compared, truth),
            **pair_metrics(result.groups, truth), "seconds": seconds, "stats": result.stats()}


def _load(url: str, rows: list[dict]) -> None:
    """Companies and contacts straight into PostgreSQL with COPY; contact ids are the rows' ids."""
    import psycopg

    from shared.dedup.normalize import phone_key

    companies: dict[tuple[str, str], int] = {}
    for row in rows:
        if row["company"]:
            companies.setdefault((row["company"], row["business_id"]), len(companies) + 1)
    by_key = {key: row for row in rows for key in [(row["company"], row["business_id"])]}
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    fixed = ("customer_relationship", ["sales_marketing"], "directory_service", 1, now, now)
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        with conn.cursor().copy("COPY companies (id, name, business_id, street_address, postal_code, city, status, "
                                "owner, country, sole_trader, legal_basis, purposes, source, version, created_at, "
                                "updated_at) FROM STDIN") as copy:
            for (name, bid), company_id in companies.items():
                co = by_key[(name, bid)]
                copy.write_row((company_id, name, bid or None, co["street"] or None, co["postcode"] or None,
                                co["city"] or None, "prospect", "Jetmasters Oy", "FI", False,
                                *fixed))
        with conn.cursor().copy("COPY contacts (id, company_id, first_name, last_name, email, phone, position, "
                                "language, legal_basis, purposes, source, version, created_at, updated_at) "
                                "FROM STDIN") as copy:
            for row in rows:
                copy.write_row((row["id"], companies.get((row["company"], row["business_id"])),
                                row["first_name"] or "-", row["last_name"] or "-", row["email"].lower() or None,
                                phone_key(row["phone"]) or None, row["position"] or None, "fi",
                                *fixed))
        conn.execute("SELECT setval('companies_id_seq', (SELECT max(id) FROM companies))")
        conn.execute("SELECT setval('contacts_id_seq', (SELECT max(id) FROM contacts))")
        conn.execute("ANALYZE companies")
        conn.execute("ANALYZE contacts")


def in_database(rows: list[dict], truth: set[tuple[int, int]], tmp: Path, *, auto_threshold: float) -> dict:
    """From PostgreSQL to candidate groups written back, then the incremental check and the
    duplicate warning on create, against the same register."""
    import statistics
    import uuid

    from sqlmodel import Session, select

    from shared.db import build_engine
    from shared.dedup import service
    from shared.dedup.blocking import CONTACT_KEYS, candidate_pairs, recall
    from shared.embedded.postgres import start_postgres
    from shared.jobs.runner import JobContext
    from shared.migrations import upgrade
    from shared.models import Contact
    from shared.models.dedup import DedupCandidate, DedupEntity, DedupRun

    pg = start_postgres(tmp / "pg")
    try:
        url = pg.create_database("bench")
        upgrade(url)
        _load(url, rows)
        engine = build_engine(url)
        with Session(engine) as session:
            run = DedupRun(entity=DedupEntity.contacts)
            session.add(run)
            session.commit()
            started = time.perf_counter()
            stats = service.run_dedup_job(session, JobContext(uuid.uuid4(), "dedup.run", {"run_id": run.id}, 1, None))
            session.commit()
            seconds = time.perf_counter() - started
            groups = [([int(i) for i in g.member_key.split(",")], g.score)
                      for g in session.exec(select(DedupCandidate).where(DedupCandidate.run_id == run.id))]
            records = service.load_records(session, entity="contacts")
            pairs, _ = candidate_pairs(records, CONTACT_KEYS)
            blocking_recall = recall(((records[i].id, records[j].id) for i, j in pairs), truth)
            checked = [r["id"] for r in rows[-min(1000, len(rows)):]]
            began = time.perf_counter()
            service.check_records(session, entity="contacts", ids=checked)
            check_seconds = time.perf_counter() - began
            session.rollback()
            latencies = []
            for contact_id in checked[:200]:
                began = time.perf_counter()
                service.likely_duplicates(session, contact=session.get(Contact, contact_id))
                latencies.append(time.perf_counter() - began)
        engine.dispose()
    finally:
        pg.destroy()

    def metrics(min_score: float) -> dict:
        predicted = {(a, b) for members, score in groups if score >= min_score
                     for x, a in enumerate(sorted(members)) for b in sorted(members)[x + 1:]}
        hits = len(predicted & truth)
        precision = hits / len(predicted) if predicted else 1.0
        recall_ = hits / len(truth) if truth else 1.0
        f1 = 2 * precision * recall_ / (precision + recall_) if precision + recall_ else 0.0
        return {"precision": precision, "recall": recall_, "f1": f1, "predicted": len(predicted)}

    auto = metrics(auto_threshold)
    return {"pairs": stats["pairs_compared"], "blocking_recall": blocking_recall, **metrics(0.0), "seconds": seconds,
            "auto_precision": auto["precision"], "auto_recall": auto["recall"], "stats": stats,
            "check_records": len(checked), "check_seconds": check_seconds,
            "create_p95_ms": 1000 * statistics.quantiles(latencies, n=20)[18]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--auto-threshold", type=float, default=0.999)
    parser.add_argument("--in-memory", action="store_true", help="the matcher alone, no database")
    args = parser.parse_args()
    rows, truth = synthetic.duplicates(args.contacts, seed=args.seed, duplicate_share=args.duplicates, unique_emails=True)
    if args.in_memory:
        figures = in_memory(rows, truth)
    else:
        figures = in_database(rows, truth, Path(tempfile.mkdtemp(prefix="bench-dedup-")),
                              auto_threshold=args.auto_threshold)
        print(f"incremental check of {figures['check_records']} records: {figures['check_seconds']:.2f} s; "
              f"duplicate warning on create p95 {figures['create_p95_ms']:.1f} ms")
    print(figures.get("stats", {}))
    print(f"dedup contacts={len(rows)} true_pairs={len(truth)} pairs_compared={figures['pairs']} "
          f"blocking_recall={figures['blocking_recall']:.4f} precision={figures['precision']:.4f} "
          f"recall={figures['recall']:.4f} f1={figures['f1']:.4f} "
          f"auto_precision={figures.get('auto_precision', float('nan')):.4f} "
          f"auto_recall={figures.get('auto_recall', float('nan')):.4f} seconds={figures['seconds']:.1f} "
          f"peak_mb={peak_mb():.0f}")


if __name__ == "__main__":
    main()
