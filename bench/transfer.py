"""Transfer benchmark: a marketing transfer of N contacts to a local HTTP endpoint, against a
plain `COPY (SELECT the same columns) TO STDOUT` in the same run.

    python -m bench.transfer [--contacts 1000000 --companies 200000]

Starts a throwaway embedded PostgreSQL (unless REKISTERI_DATABASE_URL is set), fills it
(bench/register_data.py) with 2% objectors, 1% restricted and 1% suppressed people, and starts
the partner's endpoint in its own process (it reads the body, checks its SHA-256 and the HMAC
signature, and answers 200). Then `shared.transfers.service.run_transfer` — the job's function,
without Celery — selects under the marketing rules, writes the CSV (streamed, hashed), POSTs it
signed, writes one disclosure row per person and commits. Memory: the peak resident size of this
process during the transfer, sampled every 20 ms, above its size before.

Last line: `RESULT contacts=… rows=… rows_per_s=… baseline_copy_rows_per_s=… ratio=… peak_mem_mb=…`
(`ratio`: transfer rows/s over COPY rows/s, higher is better; `peak_mb` is `peak_mem_mb` under its
older name; `transfer_s`, `copy_s` and `time_ratio` = transfer_s / copy_s as before). The fair
baseline beside it: `fair_copy_rows_per_s` (one COPY of the same rows under the same rules, the
HMAC ref and the keyed suppression check computed in SQL as the transfer does; no file, POST,
disclosure or access-log rows) and `fair_ratio` = rows_per_s / fair_copy_rows_per_s.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import tempfile
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

SECRET = "bench-partner-secret-0123456789abcdef"
FIELDS = ["first_name", "last_name", "email", "company_name"]


def _endpoint(port: int) -> None:
    """The partner: hashes the body as it streams in, checks the hash and the HMAC signature."""
    from shared.partners.delivery import verify_digest

    class Partner(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            remaining, digest = int(self.headers["Content-Length"]), hashlib.sha256()
            while remaining:
                chunk = self.rfile.read(min(remaining, 1 << 20))
                digest.update(chunk)
                remaining -= len(chunk)
            genuine = verify_digest(SECRET.encode(), dict(self.headers), digest.hexdigest())
            self.send_response(200 if genuine else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Partner).serve_forever()


def _seed_rules(url: str, contacts: int) -> None:
    import psycopg

    from shared.common.suppression import email_hash

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE contacts SET objects_direct_marketing_at = now() WHERE id % 50 = 0")
        conn.execute("UPDATE contacts SET restricted_at = now() WHERE id % 100 = 1")
        emails = [row[0] for row in conn.execute("SELECT email FROM contacts WHERE id % 100 = 2")]
        with conn.cursor().copy("COPY suppressions (email_hash, reason, created_at) FROM STDIN") as copy:
            for email in emails:
                copy.write_row((email_hash(email), "unsubscribed", "2026-01-01"))
        conn.execute("ANALYZE")


def _copy_baseline(url: str) -> tuple[float, int, int]:
    """COPY of the same columns under the same SQL rules (no suppression check, no file, no HTTP)."""
    import psycopg

    query = ("COPY (SELECT c.id, c.email, c.first_name, c.last_name, co.name FROM contacts c "
             "LEFT JOIN companies co ON co.id = c.company_id WHERE c.restricted_at IS NULL "
             "AND c.objects_direct_marketing_at IS NULL) TO STDOUT")
    start, size, rows = time.perf_counter(), 0, 0
    with psycopg.connect(url) as conn, conn.cursor().copy(query) as copy:
        for block in copy:
            size += len(block)
            rows += bytes(block).count(b"\n")
    return time.perf_counter() - start, size, rows


def _fair_baseline() -> tuple[float, int]:
    """The database's own part of the transfer in one statement: `COPY (SELECT …) TO STDOUT` of the
    same rows under the same rules — the partner's HMAC ref and the keyed suppression check computed
    in SQL from the same key pads — but no file, no POST, no disclosure or access-log rows."""
    from sqlmodel import Session

    from shared.db import get_engine
    from shared.transfers.files import load_keys

    def hmac(inner: str, outer: str, message: str) -> str:
        return f"encode(sha256(k.{outer} || sha256(k.{inner} || convert_to({message}, 'UTF8'))), 'hex')"

    ref, suppressed = hmac("ref_i", "ref_o", "'1:' || c.id::text"), hmac("sup_i", "sup_o", "c.email")
    query = (f"COPY (SELECT left({ref}, 32), c.first_name, c.last_name, "
             "c.email, co.name FROM contacts c LEFT JOIN companies co ON co.id = c.company_id CROSS JOIN fair_keys k "
             "WHERE c.restricted_at IS NULL AND c.objects_direct_marketing_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
             f"suppressions x WHERE x.email_hash = {suppressed})) TO STDOUT WITH (FORMAT csv)")
    with Session(get_engine()) as session:
        start, rows = time.perf_counter(), 0
        load_keys(session, name="fair_keys")
        driver = session.connection().connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(query) as copy:
            for block in copy:
                rows += bytes(block).count(b"\n")
        seconds = time.perf_counter() - start
        session.rollback()
    return seconds, rows


class _PeakRss(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.process, self.stop, self.peak = psutil.Process(), threading.Event(), 0

    def run(self) -> None:
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=200_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-transfer-"))
    server = None
    url = os.environ.get("REKISTERI_DATABASE_URL")
    if not url:
        from shared.embedded.postgres import start_postgres

        server = start_postgres(workdir / "pg")
        url = server.create_database("bench_transfer")
    os.environ.update({"REKISTERI_DATABASE_URL": url, "REKISTERI_VAR_DIR": str(workdir / "var"),
                       "REKISTERI_LOG_LEVEL": "WARNING"})
    from bench.register_data import fill
    from shared.embedded.ports import free_port, wait_for_port
    from shared.migrations import upgrade

    try:
        upgrade(url)
        started = time.perf_counter()
        fill(url, companies=args.companies, contacts=args.contacts)
        _seed_rules(url, args.contacts)
        print(f"filled {args.contacts} contacts in {time.perf_counter() - started:.1f} s")
        port = free_port()
        endpoint = mp.Process(target=_endpoint, args=(port,), daemon=True)
        endpoint.start()
        wait_for_port("127.0.0.1", port, timeout=30)
        copy_seconds, copy_bytes, copy_rows = _copy_baseline(url)
        fair_seconds, fair_rows = _fair_baseline()
        result, seconds, peak, base = _transfer(f"http://127.0.0.1:{port}/in")
        endpoint.terminate()
        rows = result["rows"]
        rate, copy_rate, peak_mb = rows / seconds, copy_rows / copy_seconds, (peak - base) / 2**20
        print(f"transfer: {rows} rows in {seconds:.2f} s = {rate:,.0f} rows/s; excluded {result['excluded']}; "
              f"peak memory +{peak_mb:.0f} MB (process {peak / 2**20:.0f} MB)")
        print(f"fair baseline, COPY of the same rows under the same rules (HMAC ref and keyed suppression check in "
              f"SQL): {fair_rows} rows in {fair_seconds:.2f} s = {fair_rows / fair_seconds:,.0f} rows/s; "
              f"transfer / fair = {rate / (fair_rows / fair_seconds):.2f}")
        print(f"COPY TO baseline: {copy_rows} rows in {copy_seconds:.2f} s = {copy_rate:,.0f} rows/s "
              f"({copy_bytes / 2**20:.0f} MB); transfer rows/s / COPY rows/s = {rate / copy_rate:.2f}")
        print(f"RESULT contacts={args.contacts} rows={rows} rows_per_s={rate:.0f} baseline_copy_rows_per_s={copy_rate:.0f} "
              f"ratio={rate / copy_rate:.3f} peak_mem_mb={peak_mb:.0f} peak_mb={peak_mb:.0f} transfer_s={seconds:.2f} "
              f"copy_s={copy_seconds:.2f} time_ratio={seconds / copy_seconds:.2f} "
              f"fair_copy_rows_per_s={fair_rows / fair_seconds:.0f} fair_ratio={rate / (fair_rows / fair_seconds):.3f} "
              f"fair_copy_s={fair_seconds:.2f}")
    finally:
        if server is not None:
            server.destroy()


def _transfer(endpoint_url: str) -> tuple[dict, float, int, int]:
    from sqlmodel import Session

    from shared.audit.service import Actor
    from shared.db import get_engine
    from shared.models.partners import Transfer
    from shared.partners.delivery import DeliveryOptions
    from shared.partners.schemas import PartnerCreate
    from shared.partners.service import create_partner
    from shared.transfers.service import run_transfer

    with Session(get_engine()) as session:
        partner = create_partner(session, actor=Actor(label="bench"), data=PartnerCreate(
            name="Bench Marketing Oy", role="recipient", agreement_reference="BENCH-1",
            agreement_signed_on=date(2026, 1, 1), purposes=["marketing"], fields=FIELDS, delivery="https",
            endpoint_url=endpoint_url, secret=SECRET))
        transfer = Transfer(partner_id=partner.id, purpose="marketing", fields=FIELDS)
        session.add(transfer)
        session.commit()
        transfer_id = transfer.id
    sampler = _PeakRss()
    base = sampler.process.memory_info().rss
    sampler.start()
    phases = _timed_phases()
    start, cpu = time.perf_counter(), time.process_time()
    with Session(get_engine()) as session:
        result = run_transfer(session, transfer_id=transfer_id, options=DeliveryOptions(attempts=2))
        commit = time.perf_counter()
        session.commit()
        phases["commit"] = time.perf_counter() - commit
    seconds = time.perf_counter() - start
    phases["python_cpu"] = time.process_time() - cpu
    sampler.stop.set()
    sampler.join()
    print("where the time goes: " + ", ".join(f"{name} {value:.2f} s" for name, value in phases.items()))
    if result.get("status") != "delivered":
        raise SystemExit(f"transfer not delivered: {result}")
    return result, seconds, max(sampler.peak, base), base


def _timed_phases() -> dict[str, float]:
    """Wrap the transfer's steps (selection, file, POST, disclosure rows) to time each."""
    from shared.transfers import files, service

    phases: dict[str, float] = {}
    for owner, name, label in ((files, "select_people", "select"), (files, "write_people", "file"),
                               (service, "send_file", "post"), (service, "record_disclosures", "disclosures")):
        def timed(*args, _original=getattr(owner, name), _label=label, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                phases[_label] = phases.get(_label, 0.0) + time.perf_counter() - started
        setattr(owner, name, timed)
    return phases


if __name__ == "__main__":
    main()
