"""Read benchmark: `GET /v1/contacts/{id}` and a filtered search on a 1M-contact register,
against a bare FastAPI endpoint doing the same primary-key SELECT, in the same run.

    python -m bench.contacts_read [--contacts 1000000 --companies 200000 --seconds 10 --clients 4]

Starts a throwaway embedded PostgreSQL, fills it (bench/register_data.py), runs the real API
(`rekisteri api`, one uvicorn process) and the bare app on free ports, and drives each with
keep-alive HTTP clients in separate processes. On 2 cores the clients share the CPU with the
server, so absolute figures understate what a separate load machine would see; the ratio is
the fair comparison. Where the time goes: the CPU per request of the server process and of
PostgreSQL in each phase. Last line: `RESULT key=value ...` (`ratio`: API GET req/s over bare
req/s; `api_cpu_ms_per_get`, `bare_cpu_ms_per_get`, `pg_cpu_ms_per_get`… the CPU per request).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.campaign_probes import cpu_seconds
from bench.register_data import LAST, fill
from shared.embedded.ports import free_port, wait_for_port


def _client(base: str, headers: dict, paths: str, n_ids: int, seconds: float, out) -> None:
    rng = random.Random(os.getpid())
    latencies, errors = [], 0
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        deadline = time.perf_counter() + seconds
        while (start := time.perf_counter()) < deadline:
            path = (f"/contacts/{rng.randint(1, n_ids)}" if headers.get("x-kind") == "bare"
                    else f"/v1/contacts/{rng.randint(1, n_ids)}" if paths == "get"
                    else f"/v1/contacts?q={rng.choice(LAST).lower()}&company_status=customer&limit=20")
            response = client.get(path)
            latencies.append(time.perf_counter() - start)
            errors += response.status_code != 200
    out.put((latencies, errors))


def drive(base: str, headers: dict, paths: str, n_ids: int, seconds: float, clients: int) -> dict:
    out = mp.Queue()
    procs = [mp.Process(target=_client, args=(base, headers, paths, n_ids, seconds, out)) for _ in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1],
        "errors": sum(e for _, e in results),
    }


def _serve(argv: list[str], env: dict, port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(argv, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_for_port("127.0.0.1", port, timeout=60)
    return proc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    from shared.embedded.postgres import start_postgres
    from shared.migrations import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="bench-read-"))
    pg = start_postgres(tmp / "pg")
    procs: list[subprocess.Popen] = []
    try:
        url = pg.create_database("bench")
        upgrade(url)
        t0 = time.perf_counter()
        fill(url, companies=args.companies, contacts=args.contacts)
        print(f"filled {args.contacts} contacts / {args.companies} companies in {time.perf_counter() - t0:.1f}s")
        env = {**os.environ, "REKISTERI_DATABASE_URL": url, "REKISTERI_ENVIRONMENT": "development",
               "REKISTERI_REDIS_URL": "redis://127.0.0.1:1/0", "REKISTERI_LOG_LEVEL": "WARNING",
               "REKISTERI_LOG_FORMAT": "json"}
        create = subprocess.run([sys.executable, "-m", "shared.cli.main", "users", "create", "--name", "bench",
                                 "--role", "sales"], env=env, capture_output=True, text=True, check=True)
        assert create.returncode == 0
        token = subprocess.run([sys.executable, "-m", "shared.cli.main", "tokens", "create", "--user", "bench"],
                               env=env, capture_output=True, text=True, check=True).stdout.strip()
        api_port, bare_port = free_port(), free_port()
        procs.append(_serve([sys.executable, "-m", "shared.cli.main", "api"],
                            {**env, "REKISTERI_API_PORT": str(api_port)}, api_port, tmp / "api.log"))
        procs.append(_serve([sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(bare_port),
                             "--log-level", "warning"], env, bare_port, tmp / "bare.log"))
        auth = {"Authorization": f"Bearer {token}"}
        results, api, bare_app = {}, procs[0], procs[1]
        for name, base, headers, paths, server in [
            ("bare_get", f"http://127.0.0.1:{bare_port}", {"x-kind": "bare"}, "get", bare_app),
            ("api_get", f"http://127.0.0.1:{api_port}", auth, "get", api),
            ("api_search", f"http://127.0.0.1:{api_port}", auth, "search", api),
        ]:
            drive(base, headers, paths, args.contacts, 2, args.clients)  # warm-up
            before = (cpu_seconds(server.pid), cpu_seconds(pg.pid, children=True))
            results[name] = r = drive(base, headers, paths, args.contacts, args.seconds, args.clients)
            n = max(r["rps"] * args.seconds, 1)
            r["server_cpu_ms"] = 1000 * (cpu_seconds(server.pid) - before[0]) / n
            r["pg_cpu_ms"] = 1000 * (cpu_seconds(pg.pid, children=True) - before[1]) / n
            print(f"{name}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
                  f"errors {r['errors']}; "
                  f"where the time goes, CPU per request: server process {r['server_cpu_ms']:.2f} ms, "
                  f"PostgreSQL {r['pg_cpu_ms']:.2f} ms (the rest of 2 cores: the clients)")
        bare, get, search = results["bare_get"], results["api_get"], results["api_search"]
        errors = sum(r["errors"] for r in results.values())
        print(f"RESULT contacts={args.contacts} seconds={args.seconds:g} clients={args.clients} "
              f"get_rps={get['rps']:.0f} get_p50_ms={get['p50_ms']:.1f} get_p99_ms={get['p99_ms']:.1f} "
              f"search_rps={search['rps']:.0f} search_p99_ms={search['p99_ms']:.1f} bare_rps={bare['rps']:.0f} "
              f"bare_p99_ms={bare['p99_ms']:.1f} ratio={get['rps'] / bare['rps']:.3f} "
              f"search_ratio={search['rps'] / bare['rps']:.3f} errors={errors} "
              f"api_cpu_ms_per_get={get['server_cpu_ms']:.2f} bare_cpu_ms_per_get={bare['server_cpu_ms']:.2f} "
              f"pg_cpu_ms_per_get={get['pg_cpu_ms']:.2f} bare_pg_cpu_ms_per_get={bare['pg_cpu_ms']:.2f} "
              f"api_cpu_ms_per_search={search['server_cpu_ms']:.2f} pg_cpu_ms_per_search={search['pg_cpu_ms']:.2f}")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
        pg.destroy()


if __name__ == "__main__":
    main()
