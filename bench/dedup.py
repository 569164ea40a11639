"""Dedup benchmark: synthetic contacts with known duplicates, from PostgreSQL to candidate groups
written back; prints pairs compared, blocking recall, precision, recall, F1, seconds, peak memory.

    python -m bench.dedup [--contacts 20000 --duplicates 0.2 --seed 1]
    python -m bench.dedup --in-memory [--contacts 20000]     # the matcher alone, no database

Duplicates are made the way registers get them: typos and transpositions in names, swapped
first and last names, folded diacritics, missing fields, changed email domains, Oy/Oyj and other
legal-form variants of the company (then without its business ID, as from a web form), phone
formats. Every duplicate's original is known, so the truth is every pair within one person.
The last line holds the figures.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from shared import synthetic
from shared.dedup.normalize import fold

FORMS = {"Oy": ("Oyj", "Oy Ab", "OY", "oy", "Ltd"), "Oyj": ("Oy", "OYJ", "Abp"), "Ky": ("KY", "Ky."),
         "Tmi": ("Toiminimi", "TMI"), "Oy Ab": ("Oy", "Ab")}
FREE_DOMAINS = ("gmail.com", "outlook.com", "luukku.com")
CORRUPTIONS = ("typo_first", "typo_last", "transpose", "swap_names", "fold_diacritics", "drop_phone", "drop_email",
               "drop_position", "drop_company", "email_domain", "company_form", "case", "phone_format")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word + rng.choice("aeinst")
    i = rng.randrange(1, len(word))
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + rng.choice("aeiklmnorstuv") + word[i + 1:]
    if kind == 1:
        return word[:i] + rng.choice("aeiklnst") + word[i:]
    return word[:i] + word[i + 1:]


def _transpose(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _form_variant(name: str, rng: random.Random) -> str:
    for form, variants in FORMS.items():
        if name.endswith(" " + form):
            return name[: -len(form)] + rng.choice(variants)
    return name.upper()


def corrupt(row: dict, rng: random.Random, *, unique_emails: bool) -> dict:
    """A duplicate of row with one to three corruptions."""
    dup = dict(row)
    for kind in rng.sample(CORRUPTIONS, rng.choice((1, 1, 2, 2, 3))):
        if kind in ("typo_first", "typo_last"):
            field = "first_name" if kind == "typo_first" else "last_name"
            dup[field] = _typo(dup[field], rng)
        elif kind == "transpose":
            field = rng.choice(("first_name", "last_name"))
            dup[field] = _transpose(dup[field], rng)
        elif kind == "swap_names":
            dup["first_name"], dup["last_name"] = dup["last_name"], dup["first_name"]
        elif kind == "fold_diacritics":
            dup["first_name"], dup["last_name"] = (fold(dup["first_name"]).title(), fold(dup["last_name"]).title())
        elif kind.startswith("drop_"):
            field = kind[5:]
            dup[field] = ""
            if field == "company":
                dup["business_id"] = dup["postcode"] = dup["city"] = dup["street"] = ""
        elif kind == "email_domain" and dup["email"]:
            dup["email"] = dup["email"].split("@")[0] + "@" + rng.choice(FREE_DOMAINS)
        elif kind == "company_form" and dup["company"]:
            dup["company"], dup["business_id"] = _form_variant(dup["company"], rng), ""
        elif kind == "case":
            dup["first_name"], dup["last_name"] = dup["first_name"].upper(), dup["last_name"].lower()
        elif kind == "phone_format" and dup["phone"].startswith("+358"):
            national = "0" + dup["phone"][4:]
            dup["phone"] = f"{national[:3]} {national[3:6]} {national[6:]}"
    if unique_emails and dup["email"] and dup["email"] == row["email"]:
        local, domain = dup["email"].split("@")
        dup["email"] = rng.choice((f"{local}@{rng.choice(FREE_DOMAINS)}", f"{_typo(local, rng)}@{domain}", ""))
    return dup


def _hard_negative(source: dict, k: int, rng: random.Random, companies: list) -> dict:
    """Not a duplicate, but close: a relative at the same firm sharing its switchboard phone,
    or a namesake at another company."""
    other = dict(source, id=0, position=rng.choice(synthetic.POSITIONS))
    if k % 2 == 0:
        other["first_name"] = rng.choice([f for f in synthetic.FIRST_NAMES if f[0] != source["first_name"][0]])
        domain = source["email"].split("@")[1] if source["email"] else "example.fi"
        other["email"] = f"{fold(other['first_name'])}.{fold(source['last_name'])}.{k}@{domain}"
    else:
        co = rng.choice(companies)
        other.update(company=co.name, business_id=co.business_id, street=co.street_address, postcode=co.postal_code,
                     city=co.city, phone=f"+35850{rng.randrange(1_000_000, 10_000_000)}",
                     email=f"{fold(source['first_name'])}.{fold(source['last_name'])}.{k}@{rng.choice(FREE_DOMAINS)}")
    return other


def generate(count: int, *, seed: int = 1, duplicate_share: float = 0.2, per_company: int = 10,
             unique_emails: bool = False, hard_share: float = 0.04) -> tuple[list[dict], set[tuple[int, int]]]:
    """`count` contact rows (ids 1..count), `duplicate_share` of them duplicates of the others,
    `hard_share` relatives and namesakes (not duplicates), and the true pairs (a < b) — every
    pair of rows of one person."""
    originals = count - int(count * duplicate_share)
    hard = int(count * hard_share)
    n_companies = max(1, (originals - hard) // per_company)
    companies = [synthetic.company(i, seed=seed) for i in range(n_companies)]
    rows = []
    for i, person in enumerate(synthetic.contacts(originals - hard, seed=seed, companies=n_companies)):
        co = companies[i % n_companies]
        rows.append({"id": i + 1, "first_name": person.first_name, "last_name": person.last_name,
                     "email": person.email, "phone": person.phone, "position": person.position,
                     "company": co.name, "business_id": co.business_id, "street": co.street_address,
                     "postcode": co.postal_code, "city": co.city})
    rng = random.Random(seed * 7919 + 17)
    for k in range(hard):
        rows.append(_hard_negative(rows[rng.randrange(originals - hard)], k, rng, companies))
        rows[-1]["id"] = len(rows)
    people: dict[int, list[int]] = defaultdict(list)
    for k in range(count - originals):
        source = rows[rng.randrange(originals)]
        dup = corrupt(source, rng, unique_emails=unique_emails)
        dup["id"] = originals + k + 1
        rows.append(dup)
        people[source["id"]].append(dup["id"])
    if unique_emails:  # two duplicates of one person may still have drawn the same address
        seen: set[str] = set()
        for row in rows:
            if row["email"] and row["email"].lower() in seen:
                row["email"] = ""
            seen.add(row["email"].lower())
    truth = {(a, b) for source, dups in people.items() for a, b in combinations(sorted([source, *dups]), 2)}
    return rows, truth


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
    rows, truth = generate(args.contacts, seed=args.seed, duplicate_share=args.duplicates, unique_emails=True)
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
