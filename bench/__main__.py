"""`python -m bench` (what `make bench` runs): every benchmark at a
small size (`--full`: the sizes the issues name), then bench/REPORT.md.

    python -m bench [--full] [--only NAME ...] [--output bench/REPORT.md] [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.report import DEFAULT_OUTPUT, run
from bench.runner import BENCHES, select


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--full", action="store_true", help="the sizes the issues name (takes long)")
    parser.add_argument("--only", nargs="+", action="extend", metavar="NAME",
                        help=f"just these: {', '.join(b.name for b in BENCHES)}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the report goes")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one benchmark may take")
    args = parser.parse_args(argv)
    try:
        benches = select(args.only)
    except ValueError as exc:
        parser.error(str(exc))
    return run(benches, full=args.full, output=args.output, timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(main())
