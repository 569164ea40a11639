"""The README is where a user looks: it must show the test command CI runs and every setting."""

from pathlib import Path

from shared.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci[-1] == "make test"
    assert "make test" in readme and "make up" in readme


def test_every_setting_is_documented():
    readme = (ROOT / "README.md").read_text()
    missing = [f"REKISTERI_{name.upper()}" for name in Settings.model_fields
               if f"REKISTERI_{name.upper()}" not in readme]
    assert missing == []


def test_shared_never_imports_services():
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "shared").rglob("*.py")
                 if any(line.lstrip().startswith(("import services", "from services"))
                        for line in path.read_text().splitlines())]
    assert offenders == []


def test_services_never_import_each_other():
    offenders = []
    for service in ("api", "worker", "notifier"):
        for path in (ROOT / "services" / service).rglob("*.py"):
            for line in path.read_text().splitlines():
                stripped = line.lstrip()
                for other in {"api", "worker", "notifier"} - {service}:
                    if stripped.startswith((f"import services.{other}", f"from services.{other}")):
                        offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert offenders == []
