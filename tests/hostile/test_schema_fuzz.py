"""Schemathesis against the app's own OpenAPI, in-process: every operation, a fixed number of
derandomized examples (positive and negative), about half as a role the matrix allows (an admin
with a stated reason where personal data is shown), the rest as anybody (every role and nobody).
No 5xx; every answer matches what the schema says of its status code, content type and body;
invalid requests are refused; no 422 repeats the value that was sent.

Runs on a database of its own (the fuzzer creates, changes and deletes rows at will); the
tokens it uses can neither be revoked nor deactivated by the fuzzer (their ids are pinned to
rows that do not exist on the operations that could)."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from shared.db import get_engine
from shared.settings import get_settings

EXAMPLES = int(os.environ.get("REKISTERI_FUZZ_EXAMPLES", "6"))  # CI: ~1-1.5 min on 2 cores
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
# The fuzzer must not lock itself out: these ids never exist.
PINNED = {"user_id": 2_000_000_000, "token_id": 2_000_000_000}
ROLES = ("admin", "sales", "marketing", "privacy", None)
ADMIN_WITH_REASON = "admin+reason"


@pytest.fixture(scope="module")
def fuzz_app(pg_server, redis_url) -> Iterator:
    patch = pytest.MonkeyPatch()
    patch.setenv("REKISTERI_DATABASE_URL", pg_server.create("rekisteri_fuzz"))
    patch.setenv("REKISTERI_REDIS_URL", redis_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    from services.api.main import create_app

    yield create_app()
    patch.undo()
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture(scope="module")
def fuzz_tokens(fuzz_app) -> dict[str | None, dict[str, str]]:
    from shared.auth.service import create_user, issue_token
    from shared.models import Role

    headers: dict[str | None, dict[str, str]] = {None: {}}
    with Session(get_engine()) as s:
        for role in Role:
            name = f"fuzz-{role.value}-{uuid.uuid4().hex[:6]}"
            create_user(s, name=name, role=role)
            headers[role.value] = {"Authorization": f"Bearer {issue_token(s, user_name=name).token}"}
        s.commit()
    headers[ADMIN_WITH_REASON] = {**headers["admin"], "X-Access-Reason": "fuzzing the API in its test suite"}
    return headers


@pytest.fixture(scope="module")
def schema(fuzz_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _titles(exc: BaseException) -> str:
    found = getattr(exc, "exceptions", None) or [exc]
    return "; ".join(sorted({getattr(e, "title", None) or type(e).__name__ for e in found}))


def _roles(operation) -> tuple[list[str | None], list[str | None]]:
    """Roles the matrix gives the operation, and those plus every other (answered 401/403)."""
    from services.api.authz import ROUTE_RULES

    rule = ROUTE_RULES[(operation.method.upper(), operation.path)]
    allowed = [None] if rule.public else sorted(role.value for role in rule.roles)
    if rule.personal_data and "admin" not in allowed:
        allowed.append(ADMIN_WITH_REASON)  # admins open personal data with a stated reason
    return allowed, allowed + [role for role in ROLES if role not in allowed]


def _fuzz(operation, mode: GenerationMode, tokens: dict[str | None, dict[str, str]], examples: int,
          seen: Counter) -> list[str]:
    pinned = {name: value for name, value in PINNED.items() if f"{{{name}}}" in operation.path}
    allowed, everyone = _roles(operation)
    # Most examples as a role that may call the operation; the rest as anybody.
    who = st.one_of(st.sampled_from(allowed), st.sampled_from(everyone))
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=pinned or None), role=who)
    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case, role) -> None:
        headers = tokens[role]
        response = case.call(headers=headers)
        code = response.status_code
        seen[str(code) if code in (401, 403) else f"{code // 100}xx"] += 1
        if code == 422 and isinstance(detail := response.json().get("detail"), list):
            echoed = [e for e in detail if not set(e) <= {"loc", "msg", "type"}]  # no "input": never the value
            if echoed:
                failures.append(f"{operation.label} as {role or 'anonymous'} -> 422 echoes {sorted(echoed[0])}")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 (one report for every operation)
            failures.append(f"{operation.label} as {role or 'anonymous'} -> {response.status_code}: {_titles(exc)}")

    try:
        run()
    except Unsatisfiable:  # nothing to get wrong (no parameters, no body, no token): no negative case
        assert mode is GenerationMode.NEGATIVE
    return failures


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_every_operation_survives_the_fuzzer(schema, fuzz_tokens, mode):
    operations = _operations(schema)
    assert len(operations) > 100, "the schema lost its operations"
    examples = EXAMPLES if mode is GenerationMode.POSITIVE else max(1, EXAMPLES // 2)
    failures: list[str] = []
    seen: Counter = Counter()
    for operation in operations:
        failures += _fuzz(operation, mode, fuzz_tokens, examples, seen)
    if failures:
        pytest.fail("\n".join(sorted(set(failures))), pytrace=False)
    # The fuzzer was neither locked out nor let in everywhere: real answers of every kind came back.
    assert seen["401"] and seen["403"] and seen["4xx"], seen
    if mode is GenerationMode.POSITIVE:
        assert seen["2xx"] > len(operations), seen
