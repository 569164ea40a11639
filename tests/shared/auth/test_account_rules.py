"""The rules on accounts (issue 13, item 2): nobody changes their own role or deactivates
themselves; the last active admin stays; a staff member issues tokens only for themselves or a
service account; every user, token and site-key change is a history row naming who did it; a
token records who issued it. The command line (the machine's operator) still issues the first
admin's token."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from support import auth
from shared.audit.service import Actor
from shared.auth.service import LastAdmin, NotAllowed, create_user, issue_token, update_user
from shared.models import ApiToken, ChangeRecord, Role, User


def _admin(engine, name: str | None = None) -> tuple[int, str]:
    """A committed admin of its own and its token (issued by the operator)."""
    name = name or f"admin-{uuid.uuid4().hex[:6]}"
    with Session(engine) as s:
        user = create_user(s, name=name, role=Role.admin)
        token = issue_token(s, user_name=name).token
        s.commit()
        return user.id, token


def _history(engine, entity: str, entity_id: int) -> list[ChangeRecord]:
    with Session(engine) as s:
        return list(s.exec(select(ChangeRecord).where(ChangeRecord.entity == entity,
                                                      ChangeRecord.entity_id == entity_id)
                           .order_by(ChangeRecord.id)).all())


def test_nobody_changes_their_own_role_or_deactivates_themselves(api, engine):
    admin_id, token = _admin(engine)
    for change in ({"role": "privacy"}, {"active": False}, {"role": "sales", "active": False}):
        refused = api.patch(f"/v1/users/{admin_id}", json=change, headers=auth(token))
        assert refused.status_code == 403 and "own role" in refused.json()["detail"], change
    assert api.get("/v1/me", headers=auth(token)).json()["role"] == "admin"
    assert api.patch(f"/v1/users/{admin_id}", json={"role": "admin"}, headers=auth(token)).status_code == 200


def test_the_last_active_admin_stays_an_active_admin(session):
    session.execute(update(User).where(User.role == Role.admin).values(active=False))
    last = create_user(session, name=f"last-{uuid.uuid4().hex[:6]}", role=Role.admin)
    other = create_user(session, name=f"other-{uuid.uuid4().hex[:6]}", role=Role.admin)
    robot = create_user(session, name=f"robot-{uuid.uuid4().hex[:6]}", role=Role.admin, service_account=True)
    update_user(session, user=other, role=Role.sales, actor=Actor.user(last.id))  # one admin left: fine
    for change in ({"role": Role.privacy}, {"active": False}):
        with pytest.raises(LastAdmin):  # a service account does not count: it cannot sign in to the desk
            update_user(session, user=last, actor=Actor.user(robot.id), **change)
    assert (last.role, last.active) == (Role.admin, True)
    update_user(session, user=other, role=Role.admin, actor=Actor.user(last.id))
    update_user(session, user=last, active=False, actor=Actor.user(other.id))  # now there is another


def test_the_last_admin_rule_answers_409_over_the_api(api, engine):
    """Through the API too: with every other admin deactivated, demoting the last one is refused."""
    first_id, first = _admin(engine)
    second_id, second = _admin(engine)
    with Session(engine) as s:
        others = s.exec(select(User.id).where(User.role == Role.admin, User.active.is_(True),
                                              User.id.not_in([first_id, second_id]))).all()
        s.execute(update(User).where(User.id.in_(others)).values(active=False))
        s.commit()
    try:
        assert api.patch(f"/v1/users/{first_id}", json={"active": False}, headers=auth(second)).status_code == 200
        refused = api.patch(f"/v1/users/{second_id}", json={"role": "sales"}, headers=auth(first))
        assert refused.status_code == 401  # the deactivated admin's token no longer works
        with Session(engine) as s:
            third = create_user(s, name=f"svc-{uuid.uuid4().hex[:6]}", role=Role.admin, service_account=True)
            robot = issue_token(s, user_name=third.name).token
            s.commit()
        refused = api.patch(f"/v1/users/{second_id}", json={"role": "sales"}, headers=auth(robot))
        assert refused.status_code == 409 and "last active admin" in refused.json()["detail"]
    finally:
        with Session(engine) as s:
            s.execute(update(User).where(User.id.in_([*others, first_id])).values(active=True))
            s.commit()


def test_tokens_only_for_yourself_or_a_service_account(api, engine, role_tokens):
    admin_id, token = _admin(engine)
    privacy_id = api.get("/v1/me", headers=auth(role_tokens["privacy"])).json()["id"]
    refused = api.post(f"/v1/users/{privacy_id}/tokens", json={}, headers=auth(token))
    assert refused.status_code == 403 and "service account" in refused.json()["detail"]
    own = api.post(f"/v1/users/{admin_id}/tokens", json={}, headers=auth(token))
    assert own.status_code == 201 and own.json()["issued_by"] == admin_id
    robot = api.post("/v1/users", json={"name": f"crm-sync-{uuid.uuid4().hex[:6]}", "role": "sales",
                                        "service_account": True}, headers=auth(token))
    assert robot.status_code == 201 and robot.json()["service_account"] is True
    issued = api.post(f"/v1/users/{robot.json()['id']}/tokens", json={"days": 90}, headers=auth(token))
    assert issued.status_code == 201 and issued.json()["issued_by"] == admin_id
    assert api.get("/v1/me", headers=auth(issued.json()["token"])).json()["role"] == "sales"
    history = _history(engine, "api_tokens", issued.json()["id"])
    assert {(h.action, h.field, h.actor) for h in history} >= {("create", "user_id", f"user:{admin_id}")}
    assert issued.json()["token"] not in str([h.model_dump() for h in history])


def test_the_command_line_issues_the_first_admins_token(session):
    """`rekisteri tokens create --user anna` right after `users create`: the operator may."""
    anna = create_user(session, name=f"anna-{uuid.uuid4().hex[:6]}", role=Role.admin)
    issued = issue_token(session, user_name=anna.name)
    assert issued.record.issued_by is None
    rows = session.exec(select(ChangeRecord).where(ChangeRecord.entity == "api_tokens",
                                                   ChangeRecord.entity_id == issued.record.id)).all()
    assert {r.actor for r in rows} == {"operator:cli"}
    with pytest.raises(NotAllowed):  # a person acting for another through the same function
        issue_token(session, user_name=anna.name, actor=Actor.user(anna.id + 100_000))


def test_every_user_token_and_site_key_change_is_a_history_row(api, engine):
    admin_id, token = _admin(engine)
    me = f"user:{admin_id}"
    created = api.post("/v1/users", json={"name": f"maija-{uuid.uuid4().hex[:6]}", "role": "marketing"},
                       headers=auth(token)).json()
    api.patch(f"/v1/users/{created['id']}", json={"role": "privacy"}, headers=auth(token))
    api.patch(f"/v1/users/{created['id']}", json={"active": False}, headers=auth(token))
    rows = [(h.action, h.field, h.old_value, h.new_value, h.actor) for h in _history(engine, "users", created["id"])]
    assert ("create", "role", None, "marketing", me) in rows
    assert ("update", "role", "marketing", "privacy", me) in rows
    assert ("update", "active", "True", "False", me) in rows
    own = api.post(f"/v1/users/{admin_id}/tokens", json={}, headers=auth(token)).json()
    assert api.delete(f"/v1/tokens/{own['id']}", headers=auth(token)).status_code == 204
    assert ("revoke", "revoked_at", me) in {(h.action, h.field, h.actor) for h in _history(engine, "api_tokens",
                                                                                          own["id"])}
    key = api.post("/v1/site-keys", json={"site": "www.jetmasters.fi"}, headers=auth(token)).json()
    assert api.delete(f"/v1/site-keys/{key['id']}", headers=auth(token)).status_code == 204
    keyed = {(h.action, h.field, h.actor) for h in _history(engine, "site_keys", key["id"])}
    assert keyed == {("create", "site", me), ("revoke", "revoked_at", me)}
    with Session(engine) as s:
        assert s.get(ApiToken, own["id"]).issued_by == admin_id
    shown = api.get(f"/v1/users/{admin_id}/history", headers=auth(token)).json()  # the admin's own account
    assert {(h["entity"], h["action"], h["field"]) for h in shown} >= {("users", "create", "role"),
                                                                        ("api_tokens", "create", "user_id"),
                                                                        ("api_tokens", "revoke", "revoked_at")}
    assert api.get(f"/v1/users/{created['id']}/history", headers=auth(token)).json()[0]["field"] == "active"


def test_the_readme_first_steps_and_a_service_account_on_the_command_line(services_env):
    """`rekisteri users create --name anna --role admin`, then `rekisteri tokens create --user anna`;
    and `users create --service-account` for an integration."""
    from typer.testing import CliRunner

    from shared.cli.main import app

    anna, robot = f"anna-{uuid.uuid4().hex[:6]}", f"crm-{uuid.uuid4().hex[:6]}"
    runner = CliRunner()
    assert runner.invoke(app, ["users", "create", "--name", anna, "--role", "admin"]).exit_code == 0
    issued = runner.invoke(app, ["tokens", "create", "--user", anna])
    assert issued.exit_code == 0 and issued.output.strip().startswith("rk_")
    made = runner.invoke(app, ["users", "create", "--name", robot, "--role", "sales", "--service-account"])
    assert made.exit_code == 0, made.output
    from shared.db import session_scope

    with session_scope() as s:
        assert s.exec(select(User.service_account).where(User.name == robot)).one() is True
