"""The benchmark report: RESULT lines parsed, fake benchmarks run as real processes (one fine, one
crashing, one without a RESULT line, one too slow), the report written; and no benchmark in bench/
left out of the runner, none of its figures renamed behind the runner's back."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bench.report import number, run, took
from bench.runner import BENCHES, Bench, Figure, Goal, ResultLineError, parse_result

ROOT = Path(__file__).resolve().parents[2]

FAKES = {
    "good": """
        import sys
        rows = int(sys.argv[sys.argv.index("--rows") + 1])
        print("filled the database")
        print("warming up", file=sys.stderr)
        print(f"RESULT rows={rows} rate=1500 copy_rate=3000 ratio=0.5 seconds=75 mode=fast")
    """,
    "broken": """
        import sys
        print("filled the database", flush=True)
        print("Traceback (most recent call last):", file=sys.stderr)
        print("ValueError: boom", file=sys.stderr)
        sys.exit(3)
    """,
    "silent": """
        print("RESULT rate=1")
        print("done, no figures at the end")
    """,
    "slow": """
        import time
        print("started", flush=True)
        try:
            time.sleep(60)
        finally:
            print("cleaned up", flush=True)
    """,
}


def _bench(name: str, goals: tuple[Goal, ...] = ()) -> Bench:
    figures = (Figure("imported", "rate", "rows/s", "copy_rate", "ratio", goals),
               Figure("seconds", "seconds", "s", goals=(Goal("seconds", "<=", 60, full_only=True),)))
    return Bench(name, 9, f"the {name} fake", small=("--rows", "10"), full=("--rows", "1000000"),
                 figures=figures, ratio_means="rate over copy_rate", module=f"fakebench.{name}")


@pytest.fixture
def fakes(tmp_path: Path) -> Path:
    package = tmp_path / "fakebench"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in FAKES.items():
        (package / f"{name}.py").write_text(textwrap.dedent(source))
    return tmp_path


def test_parse_result_reads_the_last_line():
    assert parse_result("filled\nRESULT rows=10 rate=1500.5 mode=fast\n\n") == {
        "rows": "10", "rate": "1500.5", "mode": "fast"}
    with pytest.raises(ResultLineError, match="last printed line"):
        parse_result("RESULT rows=1\nsomething after it\n")
    with pytest.raises(ResultLineError, match="`rows` in the RESULT line"):
        parse_result("RESULT rows rate=1\n")
    with pytest.raises(ResultLineError):
        parse_result("")


def test_numbers_are_written_for_people():
    assert number("1234567", "rows/s") == "1,234,567 rows/s"
    assert number("-23500.25") == "-23,500.25"
    assert number("0.9995") == "0.9995"  # as printed: never rounded into a goal it missed
    assert number("27.61", "ms") == "27.61 ms"
    assert number(None) == "—"
    assert number("nan") == "nan"
    assert (took(3.04), took(59.97), took(119.6)) == ("3.0 s", "1 min 0 s", "2 min 0 s")


def test_fake_benchmarks_run_as_processes_and_land_in_the_report(fakes: Path):
    output, echoed = fakes / "out" / "REPORT.md", []
    benches = [_bench("good", (Goal("rate", ">=", 1000), Goal("ratio", ">=", 0.7))),
               _bench("broken"), _bench("silent"), _bench("slow")]
    code = run(benches, full=False, output=output, timeout=3, cwd=fakes, echo=echoed.append)

    assert code == 1  # one or more failed; all four still ran
    report = output.read_text()
    good = report.split("## good (issue 9)")[1].split("\n## ")[0]
    assert "Command: `python -m fakebench.good --rows 10`" in good
    assert "| imported | 1,500 rows/s | 3,000 rows/s | 0.5 | ≥ 1,000 rows/s; ratio ≥ 0.7 | met; **not met** (0.5) |" in good
    assert "| seconds | 75 s | — | — | ≤ 60 s | not judged (a total: the goal is for the full size) |" in good
    assert "Its RESULT line: `RESULT rows=10 rate=1500 copy_rate=3000 ratio=0.5 seconds=75 mode=fast`" in good
    assert "Ratio: rate over copy_rate." in good
    assert re.search(r"\| \[good\]\(#good-issue-9\) \| 9 \| ok \| [\d.]+ s \| [\d.]+ \| 1 of 2; 1 more judged only at the full size \|",
                     report)

    broken = report.split("## broken (issue 9)")[1].split("\n## ")[0]
    assert "**FAILED**: exit code 3." in broken
    assert "ValueError: boom" in broken and "| imported |" not in broken
    assert "**FAILED**: its last printed line is not `RESULT key=value ...`." in report.split("## silent")[1]
    slow = report.split("## slow (issue 9)")[1]
    assert "**FAILED**: stopped after the time limit of 3 s." in slow
    assert "    cleaned up" in echoed  # stopped like Ctrl-C: its own clean-up ran
    assert "Failed: broken, silent, slow (see below)." in report

    machine = report.split("## Machine")[1].split("## Summary")[0]
    for row in ("| cores | ", "| memory | ", "| Python | 3.", "| PostgreSQL | PostgreSQL ", "| load average"):
        assert row in machine
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    assert f"at commit {head}" in report and "Sizes: **small**" in report


def test_full_size_passes_the_full_arguments_and_judges_totals(fakes: Path):
    output = fakes / "REPORT.md"
    assert run([_bench("good")], full=True, output=output, timeout=30, cwd=fakes, echo=lambda line: None) == 0
    report = output.read_text()
    assert "`python -m fakebench.good --rows 1000000`" in report and "rows=1000000" in report
    assert "| ≤ 60 s | **not met** (75) |" in report and "Sizes: **full**" in report


def _scripts() -> set[str]:
    return {f"bench.{path.stem}" for path in (ROOT / "bench").glob("*.py")
            if path.stem != "__main__" and 'if __name__ == "__main__":' in path.read_text()}


def test_every_benchmark_in_bench_is_in_the_runner():
    listed = {b.module_name for b in BENCHES}
    assert _scripts() - listed == set(), "a benchmark module missing from bench/runner.py BENCHES"
    assert listed - _scripts() == set(), "BENCHES names a module that is not a benchmark script"
    assert len({b.name for b in BENCHES}) == len(BENCHES)


@pytest.mark.parametrize("bench", BENCHES, ids=lambda b: b.name)
def test_the_runner_names_only_figures_and_options_the_benchmark_has(bench: Bench):
    source = (ROOT / "bench" / f"{bench.name}.py").read_text()
    assert 'print(f"RESULT ' in source
    keys = {k for f in bench.figures for k in (f.key, f.baseline, f.ratio, *(g.key for g in f.goals)) if k}
    missing = {k for k in keys if not re.search(rf"(?<![\w]){re.escape(k)}=\{{", source)}
    assert missing == set(), f"{bench.name} prints no {missing} in its RESULT line"
    options = {a for a in (*bench.small, *bench.full) if a.startswith("--")}
    declared = set(re.findall(r'add_argument\("(--[\w-]+)"', source))
    assert options - declared == set()


def test_python_m_bench_is_the_command_and_shared_does_not_know_it():
    result = subprocess.run([sys.executable, "-m", "bench", "--only", "no_such_bench"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "unknown benchmark no_such_bench" in result.stderr
    from shared.cli.main import app

    assert "bench" not in [command.name for command in app.registered_commands]
    for path in (ROOT / "shared").rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"^\s*(from|import) (bench|testdata)\b", text, re.M), path
        assert "sys.path" not in text, path


def test_what_a_benchmark_leaves_behind_is_ended(fakes: Path):
    pid_file = fakes / "orphan.pid"
    (fakes / "fakebench" / "orphan.py").write_text(textwrap.dedent(f"""
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        print("RESULT rate=1 copy_rate=2 ratio=0.5 seconds=1")
    """))
    assert run([_bench("orphan")], output=fakes / "R.md", timeout=30, cwd=fakes, echo=lambda line: None) == 0
    orphan = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(orphan) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(orphan)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_readme_links_the_report_and_names_the_command():
    benchmarks = (ROOT / "README.md").read_text().split("## Benchmarks")[1].split("\n## ")[0]
    assert "(bench/REPORT.md)" in benchmarks
    assert "python -m bench --full" in benchmarks and "make bench" in benchmarks
