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
