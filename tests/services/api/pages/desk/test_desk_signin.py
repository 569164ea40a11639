"""Signing in to the desk through its pages on real PostgreSQL: the invitation link, passwords
checked, the cookie's flags, the same answer for a wrong password and an unknown account, the
limits, sign-out, deactivation, timeouts, CSRF, the second factor, forgotten passwords."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import Session, select

from desk_support import PASSWORD, csrf, make_staff, post_form, sign_in
from shared.auth import desk as auth
from shared.auth.service import create_user
from shared.models import DeskSession, EmailMessage, Role, SigninFailure, User, utcnow
from shared.settings import get_settings
from support import auth as bearer


def _link_token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_invitation_sets_a_checked_password_and_the_user_signs_in(desk_client, engine):
    with Session(engine) as s:
        user = create_user(s, name="kutsuttu-1", role=Role.privacy, email="Kutsuttu.Yksi@Jetmasters.example")
        link = auth.issue_link(s, user_id=user.id)
        s.commit()
    assert link.url.startswith(get_settings().public_base_url) and "/desk/password/" in link.url
    assert link.expires_at - utcnow() > timedelta(hours=23)
    path = "/desk/password/" + _link_token(link.url)
    form = desk_client.get(path + "?lang=fi")
    assert form.status_code == 200 and "kutsuttu.yksi@jetmasters.example" in form.text
    short = post_form(desk_client, path, {"password": "lyhyt", "password_again": "lyhyt"})
    assert short.status_code == 422 and "vähintään 12 merkkiä" in short.text and 'id="password-error"' in short.text
    common = post_form(desk_client, path + "?lang=en", {"password": "password1234", "password_again": "password1234"})
    assert common.status_code == 422 and "too common or easy to guess" in common.text
    mismatch = post_form(desk_client, path + "?lang=en", {"password": PASSWORD, "password_again": PASSWORD + "x"})
    assert mismatch.status_code == 422 and 'id="password_again-error"' in mismatch.text
    done = post_form(desk_client, path + "?lang=en", {"password": PASSWORD, "password_again": PASSWORD},
                            follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/desk/signin?done=1&lang=en"
    assert desk_client.get(path).status_code == 410  # one use
    with Session(engine) as s:
        stored = s.exec(select(User).where(User.name == "kutsuttu-1")).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored

    signed = post_form(desk_client, "/desk/signin", {"email": "KUTSUTTU.yksi@jetmasters.example ", "password": PASSWORD,
                                                    "next": "/desk/account"}, follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"] == "/desk/account"
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("__Host-rekisteri_desk=") and "HttpOnly" in cookie and "Secure" in cookie
    assert "SameSite=strict" in cookie.replace("Strict", "strict") and "Path=/" in cookie and "Domain" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    with Session(engine) as s:
        row = s.exec(select(DeskSession).join(User).where(User.name == "kutsuttu-1")).one()
    assert token not in row.token_hash and len(row.token_hash) == 64  # only the hash is stored
    page = desk_client.get("/desk/account?lang=en")
    assert page.status_code == 200 and "kutsuttu-1" in page.text and "this browser" in page.text
    assert page.headers["cache-control"] == "no-store" and "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(desk_client, engine):
    staff = make_staff(engine, Role.sales)
    wrong = post_form(desk_client, "/desk/signin?lang=en", {"email": staff.email, "password": "väärä-salasana-123"})
    unknown = post_form(desk_client, "/desk/signin?lang=en", {"email": "ei-ole@jetmasters.example",
                                                             "password": "väärä-salasana-123"})
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda html: re.sub(r'value="[^"]*@jetmasters.example"', "", html)  # noqa: E731  the address typed
    assert strip(wrong.text) == strip(unknown.text)
    assert "The email address or the password is not right." in wrong.text and "set-cookie" not in wrong.headers


def test_failed_attempts_are_limited_per_account_and_per_client(desk_client, engine, monkeypatch):
    staff = make_staff(engine, Role.marketing)
    for _ in range(get_settings().desk_signin_failures_per_account):
        assert post_form(desk_client, "/desk/signin", {"email": staff.email, "password": "x" * 12}).status_code == 401
    limited = post_form(desk_client, "/desk/signin?lang=en", {"email": staff.email, "password": staff.password})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 60
    assert "Too many failed attempts" in limited.text  # even the right password waits
    # an unknown address is limited the same way (the answer does not tell whether it exists)
    for _ in range(get_settings().desk_signin_failures_per_account):
        post_form(desk_client, "/desk/signin", {"email": "nobody@jetmasters.example", "password": "x" * 12})
    assert post_form(desk_client, "/desk/signin", {"email": "nobody@jetmasters.example",
                                                  "password": "x" * 12}).status_code == 429
    # per client: many addresses from one client
    monkeypatch.setenv("REKISTERI_DESK_SIGNIN_FAILURES_PER_CLIENT", "3")
    get_settings.cache_clear()
    other = make_staff(engine, Role.sales)
    with Session(engine) as s:  # earlier failures of this client (the test client's address) are not this test's
        s.exec(SigninFailure.__table__.delete())
        s.commit()
    for n in range(3):
        post_form(desk_client, "/desk/signin", {"email": f"kokeilu{n}@jetmasters.example", "password": "x" * 12})
    assert post_form(desk_client, "/desk/signin", {"email": other.email, "password": other.password}).status_code == 429
    with Session(engine) as s:
        keys = s.exec(select(SigninFailure.key)).all()
    assert all(len(k) == 64 and "@" not in k for k in keys)  # hashes, no addresses stored


def test_service_accounts_never_sign_in_and_get_no_link(desk_client, engine):
    with Session(engine) as s:
        robot = create_user(s, name="robotti-1", role=Role.sales, service_account=True)
        robot.email = "robotti@jetmasters.example"  # even with an address and a password
        robot.password_hash = auth.hash_password(PASSWORD)
        s.add(robot)
        s.commit()
        with pytest.raises(auth.NoDeskAccess):
            auth.issue_link(s, user_id=robot.id)
    assert post_form(desk_client, "/desk/signin", {"email": "robotti@jetmasters.example",
                                                  "password": PASSWORD}).status_code == 401


def test_sign_out_ends_the_session(desk_client, engine):
    staff = make_staff(engine, Role.privacy)
    page = sign_in(desk_client, staff)
    token = desk_client.cookies.get("__Host-rekisteri_desk")
    out = desk_client.post("/desk/signout", data={"csrf": csrf(page.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"].startswith("/desk/signin")
    desk_client.cookies.set("__Host-rekisteri_desk", token)  # the old cookie, replayed
    again = desk_client.get("/desk/account", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/desk/signin?next=%2Fdesk%2Faccount")


def test_deactivating_a_user_ends_all_their_sessions(desk_client, api, engine, role_tokens):
    staff = make_staff(engine, Role.sales)
    sign_in(desk_client, staff)
    with Session(engine) as s:
        s.add(DeskSession(user_id=staff.id, token_hash="f" * 64, expires_at=utcnow() + timedelta(hours=1)))
        s.commit()
    off = api.patch(f"/v1/users/{staff.id}", json={"active": False}, headers=bearer(role_tokens["admin"]))
    assert off.status_code == 200
    with Session(engine) as s:
        rows = s.exec(select(DeskSession).where(DeskSession.user_id == staff.id)).all()
    assert len(rows) == 2 and all(r.ended_at is not None for r in rows)
    assert desk_client.get("/desk/account", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("column", ["last_seen_at", "expires_at"])
def test_idle_and_absolute_timeouts_end_the_session(desk_client, engine, column):
    staff = make_staff(engine, Role.sales)
    sign_in(desk_client, staff)
    past = utcnow() - timedelta(seconds=get_settings().desk_idle_seconds + 1)
    with Session(engine) as s:
        row = s.exec(select(DeskSession).where(DeskSession.user_id == staff.id)).one()
        setattr(row, column, past)
        s.add(row)
        s.commit()
    gone = desk_client.get("/desk/account", follow_redirects=False)
    assert gone.status_code == 303 and "ended=1" in gone.headers["location"]
    assert "__Host-rekisteri_desk=\"\"" in gone.headers["set-cookie"] or "Max-Age=0" in gone.headers["set-cookie"]
    again = desk_client.get("/desk/account?lang=en", follow_redirects=True)
    assert "Sign in to the desk" in again.text


def test_a_form_without_its_csrf_token_or_from_another_site_is_refused(desk_client, engine):
    staff = make_staff(engine, Role.sales)
    page = sign_in(desk_client, staff)
    for data, headers in (({}, {}), ({"csrf": "0" * 64}, {}),
                          ({"csrf": csrf(page.text)}, {"Sec-Fetch-Site": "cross-site"}),
                          ({"csrf": csrf(page.text)}, {"Origin": "https://evil.example"}),
                          ({"csrf": csrf(page.text)}, {"Origin": "null"})):
        refused = desk_client.post("/desk/signout?lang=en", data=data, headers=headers, follow_redirects=False)
        assert refused.status_code == 403 and "The form was refused" in refused.text, (data, headers)
    assert desk_client.get("/desk/account").status_code == 200  # still signed in: nothing happened
    cross = post_form(desk_client, "/desk/signin", {"email": staff.email, "password": staff.password},
                             headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert cross.status_code == 403  # no sign-in from another site's form either
    tokenless = desk_client.post("/desk/signin", data={"email": staff.email, "password": staff.password})
    assert tokenless.status_code == 403  # the sign-in form carries its own token before there is a session
    form = desk_client.get("/desk/signin")
    desk_client.cookies.delete("__Host-rekisteri_pre")
    other = desk_client.get("/desk/forgot")  # a new cookie: the earlier page's token no longer matches it
    assert csrf(other.text) != csrf(form.text)
    stale = desk_client.post("/desk/signin", data={"csrf": csrf(form.text), "email": staff.email,
                                                   "password": staff.password})
    assert stale.status_code == 403
    for path in ("/desk/forgot", "/desk/signin"):
        assert desk_client.post(path, data={"csrf": "0" * 64, "email": staff.email}).status_code == 403


def test_a_bearer_token_does_not_open_the_desk(desk_client, role_tokens):
    page = desk_client.get("/desk/account", headers=bearer(role_tokens["admin"]), follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/desk/signin")


def test_totp_is_set_up_from_the_account_page_and_asked_at_sign_in(desk_client, engine):
    staff = make_staff(engine, Role.sales)
    sign_in(desk_client, staff)
    setup = desk_client.get("/desk/account/totp?lang=en")
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', setup.text).group(1)
    with Session(engine) as s:
        sealed = s.get(User, staff.id).totp_secret
    assert secret not in sealed  # stored sealed
    wrong = desk_client.post("/desk/account/totp?lang=en", data={"csrf": csrf(setup.text), "code": "000000"})
    assert wrong.status_code == 422 and "The code is not right" in wrong.text
    codes_page = desk_client.post("/desk/account/totp?lang=en",
                                  data={"csrf": csrf(setup.text), "code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code lang=\"zxx\">([0-9a-f]{6}-[0-9a-f]{6})</code></li>", codes_page.text)
    assert codes_page.status_code == 200 and len(codes) == 10
    desk_client.post("/desk/signout", data={"csrf": csrf(codes_page.text)})

    first = post_form(desk_client, "/desk/signin", {"email": staff.email, "password": staff.password,
                                                   "next": "/desk/account"}, follow_redirects=False)
    assert first.headers["location"].startswith("/desk/signin/code")
    assert desk_client.get("/desk/account", follow_redirects=False).headers["location"].startswith("/desk/signin/code")
    code_page = desk_client.get(first.headers["location"])
    bad = desk_client.post("/desk/signin/code", data={"csrf": csrf(code_page.text), "code": "123"})
    assert bad.status_code == 401
    good = desk_client.post("/desk/signin/code", data={"csrf": csrf(code_page.text), "code": codes[0],
                                                       "next": "/desk/account"}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"] == "/desk/account"
    assert desk_client.get("/desk/account").status_code == 200
    # a recovery code works once
    desk_client.post("/desk/signout", data={"csrf": csrf(desk_client.get("/desk/account").text)})
    post_form(desk_client, "/desk/signin", {"email": staff.email, "password": staff.password})
    page = desk_client.get("/desk/signin/code")
    assert desk_client.post("/desk/signin/code", data={"csrf": csrf(page.text), "code": codes[0]}).status_code == 401


def test_admins_and_privacy_officers_must_set_up_totp_in_production(engine, session, monkeypatch):
    monkeypatch.setenv("REKISTERI_ENVIRONMENT", "production")
    monkeypatch.setenv("REKISTERI_SECRET_KEY", "Xq7mP2vL9kR4tW8zN3bH6cJ1fY5sD0gA")
    monkeypatch.setenv("REKISTERI_FLOWER_PASSWORD", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7cF0iL")
    monkeypatch.setenv("REKISTERI_PUBLIC_BASE_URL", "https://rekisteri.jetmasters.example")
    monkeypatch.setenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", "false")
    get_settings.cache_clear()
    try:
        for role, stage in ((Role.privacy, "enrol"), (Role.admin, "enrol"), (Role.sales, "full")):
            user = create_user(session, name=f"tuotanto-{role.value}", role=role, email=f"t-{role.value}@x.example")
            user.password_hash = auth.hash_password(PASSWORD)
            signed = auth.sign_in(session, email=user.email, password=PASSWORD, client="192.0.2.1")
            assert signed.row.stage == stage, role
        privacy = session.exec(select(User).where(User.name == "tuotanto-privacy")).one()
        auth.begin_totp(session, user=privacy)
        privacy.totp_enabled = True
        with pytest.raises(auth.NoDeskAccess):
            auth.disable_totp(session, user=privacy)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_an_enrolling_session_reaches_only_the_totp_page(desk_client, engine, monkeypatch):
    staff = make_staff(engine, Role.privacy)
    monkeypatch.setattr(auth, "second_factor_required", lambda user: True)
    post_form(desk_client, "/desk/signin", {"email": staff.email, "password": staff.password})
    assert desk_client.get("/desk/account", follow_redirects=False).headers["location"].startswith("/desk/account/totp")
    setup = desk_client.get("/desk/account/totp")
    assert setup.status_code == 200 and "desk-nav" not in setup.text
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', setup.text).group(1)
    desk_client.post("/desk/account/totp", data={"csrf": csrf(setup.text), "code": pyotp.TOTP(secret).now()})
    assert desk_client.get("/desk/account", follow_redirects=False).status_code == 200


def test_forgotten_password_sends_a_link_only_to_an_account_and_answers_the_same(desk_client, engine):
    staff = make_staff(engine, Role.sales)
    known = post_form(desk_client, "/desk/forgot?lang=sv", {"email": staff.email})
    unknown = post_form(desk_client, "/desk/forgot?lang=sv", {"email": "ingen@jetmasters.example"})
    assert known.status_code == unknown.status_code == 200 and known.text == unknown.text
    with Session(engine) as s:
        mails = s.exec(select(EmailMessage).where(EmailMessage.to_address.in_([staff.email,
                                                                              "ingen@jetmasters.example"]))).all()
    assert [m.to_address for m in mails] == [staff.email] and mails[0].category == "transactional"
    assert mails[0].subject == "Nytt lösenord till skrivbordet"
    link = re.search(r"https?://\S+(/desk/password/[\w-]+)", mails[0].body_text).group(1)
    assert desk_client.get(link).status_code == 200


def test_open_sessions_are_listed_and_one_can_be_ended_from_another(desk_client, engine):
    from fastapi.testclient import TestClient

    staff = make_staff(engine, Role.marketing)
    sign_in(desk_client, staff)
    with TestClient(desk_client.app, base_url="https://testserver") as other:
        sign_in(other, staff)
        page = other.get("/desk/account")
        ids = re.findall(r'action="/desk/account/sessions/(\d+)/end', page.text)
        assert len(ids) == 2
        mine = other.cookies.get("__Host-rekisteri_desk")
        with Session(engine) as s:
            from shared.auth.sessions import digest
            this_id = s.exec(select(DeskSession.id).where(DeskSession.token_hash == digest(mine))).one()
        [first] = [i for i in ids if int(i) != this_id]
        other.post(f"/desk/account/sessions/{first}/end", data={"csrf": csrf(page.text)})
        assert other.get("/desk/account").status_code == 200
    assert desk_client.get("/desk/account", follow_redirects=False).status_code == 303
