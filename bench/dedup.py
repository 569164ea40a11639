"""Dedup benchmark: synthetic contacts with known duplicates, from PostgreSQL to candidate groups
written back; then new records checked against that register, and the duplicate warning on create.

    python -m bench.dedup [--contacts 20000 --duplicates 0.2 --seed 1 --incremental 10000]
    python -m bench.dedup --in-memory [--contacts 20000]     # the matcher alone, no database
    python -m bench.dedup --profiles [--contacts 20000]      # directory, web form and mixed registers

The records come from the duplicate mode of testdata.synthetic (typos, transpositions, swapped
names, folded diacritics, nicknames, missing fields, changed email domains, Oy/Oyj variants of the
company, phone formats); every duplicate's original is known, so the truth is every pair within
one person. They are generated and loaded (COPY) in a child process, so the peak memory reported
is the run's: `seconds` runs from reading PostgreSQL to the groups committed (wall clock;
`python_cpu_s` is this process's CPU time in it — PostgreSQL's is not counted — which says more
than the wall clock on a machine others share). The `--incremental`
records (the last ones generated: duplicates of people in the register) are then added and
checked with the function of job `dedup.check`; `create_check_*` times `likely_duplicates`, what
`POST /v1/contacts` calls. Precision, recall and F1 are pairwise, over the groups of the full run;
`auto_precision` over the groups at or above `--auto-threshold`.
The last line is `RESULT key=value ...`.

`--profiles` runs the matcher in memory on the three profiles of testdata.synthetic_profiles
(directory: names and postal addresses only; web form: names and email only; mixed: the above),
with string ids through the evaluation of `rekisteri dedup evaluate`, once with the hand-set
weights and once with weights learnt from the records (a `PROFILE` line each), and then the same
records through the peer, Splink 5 on DuckDB configured as its tutorial does (bench/dedup_peer.py):
a `PEER` line with both F1s, both times and the ratio of ours (hand-set) to Splink's.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from testdata import synthetic


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_memory(rows: list[dict], truth: set[tuple[int, int]]) -> dict:
    from shared.dedup.blocking import recall
    from shared.dedup.clustering import match_records, pair_metrics
    from shared.dedup.loading import gc_paused
    from shared.dedup.normalize import contact_record

    started = time.perf_counter()
    with gc_paused():
        records = [contact_record(id=r["id"], first_name=r["first_name"], last_name=r["last_name"],
                                  email=r["email"], phone=r["phone"], company=r["company"],
                                  business_id=r["business_id"], position=r["position"], postcode=r["postcode"])
                   for r in rows]
        result = match_records("contacts", records, keep_compared=True)
    seconds = time.perf_counter() - started
    return {"pairs": result.blocking.pairs, "blocking_recall": recall(result.compared, truth),
            **pair_metrics(result.groups, truth), "seconds": seconds, "stats": result.stats()}


def _load(url: str, count: int, held_out: int, *, seed: int, duplicate_share: float) -> set[tuple[int, int]]:
    """Run in a child process (its memory is not the run's): generate `count + held_out` rows,
    COPY the first `count` into contacts (ids are the rows' ids) and the rest into bench_held,
    an identical table they are moved from for the incremental check. Returns the truth."""
    from datetime import UTC, datetime

    import psycopg

    from shared.dedup.normalize import phone_key

    rows, truth = synthetic.duplicates(count + held_out, seed=seed, duplicate_share=duplicate_share,
                                       unique_emails=True)
    companies: dict[tuple[str, str], int] = {}
    firsts: dict[tuple[str, str], dict] = {}
    for row in rows:
        if row["company"]:
            key = (row["company"], row["business_id"])
            companies.setdefault(key, len(companies) + 1)
            firsts.setdefault(key, row)
    now = datetime.now(UTC)
    fixed = ("customer_relationship", ["sales_marketing"], "directory_service", 1, now, now)
    columns = ("id, company_id, first_name, last_name, email, phone, position, language, legal_basis, purposes, "
               "source, version, created_at, updated_at")
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        with conn.cursor().copy("COPY companies (id, name, business_id, street_address, postal_code, city, status, "
                                "owner, country, sole_trader, legal_basis, purposes, source, version, created_at, "
                                "updated_at) FROM STDIN") as copy:
            for (name, bid), company_id in companies.items():
                co = firsts[(name, bid)]
                copy.write_row((company_id, name, bid or None, co["street"] or None, co["postcode"] or None,
                                co["city"] or None, "prospect", "Jetmasters Oy", "FI", False, *fixed))
        conn.execute("CREATE TABLE bench_held (LIKE contacts INCLUDING DEFAULTS)")
        for table, part in (("contacts", rows[:count]), ("bench_held", rows[count:])):
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in part:
                    copy.write_row((row["id"], companies.get((row["company"], row["business_id"])),
                                    row["first_name"] or "-", row["last_name"] or "-",
                                    row["email"].lower() or None, phone_key(row["phone"]) or None,
                                    row["position"] or None, "fi", *fixed))
        conn.execute("SELECT setval('companies_id_seq', (SELECT max(id) FROM companies))")
        conn.execute("SELECT setval('contacts_id_seq', (SELECT max(id) FROM bench_held))")
        conn.execute("ANALYZE companies")
        conn.execute("ANALYZE contacts")
    return truth


def _metrics(groups: list[tuple[list[int], float]], truth: set[tuple[int, int]], min_score: float) -> dict:
    predicted = {(a, b) for members, score in groups if score >= min_score
                 for x, a in enumerate(sorted(members)) for b in sorted(members)[x + 1:]}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall_ = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall_ / (precision + recall_) if precision + recall_ else 0.0
    return {"precision": precision, "recall": recall_, "f1": f1, "predicted": len(predicted)}


def in_database(args, tmp: Path) -> dict:
    """From PostgreSQL to candidate groups written back; then `--incremental` new records checked
    against the register (job `dedup.check`'s function) and the duplicate warning on create."""
    import multiprocessing
    import statistics
    import uuid

    from sqlalchemy import text
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
        with multiprocessing.get_context("fork").Pool(1) as pool:
            truth = pool.apply(_load, (url, args.contacts, args.incremental),
                               {"seed": args.seed, "duplicate_share": args.duplicates})
        engine = build_engine(url)
        with Session(engine) as session:
            run = DedupRun(entity=DedupEntity.contacts)
            session.add(run)
            session.commit()
            started, cpu = time.perf_counter(), time.process_time()
            stats = service.run_dedup_job(session, JobContext(uuid.uuid4(), "dedup.run", {"run_id": run.id}, 1, None))
            session.commit()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            peak = peak_mb()
            groups = [([int(i) for i in g.member_key.split(",")], g.score)
                      for g in session.exec(select(DedupCandidate).where(DedupCandidate.run_id == run.id))]
            records = service.load_records(session, entity="contacts")
            pairs, _ = candidate_pairs(records, CONTACT_KEYS)
            in_register = {(a, b) for a, b in truth if b <= args.contacts}
            blocking_recall = recall(((records[i].id, records[j].id) for i, j in pairs), in_register)
            del records, pairs
            new = session.execute(text("INSERT INTO contacts SELECT * FROM bench_held RETURNING id")).scalars().all()
            session.commit()
            began = time.perf_counter()
            checked = service.check_records(session, entity="contacts", ids=new)
            session.commit()
            incremental = time.perf_counter() - began
            found: set[tuple[int, int]] = set()
            for key in session.exec(select(DedupCandidate.member_key).where(DedupCandidate.run_id.is_(None))):
                members = sorted(int(i) for i in key.split(","))
                found |= {(a, b) for x, a in enumerate(members) for b in members[x + 1:]}
            held_truth = {(a, b) for a, b in truth if b > args.contacts}
            latencies = []
            for contact_id in new[: args.create_checks]:
                began = time.perf_counter()
                service.likely_duplicates(session, contact=session.get(Contact, contact_id))
                latencies.append(time.perf_counter() - began)
        engine.dispose()
    finally:
        pg.destroy()
    return {"pairs": stats["pairs_compared"], "blocking_recall": blocking_recall, **_metrics(groups, in_register, 0.0),
            "seconds": seconds, "cpu_s": cpu, "peak_mb": peak,
            "auto": _metrics(groups, in_register, args.auto_threshold),
            "stats": stats, "true_pairs": len(in_register), "incremental_records": len(new),
            "incremental_s": incremental, "incremental_groups": checked["groups"],
            "incremental_recall": len(found & held_truth) / len(held_truth) if held_truth else 1.0,
            "create_p95_ms": 1000 * statistics.quantiles(latencies, n=20)[18],
            "create_p50_ms": 1000 * statistics.median(latencies)}


def profiles(args) -> None:
    """Each profile matched by ours (hand-set and learnt weights) and by the peer, Splink 5 on
    DuckDB (bench/dedup_peer.py), on the same records in the same run: a PROFILE line each, then
    a PEER line with both F1s, both times and the ratio of the F1s."""
    from bench import dedup_peer
    from shared.dedup.evaluation import evaluate_rows
    from testdata.synthetic_profiles import PROFILES, profile

    for name in args.profile or PROFILES:
        rows, truth = profile(name, args.contacts, seed=args.seed, duplicate_share=args.duplicates)
        truth_rows = [{"id_a": a, "id_b": b} for a, b in truth]
        ours = {}
        for learn in (False, True):
            f = ours[learn] = evaluate_rows(rows, truth_rows, learn=learn)
            print(f"PROFILE profile={name} weights={f['weights']['source']} records={f['records']} "
                  f"true_pairs={f['true_pairs']} pairs_compared={f['pairs_compared']} "
                  f"blocking_recall={f['blocking_recall']:.4f} precision={f['precision']:.4f} "
                  f"recall={f['recall']:.4f} f1={f['f1']:.4f} seconds={f['seconds']:.1f}", flush=True)
        if args.no_peer:
            continue
        peer = dedup_peer.evaluate(rows, truth, seed=args.seed)
        mine = ours[False]
        print(f"PEER profile={name} records={len(rows)} splink_precision={peer['precision']:.4f} "
              f"splink_recall={peer['recall']:.4f} splink_f1={peer['f1']:.4f} splink_seconds={peer['seconds']:.1f} "
              f"splink_em_skipped={len(peer['em_skipped'])} ours_f1={mine['f1']:.4f} ours_seconds={mine['seconds']:.1f} "
              f"f1_ratio={mine['f1'] / peer['f1'] if peer['f1'] else float('inf'):.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=20_000, help="records in the register")
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--auto-threshold", type=float, default=0.999)
    parser.add_argument("--incremental", type=int, default=None, help="new records checked against the register "
                        "(default: 10,000, or 1%% of a smaller register)")
    parser.add_argument("--create-checks", type=int, default=200, help="creates timed for the duplicate warning")
    parser.add_argument("--in-memory", action="store_true", help="the matcher alone, no database")
    parser.add_argument("--profiles", action="store_true", help="directory, web form and mixed registers, in memory, "
                        "beside Splink")
    parser.add_argument("--profile", action="append", help="with --profiles: only this one (repeatable)")
    parser.add_argument("--no-peer", action="store_true", help="with --profiles: without Splink")
    args = parser.parse_args()
    if args.profiles:
        profiles(args)
        return
    if args.incremental is None:
        args.incremental = min(10_000, max(100, args.contacts // 100))
    if args.in_memory:
        rows, truth = synthetic.duplicates(args.contacts, seed=args.seed, duplicate_share=args.duplicates,
                                           unique_emails=True)
        f = in_memory(rows, truth)
        print(f.get("stats", {}))
        print(f"RESULT contacts={args.contacts} true_pairs={len(truth)} seconds={f['seconds']:.1f} "
              f"peak_mb={peak_mb():.0f} pairs_compared={f['pairs']} blocking_recall={f['blocking_recall']:.4f} "
              f"precision={f['precision']:.4f} recall={f['recall']:.4f} f1={f['f1']:.4f}")
        return
    f = in_database(args, Path(tempfile.mkdtemp(prefix="bench-dedup-")))
    print(f["stats"])
    print(f"incremental check of {f['incremental_records']} new records against {args.contacts}: "
          f"{f['incremental_s']:.2f} s, {f['incremental_groups']} groups, recall of their true pairs "
          f"{f['incremental_recall']:.4f}; duplicate warning on create p50 {f['create_p50_ms']:.1f} ms, "
          f"p95 {f['create_p95_ms']:.1f} ms ({args.create_checks} creates)")
    print(f"RESULT contacts={args.contacts} true_pairs={f['true_pairs']} seconds={f['seconds']:.1f} "
          f"python_cpu_s={f['cpu_s']:.1f} "
          f"peak_mb={f['peak_mb']:.0f} peak_mem_mb={f['peak_mb']:.0f} pairs_compared={f['pairs']} "
          f"comparisons={f['pairs']} blocking_recall={f['blocking_recall']:.4f} precision={f['precision']:.4f} "
          f"recall={f['recall']:.4f} f1={f['f1']:.4f} auto_precision={f['auto']['precision']:.4f} "
          f"auto_recall={f['auto']['recall']:.4f} incremental_records={f['incremental_records']} "
          f"incremental_10k_s={f['incremental_s']:.2f} incremental_recall={f['incremental_recall']:.4f} "
          f"create_check_p95_ms={f['create_p95_ms']:.1f} create_check_p50_ms={f['create_p50_ms']:.1f}")


if __name__ == "__main__":
    main()
