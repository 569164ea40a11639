"""The deployment files: valid against their linters and schemas, and in step with the code.

No Docker engine is needed: the compose file is checked against the Compose Specification
schema and for the topology the services rely on; the Dockerfile by hadolint; the example
environment file against the fields of `shared.settings.Settings`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
ENV_EXAMPLE = ROOT / "deploy" / ".env.example"
BIN = Path(sys.executable).parent

REKISTERI_SERVICES = {"migrate", "api", "worker", "beat", "notifier", "flower", "mailcatcher"}
REQUIRED_SERVICES = REKISTERI_SERVICES | {"postgres", "redis"}
NOT_FROM_OUR_IMAGE = {"postgres", "redis", "mailcatcher"}  # mailcatcher may, need not
NEEDS_SCHEMA = ("api", "worker", "beat", "notifier")
SECRET_NAME = re.compile(r"PASSWORD|SECRET", re.IGNORECASE)
INTERPOLATION = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-?+]).*)?\}$")
# Variables in .env.example that compose reads but the application does not.
COMPOSE_ONLY = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "REKISTERI_IMAGE"}


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed next to {sys.executable}")
    return str(path)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    # The safe loader resolves anchors and `<<` merge keys the way docker compose does.
    return YAML(typ="safe", pure=True).load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def _environment(service: dict[str, Any]) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the `- KEY=value` form
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {key: None if value is None else str(value) for key, value in env.items()}


def _depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):  # short form means service_started
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def _command(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


# --- (a) the compose file against the Compose Specification --------------------------------------


def test_compose_file_matches_the_compose_spec() -> None:
    result = _run(
        _tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- (b) the Dockerfile against hadolint -----------------------------------------------------------


def test_dockerfile_passes_hadolint() -> None:
    result = _run(_tool("hadolint"), "--no-color", str(DOCKERFILE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", f"hadolint findings:\n{result.stdout}"


def test_dockerfile_essentials() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    froms = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert froms and all(re.fullmatch(r"python:3\.11[\w.-]*-slim[\w.-]*", image) for image in froms)
    assert "--require-hashes" in text and "--no-deps" in text and "--no-cache-dir" in text
    assert "PYTHONDONTWRITEBYTECODE=1" in text and "PYTHONUNBUFFERED=1" in text
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    instructions = re.sub(r"\\\n", " ", text)  # join continuation lines
    healthchecks = re.findall(r"^HEALTHCHECK\b.*$", instructions, re.MULTILINE)
    assert len(healthchecks) == 1
    assert "urllib" in healthchecks[0] and "/healthz" in healthchecks[0]
    assert "curl" not in healthchecks[0] and "wget" not in healthchecks[0]
    assert re.search(r'^CMD \["rekisteri", "api"\]$', text, re.MULTILINE)


# --- (c) the compose topology ------------------------------------------------------------------------


def test_required_services_exist(services: dict[str, Any]) -> None:
    assert REQUIRED_SERVICES <= services.keys()


def test_worker_can_be_scaled(services: dict[str, Any]) -> None:
    # A fixed container_name would make `docker compose up --scale worker=N` fail.
    assert "container_name" not in services["worker"]
    assert _command(services["worker"])[:2] == ["rekisteri", "worker"]


def test_rekisteri_services_build_from_the_dockerfile(services: dict[str, Any]) -> None:
    for name, service in services.items():
        if name in NOT_FROM_OUR_IMAGE:
            continue
        build = service.get("build")
        assert isinstance(build, dict), f"{name} does not build the Rekisteri image"
        assert build.get("context") == ".", name
        assert build.get("dockerfile") == "deploy/Dockerfile", name


def test_each_service_runs_its_command(services: dict[str, Any]) -> None:
    expected = {
        "migrate": ["rekisteri", "db", "upgrade"],
        "api": ["rekisteri", "api"],
        "worker": ["rekisteri", "worker"],
        "beat": ["rekisteri", "beat"],
        "notifier": ["rekisteri", "notifier"],
        "flower": ["rekisteri", "flower"],
    }
    for name, command in expected.items():
        assert _command(services[name])[: len(command)] == command, name


def test_migrate_runs_once_before_everything_that_uses_the_schema(
    services: dict[str, Any],
) -> None:
    migrate = services["migrate"]
    assert str(migrate.get("restart")) == "no"
    assert _depends_on(migrate).get("postgres") == "service_healthy"
    for name in NEEDS_SCHEMA:
        deps = _depends_on(services[name])
        assert deps.get("migrate") == "service_completed_successfully", name
        assert deps.get("redis") == "service_healthy", name


def test_datastores_have_health_checks_and_volumes(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    postgres, redis = services["postgres"], services["redis"]
    assert str(postgres["image"]).startswith("postgres:18")
    assert "pg_isready" in " ".join(map(str, postgres["healthcheck"]["test"]))
    assert str(redis["image"]).startswith("redis:7")
    assert "ping" in " ".join(map(str, redis["healthcheck"]["test"]))
    command = " ".join(_command(redis))
    assert re.search(r"--appendonly\s+yes", command), command
    declared = set(compose.get("volumes") or {})
    for service in (postgres, redis):
        named = [str(volume).split(":", 1)[0] for volume in service.get("volumes", [])]
        assert named and set(named) <= declared, (named, declared)


def test_long_running_services_have_health_checks(services: dict[str, Any]) -> None:
    for name in ("postgres", "redis", "api", "worker", "flower", "mailcatcher"):
        healthcheck = services[name].get("healthcheck") or {}
        assert healthcheck.get("test") and not healthcheck.get("disable"), name
    assert "/healthz" in " ".join(map(str, services["api"]["healthcheck"]["test"]))


def test_published_ports(services: dict[str, Any]) -> None:
    def container_ports(service: dict[str, Any]) -> set[str]:
        return {str(port).rsplit(":", 1)[-1] for port in service.get("ports", [])}

    assert "8000" in container_ports(services["api"])
    assert "5555" in container_ports(services["flower"])
    for name in ("postgres", "redis"):
        assert not services[name].get("ports"), f"{name} must not be published"


def test_rekisteri_services_share_the_production_environment(services: dict[str, Any]) -> None:
    for name in REKISTERI_SERVICES:
        service = services[name]
        env = _environment(service)
        assert env.get("REKISTERI_ENVIRONMENT") == "production", name
        assert str(env.get("REKISTERI_DATABASE_URL", "")).startswith("postgresql://"), name
        assert str(env.get("REKISTERI_REDIS_URL", "")).startswith("redis://"), name
        assert env.get("REKISTERI_LOG_FORMAT") == "json", name
        env_files = service.get("env_file")
        env_files = env_files if isinstance(env_files, list) else [env_files]
        paths = [item["path"] if isinstance(item, dict) else item for item in env_files]
        assert "deploy/.env" in paths, name
    # The notifier sends to the mail catcher unless told otherwise.
    smtp_host = _environment(services["notifier"]).get("REKISTERI_SMTP_HOST") or ""
    assert re.fullmatch(r"\$\{REKISTERI_SMTP_HOST:?-mailcatcher\}", smtp_host), smtp_host


def _all_environments(compose: dict[str, Any]) -> list[tuple[str, dict[str, str | None]]]:
    found = [(name, _environment(service)) for name, service in compose["services"].items()]
    for key, value in compose.items():  # x- extension blocks, anchors included
        if key.startswith("x-") and isinstance(value, dict):
            found.append((key, _environment({"environment": value.get("environment", value)})))
    return found


def test_no_literal_secrets_in_compose(compose: dict[str, Any]) -> None:
    for where, env in _all_environments(compose):
        for key, value in env.items():
            if SECRET_NAME.search(key):
                assert value is not None and INTERPOLATION.match(value), (
                    f"{where}: {key} must come from the environment as ${{...}}, got {value!r}"
                )
            # Credentials inside URLs must be interpolated as well.
            for password in re.findall(r"://[^/\s:@]*:([^@\s]*)@", value or ""):
                assert INTERPOLATION.match(password), f"{where}: {key} embeds a password"


def test_required_secrets_fail_loudly_when_missing(compose: dict[str, Any]) -> None:
    for where, env in _all_environments(compose):
        for key in ("REKISTERI_SECRET_KEY", "REKISTERI_FLOWER_PASSWORD", "POSTGRES_PASSWORD"):
            if key in env:
                assert re.match(r"^\$\{\w+:\?", env[key] or ""), f"{where}: {key}"


# --- (d) deploy/.env.example in step with shared.settings.Settings ---------------------------------

ENV_LINE = re.compile(r"^\s*(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def _env_example() -> dict[str, list[str]]:
    """Every KEY=value line, commented out or not: name -> the values it appears with."""
    found: dict[str, list[str]] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line)
        if match:
            found.setdefault(match.group(1), []).append(match.group(2).strip())
    return found


def test_env_example_documents_every_setting() -> None:
    documented = _env_example()
    expected = {f"REKISTERI_{name.upper()}" for name in Settings.model_fields}
    missing = sorted(expected - documented.keys())
    assert not missing, f"deploy/.env.example lacks: {', '.join(missing)}"


def test_env_example_documents_nothing_stale() -> None:
    settings = {f"REKISTERI_{name.upper()}" for name in Settings.model_fields}
    stale = sorted(set(_env_example()) - settings - COMPOSE_ONLY)
    assert not stale, f"deploy/.env.example names unknown settings: {', '.join(stale)}"


def test_env_example_documents_every_compose_variable() -> None:
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE_FILE.read_text(encoding="utf-8")))
    missing = sorted(used - _env_example().keys())
    assert not missing, f"docker-compose.yml uses undocumented variables: {', '.join(missing)}"


def test_env_example_holds_no_secret_values() -> None:
    for key, values in _env_example().items():
        for value in values:
            if SECRET_NAME.search(key):
                assert value == "", f"{key} must be empty in the example, got {value!r}"
            for password in re.findall(r"://[^/\s:@]*:([^@\s]*)@", value):
                assert re.fullmatch(r"<[^>]*>|\$\{[^}]*\}", password), f"{key} embeds a password"


def test_env_example_lines_are_comments_or_assignments() -> None:
    # docker compose and python-dotenv both accept these; `export` or spaced `=` would differ.
    for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", stripped), f"line {number}: {line!r}"
