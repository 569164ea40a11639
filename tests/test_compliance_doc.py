"""docs/compliance.md is the law as a checklist: every obligation the issue lists has a line, every
line names the tests that prove it, and every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "compliance.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
OBLIGATIONS = [
    "GDPR Art. 5(1)", "GDPR Art. 6 ", "GDPR Art. 7 ", "GDPR Art. 12(3)", "GDPR Art. 12(4)", "GDPR Art. 12(5)",
    "GDPR Art. 13 ", "GDPR Art. 14 ", "GDPR Art. 15 ", "GDPR Art. 16 ", "GDPR Art. 17 ", "GDPR Art. 18 ",
    "GDPR Art. 19 ", "GDPR Art. 20 ", "GDPR Art. 21(2)–(3)", "GDPR Art. 25 ", "GDPR Art. 28 ", "GDPR Art. 30 ",
    "GDPR Art. 32 ", "GDPR Art. 33 ", "GDPR Art. 34 ", "Data Protection Act 1050/2018",
    "Information Society Code 917/2014 § 200", "Information Society Code 917/2014 § 201",
    "Information Society Code 917/2014 § 202", "RFC 8058",
]


def rows() -> list[str]:
    """The table's rows, without its header and separator."""
    lines = [line for line in DOC.read_text().splitlines() if line.startswith("| ")]
    return [line for line in lines[1:] if not line.startswith("| ---")]


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")}


def test_every_obligation_has_a_line():
    obligations = [row.split(" | ")[0].lstrip("| ") for row in rows()]
    missing = [o for o in OBLIGATIONS if not any(line.startswith(o) for line in obligations)]
    assert not missing, missing


def test_every_line_names_a_test_and_every_named_test_exists():
    found: dict[str, set[str]] = {}
    for row in rows():
        named = NAMED.findall(row.split(" | ")[-1])
        assert named, f"names no test: {row[:80]}"
        for path, name in named:
            file = ROOT / path
            assert file.is_file(), f"no such file: {path}"
            if path not in found:
                found[path] = defined_tests(file)
            assert name in found[path], f"no such test: {path}::{name}"


def test_a_line_without_a_test_or_with_a_missing_one_is_caught(tmp_path):
    """The check itself can fail: a made-up name is not found."""
    assert "test_nothing_of_the_sort" not in defined_tests(ROOT / "tests/services/api/routes/test_unsubscribe.py")
    assert not NAMED.findall("| GDPR Art. 99 | something | none yet |".split(" | ")[-1])
