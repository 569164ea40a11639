"""The desk obeys the API's role table: every desk page has a `desk_page` rule, each role gets
exactly the pages its rule gives (a 403 page otherwise, with no data), and an admin opens a page
that shows personal data only after stating a reason, which the access log records."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, select

from desk_support import csrf, make_staff, sign_in
from services.api.authz import ROUTE_RULES, desk_page
from services.api.openapi import api_routes
from services.api.pages.desk.auth import DeskUser
from shared.audit.service import record_access
from shared.models import AccessRecord, Role


def _desk_rules():
    return {key: rule for key, rule in ROUTE_RULES.items() if key[1].startswith("/desk")}


def test_every_desk_page_has_a_desk_rule(desk_client):
    pages = {(m, r.path) for r in api_routes(desk_client.app.routes) if r.path.startswith("/desk") for m in r.methods}
    assert pages == set(_desk_rules())
    for (method, path), rule in _desk_rules().items():
        assert rule.public or rule.desk, (method, path)  # never a bearer-token rule on a page


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_the_desk_pages_its_rule_gives(desk_client, engine, role):
    staff = make_staff(engine, role)
    sign_in(desk_client, staff)
    for (method, path), rule in _desk_rules().items():
        if method != "GET" or rule.public or "{" in path:
            continue
        page = desk_client.get(path + "?lang=en", follow_redirects=False)
        if role in rule.roles:
            assert page.status_code in (200, 303), (role, path, page.status_code)
            if page.status_code == 303:
                assert not page.headers["location"].startswith("/desk/signin"), (role, path)
        elif rule.personal_data and role == Role.admin:
            assert page.status_code == 403 and "State your reason" in page.text, (role, path)
        else:
            assert page.status_code == 403 and "Your role does not give you this page" in page.text, (role, path)


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_links_only_the_pages_the_role_may_open(desk_client, engine, role):
    sign_in(desk_client, make_staff(engine, role))
    nav = re.search(r'<ul class="desk-nav">(.*?)</ul>', desk_client.get("/desk/account?lang=en").text, re.S).group(1)
    linked = set(re.findall(r'href="(/desk/[\w-]+)\?', nav))
    pages = {path for (method, path), rule in _desk_rules().items()
             if method == "GET" and path.count("/") == 2 and not rule.public and path not in ("/desk", "/desk/forgot")}
    rules = _desk_rules()
    opens = {path for path in pages  # an admin opens the pages with personal data after giving a reason
             if role in rules[("GET", path)].roles or (role == Role.admin and rules[("GET", path)].personal_data)}
    assert "/desk/account" in linked and linked <= opens, (role, linked - opens)
    assert len(linked) >= 3, (role, linked)  # each role has its own work to link to


def test_an_admin_states_a_reason_before_personal_data_and_the_log_has_it(desk_client, engine, monkeypatch):
    """A page with personal data (the person pages land with their own rules): here one for the test."""
    app = desk_client.app

    @app.get("/desk/test-personal", response_class=HTMLResponse, include_in_schema=False)
    def personal(request: Request, desk: DeskUser) -> HTMLResponse:
        from shared.db import session_scope

        with session_scope() as s:
            record_access(s, actor=desk.actor, contact_ids=[424242], route="GET /desk/test-personal")
        return HTMLResponse("henkilötietoja")

    monkeypatch.setitem(ROUTE_RULES, ("GET", "/desk/test-personal"), desk_page(Role.privacy, personal_data=True))
    sales = make_staff(engine, Role.sales)
    sign_in(desk_client, sales)
    assert desk_client.get("/desk/test-personal?lang=en").status_code == 403
    desk_client.cookies.clear()

    admin = make_staff(engine, Role.admin)
    sign_in(desk_client, admin)
    form = desk_client.get("/desk/test-personal?lang=en")
    assert form.status_code == 403 and "State your reason" in form.text and "henkilötietoja" not in form.text
    short = desk_client.post("/desk/reason?lang=en", data={"csrf": csrf(form.text), "reason": "koska",
                                                           "next": "/desk/test-personal"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    done = desk_client.post("/desk/reason", data={"csrf": csrf(form.text), "reason": "Tukipyyntö 4711: tarkistus",
                                                  "next": "/desk/test-personal"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/desk/test-personal"
    assert desk_client.get("/desk/test-personal").text == "henkilötietoja"
    with Session(engine) as s:
        row = s.exec(select(AccessRecord).where(AccessRecord.route == "GET /desk/test-personal")).one()
    assert row.user_id == admin.id and row.reason == "Tukipyyntö 4711: tarkistus"


def test_an_admin_issues_a_desk_link_through_the_api(api, engine, role_tokens):
    from support import auth as bearer

    made = api.post("/v1/users", json={"name": "api-kutsu", "role": "sales", "email": "Api.Kutsu@Jetmasters.example"},
                    headers=bearer(role_tokens["admin"]))
    assert made.status_code == 201 and made.json()["email"] == "api.kutsu@jetmasters.example"
    link = api.post(f"/v1/users/{made.json()['id']}/desk-link", headers=bearer(role_tokens["admin"]))
    assert link.status_code == 201 and re.search(r"/desk/password/[\w-]{40,}$", link.json()["link"])
    assert api.get(urlsplit(link.json()["link"]).path).status_code == 200
    refused = api.post(f"/v1/users/{made.json()['id']}/desk-link", headers=bearer(role_tokens["privacy"]))
    assert refused.status_code == 403
