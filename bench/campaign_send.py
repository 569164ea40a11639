"""A 100,000-recipient campaign through the real notifier process to a local aiosmtpd sink.

    python -m bench.campaign_send [--recipients 100000 --concurrency 100 --batch 500 --plain 30000]

Starts a throwaway embedded PostgreSQL, fills contacts (bench/register_data.py, bench/campaign_setup.py)
subscribed to one list, with a share of objectors (5 %), restricted (1 %) and suppressed addresses (3 %), builds the
campaign's audience (paused), and starts a sink (aiosmtpd in its own process; it logs the time of
each MAIL FROM and each accepted message).

1. plain: a plain aiosmtplib loop (`--concurrency` connections, the notifier's event loop) sends
   `--plain` of the campaign's pre-rendered messages to the sink: the ceiling on this machine
   (measured again with 50 connections, the handbook's reference, and reported beside).
2. end to end: the notifier (`python -m services.notifier.main`, a real process) sends the campaign
   from the moment it is resumed: claim + check, share-lock + re-check, render the bytes, SMTP,
   hand-over marks, record. Meanwhile a transactional email is queued every 100 ms (its latency:
   commit -> accepted by the sink), and people object through the one-click opt-out at random
   moments (the time their objection holds the contact row is noted).

With --dkim every message is signed (a 2048-bit key made with openssl), and the signing rate of
dkimpy alone and of the notifier's signer (RSA by cryptography) is measured first, in one process.

Checks: no message reached an objector, a restricted or suppressed address, and no message to a
live objector had its MAIL FROM after the objection took the row. The last line is
`RESULT key=value ...`: msgs_per_s (end to end), baseline_msgs_per_s (the plain loop), ratio,
transactional_p95_s, peak_rss_mb, to_objectors (and, under the names bench/runner.py reads,
e2e_msg_s, plain_msg_s, tx_p95_s, notifier_peak_rss_mib); where the time goes: audience_build_s
(the audience built, before the send) and the CPU per message sent of the notifier, the sink and
PostgreSQL (notifier_cpu_ms_per_msg, sink_cpu_ms_per_msg, postgres_cpu_ms_per_msg). `--profile
PATH` runs the notifier under cProfile and prints the functions its CPU went to.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.campaign_probes import (
    Objections,
    Transactional,
    cpu_seconds,
    dkim_sign_rates,
    peak_rss_mib,
    pct,
    read_sink,
    run_sink,
    wait_campaign,
)
from bench.campaign_setup import build_campaign, plain_loop, plain_messages, prepare, resume


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=100, help="SMTP connections (notifier and plain loop)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--plain", type=int, default=30_000, help="messages for the plain aiosmtplib loop")
    parser.add_argument("--objections", type=int, default=200, help="live one-click opt-outs during the run")
    parser.add_argument("--dkim", action="store_true", help="sign every message (a 2048-bit key made with openssl)")
    parser.add_argument("--pg-stats", action="store_true", help="print the statements PostgreSQL spent most time on")
    parser.add_argument("--profile", metavar="PATH", help="run the notifier under cProfile, write its profile to "
                        "PATH and print where its CPU went")
    parser.add_argument("--sink", nargs=2, metavar=("PORT", "LOG"), help=argparse.SUPPRESS)
    return parser.parse_args()


def configure(args: argparse.Namespace, url: str, tmp: Path, port: int) -> Path | None:
    """The notifier's settings (its environment); with --dkim, a fresh key."""
    os.environ.update({
        "REKISTERI_DATABASE_URL": url, "REKISTERI_ENVIRONMENT": "development", "REKISTERI_LOG_LEVEL": "WARNING",
        "REKISTERI_LOG_FORMAT": "json", "REKISTERI_VAR_DIR": str(tmp / "var"),
        "REKISTERI_SMTP_HOST": "127.0.0.1", "REKISTERI_SMTP_PORT": str(port),
        "REKISTERI_NOTIFIER_CONCURRENCY": str(args.concurrency), "REKISTERI_NOTIFIER_BATCH_SIZE": str(args.batch),
        "REKISTERI_NOTIFIER_POLL_SECONDS": "0.2",
    })
    key = None
    if args.dkim:
        key = tmp / "dkim.pem"
        subprocess.run(["openssl", "genrsa", "-traditional", "-out", str(key), "2048"], check=True, capture_output=True)
        os.environ.update({"REKISTERI_DKIM_SELECTOR": "bench", "REKISTERI_DKIM_DOMAIN": "jetmasters.example",
                           "REKISTERI_DKIM_PRIVATE_KEY_PATH": str(key)})
    from shared.logging import configure_logging
    from shared.settings import get_settings

    get_settings.cache_clear()
    configure_logging(service="bench", level="WARNING", fmt=get_settings().effective_log_format)
    return key


def pg_stats(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for query, calls, total, rows in conn.execute(
                "SELECT query, calls, total_exec_time, rows FROM pg_stat_statements "
                "ORDER BY total_exec_time DESC LIMIT 12").fetchall():
            print(f"  {total / 1000:7.2f}s {calls:7d} calls {rows:8d} rows  {' '.join(query.split())[:110]}")


def show_profile(path: str) -> None:
    import pstats

    print("the notifier's profile (cProfile, the whole run), by own time:")
    pstats.Stats(path).sort_stats("tottime").print_stats(18)


def end_to_end(args, url: str, pg, data: dict, campaign_id: int, sink, plain_rate: float, procs: list,
               tmp: Path) -> dict:
    """The notifier sends the campaign while transactional mail and objections come in."""
    notifier_log = (tmp / "notifier.log").open("ab")
    profiled = ["-m", "cProfile", "-o", args.profile] if args.profile else []
    notifier = subprocess.Popen([sys.executable, *profiled, "-m", "services.notifier.main"], stdout=notifier_log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    procs.append(notifier)
    time.sleep(3)  # started and idle
    with psycopg.connect(url) as conn:
        candidates = [(c, e) for c, e in conn.execute(
            "SELECT id, email FROM contacts WHERE NOT (id % 20 = 7 OR id % 100 = 11 OR id % 33 = 5)").fetchall()]
    transactional = Transactional(0.1)
    objections = Objections(campaign_id, data["list_id"], candidates, args.objections,
                            span=args.recipients / max(plain_rate, 1))
    if args.pg_stats:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_stat_statements_reset()")
    cpu0 = (cpu_seconds(notifier.pid), cpu_seconds(sink.pid), cpu_seconds(pg.pid, children=True))
    start = time.time()
    resume(campaign_id)
    transactional.start()
    objections.start()
    wait_campaign(url, campaign_id, timeout=3600)
    cpu1 = (cpu_seconds(notifier.pid), cpu_seconds(sink.pid), cpu_seconds(pg.pid, children=True))
    if args.pg_stats:
        pg_stats(url)
    transactional.stop.set()
    transactional.join()
    objections.join()
    time.sleep(1.5)
    peak = peak_rss_mib(notifier.pid)
    os.killpg(notifier.pid, signal.SIGTERM)
    notifier.wait(60)
    return {"start": start, "peak_mib": peak, "transactional": transactional, "objections": objections,
            "cpu": [b - a for a, b in zip(cpu0, cpu1, strict=True)]}


def main() -> None:
    args = arguments()
    if args.sink:
        run_sink(int(args.sink[0]), args.sink[1])
        return

    from shared.embedded.ports import free_port
    from shared.embedded.postgres import start_postgres
    from shared.migrations import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="bench-campaign-send-"))
    pg = start_postgres(tmp / "pg")
    procs: list[subprocess.Popen] = []
    try:
        url = pg.create_database("bench")
        if args.pg_stats:
            with psycopg.connect(pg.admin_url, autocommit=True) as conn:
                conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
            pg.stop()
            pg.start()
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION pg_stat_statements")
        upgrade(url)
        t0 = time.perf_counter()
        data = prepare(url, args.recipients)
        port, sink_log = free_port(), tmp / "sink.log"
        key = configure(args, url, tmp, port)
        campaign_id, build_s = build_campaign(data["list_id"])
        print(f"filled {args.recipients} contacts in {time.perf_counter() - t0 - build_s:.1f}s, "
              f"built the audience in {build_s:.1f}s", flush=True)

        sink = subprocess.Popen([sys.executable, "-m", "bench.campaign_send", "--sink", str(port), str(sink_log)],
                                stdout=subprocess.PIPE, start_new_session=True)
        procs.append(sink)
        sink.stdout.readline()

        messages = plain_messages(url, args.plain)  # unsigned even with --dkim (the signature is ~0.5 KB)
        signing = ""
        if key is not None:
            dkimpy_rate, signer_rate = dkim_sign_rates([m for _, _, m in messages[:500]], key)
            print(f"DKIM signatures in one process: dkimpy alone {dkimpy_rate:.0f}/s, the notifier's signer "
                  f"{signer_rate:.0f}/s ({signer_rate / dkimpy_rate:.1f}x)", flush=True)
            signing = (f" dkim_sign_per_s={signer_rate:.0f} dkimpy_sign_per_s={dkimpy_rate:.0f}"
                       f" dkim_sign_ratio={signer_rate / dkimpy_rate:.1f}")
        plain_rate = plain_loop(port, messages, args.concurrency)
        plain_50 = plain_loop(port, messages, 50) if args.concurrency != 50 else plain_rate
        del messages
        print(f"plain aiosmtplib loop: {plain_rate:.0f} msg/s ({args.plain} messages, {args.concurrency} connections); "
              f"{plain_50:.0f} msg/s with 50 connections", flush=True)
        plain_lines = len(read_sink(sink_log))

        run = end_to_end(args, url, pg, data, campaign_id, sink, plain_rate, procs, tmp)
        transactional, objections, peak = run["transactional"], run["objections"], run["peak_mib"]
        rows = read_sink(sink_log)[plain_lines:]
        campaign = [r for r in rows if r[3] == "-"]
        end = max(r[1] for r in campaign)
        rate = len(campaign) / (end - run["start"])
        latency = [rows_end - transactional.committed[tag] for _, rows_end, _, tag in rows
                   if tag in transactional.committed]
        received = {}
        for mail_t, _, rcpt, tag in campaign:
            received.setdefault(rcpt, []).append(mail_t)
        to_blocked = sum(len(received.get(a, [])) for a in data["blocked"])
        late = sum(1 for a, held in objections.held.items() for mail_t in received.get(a, []) if mail_t > held)
        twice = sum(1 for times in received.values() if len(times) > 1)
        with psycopg.connect(url) as conn:
            status = dict(conn.execute("""SELECT m.status, count(*) FROM email_outbox m
                                          JOIN campaign_recipients r ON r.email_id = m.id
                                          WHERE r.campaign_id = %s GROUP BY 1""", (campaign_id,)).fetchall())
            skipped_live = conn.execute("""SELECT count(*) FROM email_outbox WHERE to_address = ANY(%s)
                                           AND status = 'skipped'""", (list(objections.held),)).fetchone()[0]
        cpu = run["cpu"]
        per_msg = [1000 * c / max(len(campaign), 1) for c in cpu]
        print(f"where the time goes: audience built in {build_s:.1f}s; during the send, CPU per message: notifier "
              f"{per_msg[0]:.2f} ms, sink {per_msg[1]:.2f} ms, PostgreSQL {per_msg[2]:.2f} ms (2 cores: "
              f"{2000 / max(rate, 1):.2f} ms of CPU per message at this rate)", flush=True)
        if args.profile:
            show_profile(args.profile)
        p95 = pct(latency, .95)
        print(f"end to end: {len(campaign)} messages in {end - run['start']:.1f}s = {rate:.0f} msg/s; outbox {status}; "
              f"transactional {len(latency)} p50 {pct(latency, .5):.3f}s p95 {p95:.3f}s "
              f"max {max(latency, default=float('nan')):.3f}s; live objections {len(objections.held)} "
              f"({skipped_live} skipped, {late} sent after the objection, longest wait for the row "
              f"{max(objections.waited, default=0):.3f}s); notifier peak RSS {peak:.0f} MiB; "
              f"CPU s notifier {cpu[0]:.1f} sink {cpu[1]:.1f} postgres {cpu[2]:.1f}", flush=True)
        print(f"RESULT recipients={args.recipients} concurrency={args.concurrency} batch={args.batch} "
              f"dkim={'on' if key else 'off'} sent={len(campaign)} msgs_per_s={rate:.0f} "
              f"baseline_msgs_per_s={plain_rate:.0f} ratio={rate / plain_rate:.2f} "
              f"ratio_vs_plain50={rate / plain_50:.2f} transactional_p95_s={p95:.3f} "
              f"peak_rss_mb={peak * 1.048576:.0f} to_objectors={to_blocked + late} duplicates={twice}{signing} "
              f"e2e_msg_s={rate:.0f} plain_msg_s={plain_rate:.0f} tx_p95_s={p95:.3f} notifier_peak_rss_mib={peak:.0f} "
              f"audience_build_s={build_s:.1f} notifier_cpu_ms_per_msg={per_msg[0]:.2f} "
              f"sink_cpu_ms_per_msg={per_msg[1]:.2f} postgres_cpu_ms_per_msg={per_msg[2]:.2f}")
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        pg.destroy()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
