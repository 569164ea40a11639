"""`rekisteri bench`: the benchmarks of bench/ in one report (the same as `python -m bench`)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

ROOT = Path(__file__).resolve().parents[2]


def bench(full: bool = typer.Option(False, "--full", help="the sizes the issues name (takes long)"),
          only: list[str] = typer.Option(None, "--only", metavar="NAME",
                                         help="just this benchmark (repeat, or separate with commas)"),
          output: Path = typer.Option(ROOT / "bench" / "REPORT.md", help="where the report goes"),
          timeout: float = typer.Option(3600, help="seconds one benchmark may take")) -> None:
    """Run the benchmarks (small sizes unless --full), each in its own process with its own
    throwaway PostgreSQL, and write bench/REPORT.md."""
    if not (ROOT / "bench" / "runner.py").is_file():
        typer.echo("the benchmarks live in the source tree (bench/); run this from a checkout", err=True)
        raise typer.Exit(2)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.report import run
    from bench.runner import select

    try:
        benches = select(only)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--only") from None
    raise typer.Exit(run(benches, full=full, output=output, timeout=timeout))
