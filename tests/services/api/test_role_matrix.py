"""Every route has a rule in the role matrix, and no role gets more (or less) than it says.
Also, on every protected route: no token, an expired, revoked, unknown or malformed token, the
token of a deactivated user and a token sent anywhere but the Authorization header get 401; an
admin's reason that is too short gets 403; and a refusal says why and nothing else."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session

from support import auth
from services.api.authz import ACCESS_REASON_HEADER, ROUTE_RULES
from services.api.openapi import api_routes
from shared.auth.service import create_user, issue_token, revoke_token
from shared.models import Role

UUID_PARAMS = {"job_id", "email_id"}


def operations(app) -> list[tuple[str, str]]:
    return sorted({(method, route.path) for route in api_routes(app.routes) for method in route.methods})


def concrete(path: str) -> str:
    """Ids of nothing: the walk must not change real rows (a revoked token would hurt)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(uuid.uuid4()) if m.group(1) in UUID_PARAMS else "2000000000", path)


@pytest.fixture(scope="module")
def app(services_env):
    from services.api.main import create_app

    return create_app()


def test_every_route_has_a_rule_and_every_rule_a_route(app):
    ops = set(operations(app))
    assert ops - set(ROUTE_RULES) == set(), "routes without a rule in services/api/authz.py"
    assert set(ROUTE_RULES) - ops == set(), "rules for routes that do not exist (a typo?)"


REFUSALS = {"a valid bearer token is required", "your role may not do this"}


def _call(api, method: str, path: str, headers: dict, **kwargs) -> int:
    """The status; a 401/403 must carry nothing but the reason (no data, no echo of the input)."""
    body = {} if method in ("POST", "PATCH", "PUT") else None
    response = api.request(method, concrete(path), json=body, headers=headers, **kwargs)
    if response.status_code in (401, 403):
        detail = response.json()
        assert list(detail) == ["detail"] and (detail["detail"] in REFUSALS
                                               or detail["detail"].startswith("admins open personal data only")), \
            (method, path, response.text[:200])
    return response.status_code


def test_each_role_gets_exactly_what_the_matrix_gives(api, app, role_tokens):
    problems = []
    for method, path in operations(app):
        rule = ROUTE_RULES[(method, path)]
        if rule.public or rule.desk:  # desk pages: signed in with a session (tests/services/api/pages/desk)
            continue
        for role in Role:
            status = _call(api, method, path, auth(role_tokens[role.value]))
            allowed = role in rule.roles
            if allowed and status in (401, 403):
                problems.append(f"{role.value} refused {method} {path} ({status})")
            if not allowed and status != 403:
                problems.append(f"{role.value} not refused {method} {path} ({status})")
        if rule.personal_data and Role.admin not in rule.roles:
            headers = auth(role_tokens["admin"], **{ACCESS_REASON_HEADER: "audit of ticket 1234 by the maintainer"})
            if _call(api, method, path, headers) in (401, 403):
                problems.append(f"admin with a reason refused {method} {path}")
            short = auth(role_tokens["admin"], **{ACCESS_REASON_HEADER: "   because  "})  # < 10 characters
            if _call(api, method, path, short) != 403:
                problems.append(f"admin with a too-short reason not refused {method} {path}")
    assert problems == []


@pytest.fixture(scope="module")
def dead_tokens(engine) -> dict[str, str]:
    with Session(engine) as s:
        name = f"dead-{uuid.uuid4().hex[:6]}"
        create_user(s, name=name, role=Role.admin)
        expired = issue_token(s, user_name=name, ttl=timedelta(seconds=-1)).token
        revoked = issue_token(s, user_name=name)
        revoke_token(s, token_id=revoked.record.id)
        gone = f"gone-{uuid.uuid4().hex[:6]}"
        user = create_user(s, name=gone, role=Role.admin)
        deactivated = issue_token(s, user_name=gone).token
        user.active = False
        s.add(user)
        s.commit()
    return {"expired": expired, "revoked": revoked.token, "deactivated": deactivated, "unknown": "rk_" + "x" * 43,
            "malformed": "Basic abc", "empty": ""}


def test_no_expired_or_revoked_token_gets_anything(api, app, dead_tokens, role_tokens):
    admin_token = role_tokens["admin"]
    problems = []
    for method, path in operations(app):
        if ROUTE_RULES[(method, path)].public or ROUTE_RULES[(method, path)].desk:  # desk: the session cookie
            continue
        if _call(api, method, path, {}) != 401:
            problems.append(f"no token: {method} {path}")
        for kind, token in dead_tokens.items():
            if _call(api, method, path, auth(token)) != 401:
                problems.append(f"{kind} token: {method} {path}")
        # A good token anywhere but the Authorization header is no token.
        if _call(api, method, path, {"X-Api-Key": admin_token, "Cookie": f"token={admin_token}"},
                 params={"access_token": admin_token, "token": admin_token}) != 401:
            problems.append(f"token outside the header: {method} {path}")
    assert problems == []


# -- the rules beside the matrix (issue 13) --------------------------------------------------------

TRANSFER_ROUTES = [("GET", "/v1/transfers"), ("POST", "/v1/transfers"), ("GET", "/v1/transfers/{transfer_id}")]


def test_transfer_routes_show_personal_data_and_want_an_admins_reason(api, role_tokens):
    for key in TRANSFER_ROUTES:
        rule = ROUTE_RULES[key]
        assert rule.personal_data and Role.admin not in rule.roles and Role.privacy in rule.roles, key
    refused = api.post("/v1/transfers", json={"partner_id": 2_000_000_000, "purpose": "billing"},
                       headers=auth(role_tokens["admin"]))
    assert refused.status_code == 403 and refused.json()["detail"].startswith("admins open personal data only")
    with_reason = api.post("/v1/transfers", json={"partner_id": 2_000_000_000, "purpose": "billing"},
                           headers=auth(role_tokens["admin"], **{ACCESS_REASON_HEADER: "ticket 99: audit of partners"}))
    assert with_reason.status_code == 422  # past the role check: the partner does not exist


def test_nobody_changes_their_own_role_and_the_last_admin_stays(api, engine):
    from sqlalchemy import update

    from shared.audit.service import Actor
    from shared.auth.service import LastAdmin, update_user
    from shared.models import User

    with Session(engine) as s:
        me = create_user(s, name=f"self-{uuid.uuid4().hex[:6]}", role=Role.admin)
        token = issue_token(s, user_name=me.name).token
        s.commit()
        my_id = me.id
    for change in ({"role": "privacy"}, {"active": False}):
        refused = api.patch(f"/v1/users/{my_id}", json=change, headers=auth(token))
        assert refused.status_code == 403, change
    with Session(engine) as s, s.begin():  # rolled back: every other admin inactive, then demote the last
        s.execute(update(User).where(User.role == Role.admin, User.id != my_id).values(active=False))
        with pytest.raises(LastAdmin):
            update_user(s, user=s.get(User, my_id), role=Role.sales, actor=Actor(label="operator:cli"))
        s.rollback()
