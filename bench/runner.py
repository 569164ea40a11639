"""Every benchmark of the issues, at a small size or at the size its issue names, each run as its
own process; its figures come from its last printed line, `RESULT key=value key=value ...`.

BENCHES is the list: a new module in bench/ that runs as a script must be added here (a test
checks that none is forgotten, and that every figure named here is one its module prints).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STDERR_TAIL = 20


@dataclass(frozen=True)
class Goal:
    """A figure's goal from the issue: `key op target`. A goal on a total that grows with the size
    (seconds for N rows, peak memory) is judged only at the full size."""

    key: str
    op: str  # ">=", "<=" or "=="
    target: float
    full_only: bool = False

    def met(self, value: float) -> bool:
        return {">=": value >= self.target, "<=": value <= self.target, "==": value == self.target}[self.op]


@dataclass(frozen=True)
class Figure:
    """One row of a benchmark's table: the figure, its baseline and ratio (keys of the RESULT line)."""

    label: str
    key: str
    unit: str = ""
    baseline: str | None = None
    ratio: str | None = None
    goals: tuple[Goal, ...] = ()


@dataclass(frozen=True)
class Bench:
    name: str
    issue: int
    what: str
    small: tuple[str, ...]
    full: tuple[str, ...]
    figures: tuple[Figure, ...]
    ratio_means: str = ""
    module: str = ""

    @property
    def module_name(self) -> str:
        return self.module or f"bench.{self.name}"

    def command(self, *, full: bool, python: str = "python") -> list[str]:
        return [python, "-m", self.module_name, *(self.full if full else self.small)]


def _g(key: str, op: str, target: float, *, full_only: bool = False) -> Goal:
    return Goal(key, op, target, full_only)


MILLION = ("--contacts", "1000000", "--companies", "200000")
SMALL_REGISTER = ("--contacts", "20000", "--companies", "4000")

BENCHES: tuple[Bench, ...] = (
    Bench("contacts_read", 3, "`GET /v1/contacts/{id}` and a name search through the real API (uvicorn, "
          "auth, access log) vs a bare FastAPI endpoint doing the same primary-key SELECT",
          small=(*SMALL_REGISTER, "--seconds", "3", "--clients", "4"),
          full=(*MILLION, "--seconds", "10", "--clients", "4"),
          ratio_means="API req/s ÷ bare endpoint req/s",
          figures=(
              Figure("GET /v1/contacts/{id}", "get_rps", "req/s", "bare_rps", "ratio",
                     (_g("get_rps", ">=", 1000), _g("ratio", ">=", 0.5))),
              Figure("GET p99", "get_p99_ms", "ms", goals=(_g("get_p99_ms", "<=", 50),)),
              Figure("search (name prefix + company status)", "search_rps", "req/s", "bare_rps", "search_ratio",
                     (_g("search_rps", ">=", 1000), _g("search_ratio", ">=", 0.5))),
              Figure("search p99", "search_p99_ms", "ms", goals=(_g("search_p99_ms", "<=", 50),)),
              Figure("API process CPU per GET (bare app's: bare_cpu_ms_per_get)", "api_cpu_ms_per_get", "ms"),
              Figure("non-200 answers (a check)", "errors", goals=(_g("errors", "==", 0),)),
          )),
    Bench("import_contacts", 3, "CSV import of contacts through the import service (validation, upsert, "
          "history) vs a plain COPY of the same file into an unindexed table",
          small=SMALL_REGISTER, full=MILLION, ratio_means="import rows/s ÷ COPY rows/s",
          figures=(
              Figure("contacts imported", "rate", "rows/s", "copy_rate", "ratio",
                     (_g("rate", ">=", 100_000), _g("ratio", ">=", 0.5))),
              Figure("contacts imported vs COPY into a copy of contacts (indexes, constraints)", "rate",
                     "rows/s", "fair_copy_rate", "fair_ratio", (_g("fair_ratio", ">=", 0.5),)),
              Figure("database statements", "db_s", "s"),
              Figure("Python CPU (reading, checking)", "python_cpu_s", "s"),
              Figure("rows", "rows"),
          )),
    Bench("web_events_ingest", 3, "web-event ingest through the service (batches of 1,000, a commit each) "
          "vs one COPY of the same rows into an identical table",
          small=("--events", "20000"), full=("--events", "200000"), ratio_means="service events/s ÷ COPY rows/s",
          figures=(Figure("events ingested", "rate", "events/s", "copy_rate", "ratio"),)),
    Bench("subject_requests", 4, "access exports (verified → ready, one at a time) and a queue of erasures "
          "through real Celery workers, then a residue scan of the erased people",
          small=(*SMALL_REGISTER, "--web-events", "200000", "--exports", "20", "--erasures", "100"),
          full=(*MILLION, "--web-events", "10000000", "--exports", "100", "--erasures", "1000"),
          figures=(
              Figure("export p50", "export_p50_s", "s"),
              Figure("export p99", "export_p99_s", "s", goals=(_g("export_p99_s", "<=", 2),)),
              Figure("all erasures, first verified → last done", "erasure_total_s", "s",
                     goals=(_g("erasure_total_s", "<=", 60, full_only=True),)),
              Figure("erasures", "erasures"),
              Figure("residue rows found", "residue", goals=(_g("residue", "==", 0),)),
          )),
    Bench("campaign_send", 5, "a campaign through the real notifier process to an aiosmtpd sink (claim, "
          "check, render, SMTP, mark) vs a plain aiosmtplib loop sending pre-rendered messages to the same sink",
          small=("--recipients", "5000", "--plain", "2000", "--objections", "20"),
          full=("--recipients", "100000"), ratio_means="notifier msg/s ÷ plain aiosmtplib loop msg/s",
          figures=(
              Figure("end to end", "msgs_per_s", "msg/s", "baseline_msgs_per_s", "ratio",
                     (_g("msgs_per_s", ">=", 800), _g("ratio", ">=", 0.7))),
              Figure("audience of the campaign built", "audience_build_s", "s",
                     goals=(_g("audience_build_s", "<=", 5, full_only=True),)),
              Figure("notifier CPU per message sent", "notifier_cpu_ms_per_msg", "ms"),
              Figure("transactional email during the campaign, p95", "transactional_p95_s", "s",
                     goals=(_g("transactional_p95_s", "<=", 1),)),
              Figure("notifier peak memory", "peak_rss_mb", "MB"),
              Figure("messages to objectors", "to_objectors", goals=(_g("to_objectors", "==", 0),)),
              Figure("messages sent twice", "duplicates"),
          )),
    Bench("dedup", 6, "contacts with known duplicates, from PostgreSQL to candidate groups written back; then "
          "new records checked against that register, and the duplicate warning on create",
          small=("--contacts", "5000"), full=("--contacts", "1000000", "--duplicates", "0.2", "--incremental", "10000"),
          figures=(
              Figure("PostgreSQL → candidate groups written back", "seconds", "s",
                     goals=(_g("seconds", "<=", 60, full_only=True),)),
              Figure("peak memory", "peak_mem_mb", "MB", goals=(_g("peak_mem_mb", "<=", 4000, full_only=True),)),
              Figure("pairs compared", "pairs_compared"),
              Figure("blocking recall", "blocking_recall"),
              Figure("precision", "precision"),
              Figure("recall", "recall"),
              Figure("F1", "f1", goals=(_g("f1", ">=", 0.98),)),
              Figure("precision of automatic merges", "auto_precision", goals=(_g("auto_precision", ">=", 0.999),)),
              Figure("new records checked against the register", "incremental_records"),
              Figure("check of the new records", "incremental_10k_s", "s", goals=(_g("incremental_10k_s", "<=", 15, full_only=True),)),
              Figure("duplicate warning on create, p95", "create_check_p95_ms", "ms",
                     goals=(_g("create_check_p95_ms", "<=", 50),)),
          )),
    Bench("transfer", 7, "a marketing transfer (select under the rules, streamed CSV, signed POST, one "
          "disclosure row per person) vs a plain `COPY (SELECT …) TO STDOUT` of the same columns",
          small=SMALL_REGISTER, full=MILLION, ratio_means="transfer rows/s ÷ COPY rows/s",
          figures=(
              Figure("transfer", "rows_per_s", "rows/s", "baseline_copy_rows_per_s", "ratio",
                     (_g("rows_per_s", ">=", 100_000),)),
              Figure("transfer vs COPY of the same rows under the same rules (HMAC ref, suppression check)",
                     "rows_per_s", "rows/s", "fair_copy_rows_per_s", "fair_ratio", (_g("fair_ratio", ">=", 0.5),)),
              Figure("rows sent", "rows"),
              Figure("peak memory above the process's start", "peak_mem_mb", "MB",
                     goals=(_g("peak_mem_mb", "<=", 300, full_only=True),)),
          )),
)


@dataclass
class Outcome:
    bench: Bench
    command: list[str]
    seconds: float = 0.0
    returncode: int | None = None
    figures: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    stderr_tail: list[str] = field(default_factory=list)
    load_before: float = 0.0  # the 1-minute load average as it started: the machine may be shared

    @property
    def ok(self) -> bool:
        return self.error is None


class ResultLineError(ValueError):
    pass


def parse_result(stdout: str) -> dict[str, str]:
    """The figures of the last non-empty line, which must be `RESULT key=value ...`, as printed."""
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    if not lines or not lines[-1].startswith("RESULT "):
        raise ResultLineError("its last printed line is not `RESULT key=value ...`")
    figures: dict[str, str] = {}
    for token in lines[-1].split()[1:]:
        key, sep, value = token.partition("=")
        if not sep or not key or not value:
            raise ResultLineError(f"`{token}` in the RESULT line is not key=value")
        figures[key] = value
    return figures


def value_of(text: str | None) -> float | None:
    """A figure as a number; None when it is missing or not a number."""
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def select(only: list[str] | None) -> list[Bench]:
    """The benches named (comma-separated or repeated), in the list's order; all when none."""
    names = [n.strip() for item in only or [] for n in item.split(",") if n.strip()]
    known = {b.name for b in BENCHES}
    if unknown := [n for n in names if n not in known]:
        raise ValueError(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [b for b in BENCHES if not names or b.name in names]


def _stop(proc: subprocess.Popen, grace: float = 60) -> None:
    """Ask it to stop like Ctrl-C does (its `finally` removes its servers), then kill its group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _end_group(proc: subprocess.Popen) -> None:
    """After a benchmark exits: end whatever it started in its session and left behind (a crashed
    benchmark's API or worker processes), so the next one has the machine to itself."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def run_bench(bench: Bench, *, full: bool, timeout: float | None = None, cwd: Path = ROOT,
              echo: Callable[[str], None] = lambda line: None) -> Outcome:
    """Run one benchmark as a process in its own session; stdout is echoed line by line."""
    command = bench.command(full=full, python=sys.executable)
    outcome = Outcome(bench, command, load_before=os.getloadavg()[0])
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    lines: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stderr:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                errors="replace", start_new_session=True)

        def pump() -> None:
            for line in proc.stdout:
                lines.append(line)
                echo(line.rstrip("\n"))

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            outcome.returncode = proc.wait(timeout)
            _end_group(proc)
        except subprocess.TimeoutExpired:
            _stop(proc)
            outcome.error = f"stopped after the time limit of {timeout:.0f} s"
        except KeyboardInterrupt:
            _stop(proc)
            raise
        outcome.seconds = time.perf_counter() - started
        reader.join(10)  # the rest of its output (a server it left running may hold the pipe open)
        stderr.seek(0)
        outcome.stderr_tail = stderr.read().splitlines()[-STDERR_TAIL:]
    if outcome.error is None and outcome.returncode != 0:
        outcome.error = f"exit code {outcome.returncode}"
    try:
        outcome.figures = parse_result("".join(lines))
    except ResultLineError as exc:
        outcome.error = outcome.error or str(exc)
    return outcome


def run_all(benches: list[Bench], *, full: bool, timeout: float | None = None, cwd: Path = ROOT,
            echo: Callable[[str], None] = print) -> list[Outcome]:
    """Each in turn; one that fails is recorded and the next still runs."""
    outcomes = []
    for i, bench in enumerate(benches, 1):
        command = " ".join(bench.command(full=full))
        echo(f"[{i}/{len(benches)}] {bench.name}: {command}")
        outcome = run_bench(bench, full=full, timeout=timeout, cwd=cwd, echo=lambda line: echo(f"    {line}"))
        verdict = "ok" if outcome.ok else f"FAILED ({outcome.error})"
        echo(f"[{i}/{len(benches)}] {bench.name}: {verdict} in {outcome.seconds:.0f} s")
        outcomes.append(outcome)
    return outcomes
