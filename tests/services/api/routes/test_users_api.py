"""Admins manage users and tokens through the API (tokens for service accounts); a token is shown
once and works at once."""

import uuid

from support import auth


def test_user_and_token_lifecycle(api, role_tokens):
    admin = auth(role_tokens["admin"])
    name = f"maija-{uuid.uuid4().hex[:6]}"
    created = api.post("/v1/users", json={"name": name, "role": "marketing", "service_account": True}, headers=admin)
    assert created.status_code == 201
    user_id = created.json()["id"]
    assert api.post("/v1/users", json={"name": name, "role": "sales"}, headers=admin).status_code == 409
    issued = api.post(f"/v1/users/{user_id}/tokens", json={"days": 30}, headers=admin)
    assert issued.status_code == 201
    token = issued.json()["token"]
    assert api.get("/v1/me", headers=auth(token)).json()["name"] == name
    listed = api.get(f"/v1/users/{user_id}/tokens", headers=admin).json()
    assert listed[0]["expires_at"] is not None and "token" not in listed[0] and token not in str(listed)
    assert api.patch(f"/v1/users/{user_id}", json={"active": False}, headers=admin).json()["active"] is False
    assert api.get("/v1/me", headers=auth(token)).status_code == 401
    api.patch(f"/v1/users/{user_id}", json={"active": True}, headers=admin)
    assert api.delete(f"/v1/tokens/{issued.json()['id']}", headers=admin).status_code == 204
    assert api.get("/v1/me", headers=auth(token)).status_code == 401
    assert api.delete("/v1/tokens/2000000000", headers=admin).status_code == 404


def test_user_input_is_checked(api, role_tokens):
    admin = auth(role_tokens["admin"])
    bad = api.post("/v1/users", json={"name": "x y", "role": "boss"}, headers=admin)
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["detail"]} == {("body", "name"), ("body", "role")}
