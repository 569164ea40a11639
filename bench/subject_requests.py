"""Subject requests on a big register: access exports (latency) and a queue of erasures (total time),
through real Celery workers, followed by a residue scan of the erased people.

    python -m bench.subject_requests [--contacts 1000000 --companies 200000 --web-events 10000000
                                      --exports 100 --erasures 1000 --workers 2]

Starts a throwaway embedded PostgreSQL and Redis, fills companies and contacts
(bench/register_data.py) and web events (bench/web_events_data.py), then runs `--workers`
worker processes (one pool child each, as tests/support.py does). Requests are made as the
privacy desk makes them: `create_staff_request` in a committed transaction each, which queues
the job. Exports go one at a time (the latency of one request on an idle system: verified_at ->
completed_at, both from the database); erasures are all queued at once (first verified_at ->
last completed_at). The residue scan reads every text, JSON, array and binary column of every
table for the email and phone of a sample of the erased people, and every contact_id/contact_ids
column for their ids; what erasure keeps by design (its own request's email, the confirmation
mail, see shared/subject_requests/erasure.py) is not counted. Last line: `RESULT key=value ...`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy import ARRAY, JSON, Integer, LargeBinary, String, TypeDecorator

from bench.register_data import fill
from bench.web_events_data import fill_web_events

POLL = 0.01


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


def _start_workers(n: int, log_dir: Path) -> list[subprocess.Popen]:
    from shared.cli.processes import worker_command
    from shared.settings import Settings

    settings, procs = Settings(_env_file=None), []
    for i in range(n):
        log = (log_dir / f"worker{i}.log").open("ab")
        procs.append(subprocess.Popen(worker_command(settings, concurrency=1, name=f"bench{i}@%h"), stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True))
    return procs


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def submit(kind: str, email: str):
    """One staff request in its own committed transaction (the commit queues the job)."""
    from shared.audit.service import Actor
    from shared.db import session_scope
    from shared.subject_requests.schemas import StaffRequestCreate
    from shared.subject_requests.service import create_staff_request

    with session_scope() as session:
        data = StaffRequestCreate(kind=kind, email=email, channel="email", verification_method="bench")
        return create_staff_request(session, data=data, actor=Actor(label="privacy-officer")).id


def wait_done(conn, ids: list, timeout: float) -> list[tuple]:
    """(verified_at, completed_at, job started_at, job finished_at) of each request, once all are final."""
    deadline = time.monotonic() + timeout
    while True:
        rows = conn.execute(
            "SELECT r.status, r.verified_at, r.completed_at, j.started_at, j.finished_at, j.status, j.error "
            "FROM subject_requests r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.id = ANY(%s)", (ids,)).fetchall()
        if len(rows) == len(ids) and all(r[0] == "completed" for r in rows):
            return [r[1:5] for r in rows]
        failed = [r for r in rows if r[5] == "failed"]
        if failed or time.monotonic() > deadline:
            raise RuntimeError(f"{len(failed)} failed, {sum(r[0] != 'completed' for r in rows)} unfinished: "
                               f"{(failed or rows)[0]}")
        time.sleep(POLL if len(ids) == 1 else 0.2)


def scanned_columns() -> dict[str, tuple[str, list[str]]]:
    """table -> (primary key, SQL reading each text/JSON/array/binary column as text); as in
    tests/shared/subject_requests/test_erasure.py, type decorators judged by their impl."""
    from shared.models import metadata

    tables = {}
    for table in metadata.sorted_tables:
        values = []
        for column in table.columns:
            kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
            if isinstance(kind, LargeBinary):
                values.append(f"encode(\"{column.name}\", 'escape')")
            elif isinstance(kind, String | JSON | ARRAY):
                values.append(f'CAST("{column.name}" AS text)')
        if values:
            tables[table.name] = (next(iter(table.primary_key.columns)).name, values)
    return tables


def residue(conn, people: list[tuple[int, str, str]], request_ids: list) -> dict[str, int]:
    """Rows still holding a sampled person's email or phone, or pointing at their contact id."""
    from shared.models import metadata
    from shared.subject_requests.messages import TEMPLATES

    needles = [s.lower() for _, email, phone in people for s in (email, phone)]
    pattern = "(" + "|".join(re.sub(r"([.+*?()\[\]{}|^$\\])", r"\\\1", s) for s in needles) + ")"
    confirmations = {str(r[0]) for r in conn.execute(
        "SELECT id FROM email_outbox WHERE headers::json->>'X-Rekisteri-Request' = ANY(%s) AND subject = ANY(%s)",
        ([str(i) for i in request_ids], [s for s, _ in TEMPLATES["erasure_done"].values()]))}
    allowed = {"subject_requests": {str(i) for i in request_ids}, "email_outbox": confirmations}
    hits: dict[str, int] = {}
    for table, (key, values) in scanned_columns().items():
        rows = conn.execute(f'SELECT CAST("{key}" AS text) FROM "{table}" '
                            f"WHERE lower(concat_ws(' ', {', '.join(values)})) ~ %s", (pattern,)).fetchall()
        if left := [r[0] for r in rows if r[0] not in allowed.get(table, ())]:
            hits[table] = len(left)
    ids = [cid for cid, _, _ in people]
    for table in metadata.sorted_tables:
        for column in table.columns:
            if column.name == "contact_id" and isinstance(column.type, Integer):
                where = f'"{column.name}" = ANY(%s)'
            elif column.name == "contact_ids" and isinstance(column.type, ARRAY):
                where = f'"{column.name}" && CAST(%s AS integer[])'
            else:
                continue
            if count := conn.execute(f'SELECT count(*) FROM "{table.name}" WHERE {where}', (ids,)).fetchone()[0]:
                hits[f"{table.name}.{column.name}"] = count
    return hits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=200_000)
    parser.add_argument("--web-events", type=int, default=10_000_000)
    parser.add_argument("--exports", type=int, default=100)
    parser.add_argument("--erasures", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=10, help="erased people the residue scan looks for")
    args = parser.parse_args()

    from shared.embedded.postgres import start_postgres
    from shared.embedded.redis import start_redis
    from shared.migrations import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="bench-subject-requests-"))
    pg, redis = start_postgres(tmp / "pg"), start_redis(tmp / "redis")
    workers: list[subprocess.Popen] = []
    try:
        url = pg.create_database("bench")
        upgrade(url)
        t0 = time.perf_counter()
        fill(url, companies=args.companies, contacts=args.contacts)
        t1 = time.perf_counter()
        fill_web_events(url, events=args.web_events)
        t2 = time.perf_counter()
        print(f"filled {args.contacts} contacts / {args.companies} companies in {t1 - t0:.1f}s, "
              f"{args.web_events} web events in {t2 - t1:.1f}s", flush=True)
        with psycopg.connect(url) as c:
            web_events = c.execute("SELECT count(*) FROM web_events").fetchone()[0]
        os.environ.update({"REKISTERI_DATABASE_URL": url, "REKISTERI_REDIS_URL": redis.url,
                           "REKISTERI_ENVIRONMENT": "development", "REKISTERI_LOG_LEVEL": "WARNING",
                           "REKISTERI_LOG_FORMAT": "json", "REKISTERI_VAR_DIR": str(tmp / "var")})
        from shared.logging import configure_logging
        from shared.settings import get_settings

        get_settings.cache_clear()
        configure_logging(service="bench", level="WARNING", fmt=get_settings().effective_log_format)
        workers = _start_workers(args.workers, tmp)
        conn = psycopg.connect(url, autocommit=True)
        picked = random.Random(7).sample(range(1, args.contacts + 1), args.workers + args.exports + args.erasures)
        found = conn.execute("SELECT id, email, phone FROM contacts WHERE id = ANY(%s)", (picked,)).fetchall()
        emails, phones = {c: e for c, e, _ in found}, {c: p for c, _, p in found}
        warm, exports, erasures = (picked[:args.workers], picked[args.workers:args.workers + args.exports],
                                   picked[args.workers + args.exports:])
        wait_done(conn, [submit("access", emails[c]) for c in warm], timeout=120)  # workers up and warm

        runs = []
        for cid in exports:
            runs.append(wait_done(conn, [submit("access", emails[cid])], timeout=60)[0])
        latency = [(done - verified).total_seconds() for verified, done, _, _ in runs]
        queued = [(started - verified).total_seconds() for verified, _, started, _ in runs]
        ran = [(finished - started).total_seconds() for _, _, started, finished in runs]
        print(f"exports: p50 {_pct(latency, .5):.3f}s p99 {_pct(latency, .99):.3f}s max {max(latency):.3f}s; "
              f"verified->claimed p50 {_pct(queued, .5):.3f}s, claimed->finished p50 {_pct(ran, .5):.3f}s "
              f"p99 {_pct(ran, .99):.3f}s", flush=True)

        t0 = time.perf_counter()
        request_ids = [submit("erasure", emails[c]) for c in erasures]
        submitted = time.perf_counter() - t0
        rows = wait_done(conn, request_ids, timeout=3600)
        total = (max(r[1] for r in rows) - min(r[0] for r in rows)).total_seconds()
        ran = [(finished - started).total_seconds() for _, _, started, finished in rows]
        print(f"erasures: {len(rows)} in {total:.1f}s ({len(rows) / total:.1f}/s); queued in {submitted:.1f}s; "
              f"per job p50 {_pct(ran, .5):.3f}s p99 {_pct(ran, .99):.3f}s; workers busy in jobs "
              f"{sum(ran) / (args.workers * total):.0%}", flush=True)

        t0 = time.perf_counter()
        sample = random.Random(8).sample(range(len(erasures)), min(args.sample, len(erasures)))
        people = [(erasures[i], emails[erasures[i]], phones[erasures[i]]) for i in sample]
        hits = residue(conn, people, [request_ids[i] for i in sample])
        print(f"residue scan of {len(people)} people in {time.perf_counter() - t0:.1f}s: {hits or 'nothing'}")
        print(f"RESULT exports={len(latency)} export_p50_s={_pct(latency, .5):.3f} "
              f"export_p99_s={_pct(latency, .99):.3f} erasures={len(rows)} erasure_total_s={total:.1f} "
              f"residue={sum(hits.values())} contacts={args.contacts} web_events={web_events}")
    finally:
        for proc in workers:
            _stop(proc)
        redis.stop()
        pg.destroy()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
