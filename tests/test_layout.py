"""The dependencies the layout promises: the outbox does not know campaigns (campaigns use the
outbox, not the other way round), composing a message does not know about signing it (the signer
wraps finished bytes), and the notifier's parts do not share one object's state."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_outbox_does_not_import_campaigns():
    for path in (ROOT / "shared" / "outbox").rglob("*.py"):
        assert not {m for m in imports(path) if m.startswith("shared.campaigns")}, path.name


def test_composing_does_not_import_signing_and_db_takes_no_campaign_constant():
    notifier = ROOT / "services" / "notifier"
    assert "services.notifier.signing" not in imports(notifier / "compose.py")
    assert not {m for m in imports(notifier / "db.py") if m.startswith("shared.campaigns")}


def test_the_notifier_is_built_from_parts_not_mixins():
    tree = ast.parse((ROOT / "services" / "notifier" / "pipeline.py").read_text())
    notifier = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Notifier")
    assert notifier.bases == [], "Notifier composes its parts; it inherits none"


# The test tree mirrors the source tree: tests/shared/campaigns/ tests shared/campaigns/, and so on.
# Three folders are suites across the tree rather than mirrors of one part of it.
SUITES = {"e2e", "hostile", "faults"}


def test_every_test_folder_mirrors_a_source_folder_or_is_a_suite():
    tests = ROOT / "tests"
    stray = []
    for folder in sorted(p for p in tests.rglob("*") if p.is_dir() and p.name != "__pycache__"):
        relative = folder.relative_to(tests)
        if relative.parts[0] in SUITES:
            continue
        if not (ROOT / relative).is_dir():
            stray.append(str(relative))
    assert not stray, f"test folders with no source folder of the same path: {stray}"


def test_test_modules_have_unique_names_and_no_package_files():
    tests = ROOT / "tests"
    modules = [p for p in tests.rglob("test_*.py")]
    names = [p.name for p in modules]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
    assert not list(tests.rglob("__init__.py")), "tests are found by path; no __init__.py"


def test_no_test_module_imports_another_or_edits_the_import_path():
    """Helpers shared by several tests live in plain modules beside conftest.py (support,
    factories, notifier_harness, ...), never in a test module that others import."""
    for path in (ROOT / "tests").rglob("*.py"):
        tree = ast.parse(path.read_text())
        edits = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "path"
                 and isinstance(n.value, ast.Name) and n.value.id == "sys"]
        assert not edits, f"{path.name} edits sys.path"
        for module in imports(path):
            assert not module.split(".")[-1].startswith("test_"), f"{path.name} imports {module}"
