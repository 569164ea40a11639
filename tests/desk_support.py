"""Helpers for the desk's tests: a staff user with a password (and a second factor), signing in
through the pages, and the CSRF token of a page."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

import pyotp
from sqlmodel import Session

from shared.auth import desk as auth
from shared.auth.service import create_user
from shared.models import Role

PASSWORD = "kuusi-hirveä-kalliolla-2026"


@dataclass
class Staff:
    id: int
    name: str
    email: str
    password: str
    totp_secret: str | None = None

    def code(self) -> str:
        """The app's code for the next time step: the one of now may be used already (a code is good once)."""
        return pyotp.TOTP(self.totp_secret).at(time.time() + 30)


def make_staff(engine, role: Role | str, *, totp: bool = False, password: str = PASSWORD,
               name: str | None = None) -> Staff:
    """A committed desk user of `role` with a password (and TOTP on, if asked); `name` + a unique tag."""
    name = f"{name or Role(role).value}-{uuid.uuid4().hex[:8]}"
    email = f"{name}@jetmasters.example"
    with Session(engine) as s:
        user = create_user(s, name=name, role=Role(role), email=email)
        user.password_hash = auth.hash_password(password)
        secret = None
        if totp:
            secret = auth.begin_totp(s, user=user)
            user.totp_enabled = True
        s.add(user)
        s.commit()
        return Staff(id=user.id, name=name, email=email, password=password, totp_secret=secret)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def post_form(client, path: str, data: dict[str, str], **kwargs):
    """POST a form shown before there is a session (sign-in, forgotten password, a set-password
    link) as a browser does: the form's page first (its cookie and CSRF token), then the form."""
    page = client.get(path)
    return client.post(path, data={"csrf": csrf(page.text), **data}, **kwargs)


def sign_in(client, staff: Staff, *, follow: bool = True):
    """Sign in through the form (and the code page when the user has TOTP); the last response."""
    response = post_form(client, "/desk/signin", {"email": staff.email, "password": staff.password,
                                                  "next": "/desk/account"}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    if "/desk/signin/code" in response.headers["location"]:
        page = client.get(response.headers["location"])
        response = client.post("/desk/signin/code", data={"code": staff.code(), "csrf": csrf(page.text),
                                                          "next": "/desk/account"}, follow_redirects=False)
        assert response.status_code == 303, response.text[:500]
    return client.get(response.headers["location"]) if follow else response


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a page (or of one form's HTML), their values unescaped as a browser sends them."""
    import html as markup

    return {name: markup.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)}
