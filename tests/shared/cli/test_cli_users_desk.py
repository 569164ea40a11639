"""`rekisteri users create --email` prints a one-time set-password link valid for a day, and
`rekisteri users invite` a new one (the old one stops working); service accounts get none."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlmodel import Session, select

from shared.auth import desk as auth
from shared.models import User, utcnow
from support import Services


def _token(stdout: str) -> str:
    found = re.search(r"https?://\S+/desk/password/([\w-]+)", stdout)
    assert found, stdout
    return found.group(1)


def test_users_create_and_invite_print_a_one_time_link(services_env, engine, tmp_path):
    cli = Services(services_env, tmp_path).cli
    name = f"tietosuoja-{uuid.uuid4().hex[:6]}"
    made = cli("users", "create", "--name", name, "--role", "privacy", "--email", f"{name}@Jetmasters.example")
    assert made.returncode == 0, made.stderr
    first = _token(made.stdout)
    with Session(engine) as s:
        link, user = auth.link_user(s, token=first)
        assert user.name == name and user.email == f"{name}@jetmasters.example" and link.purpose == "invite"
        assert timedelta(hours=23) < link.expires_at - utcnow() <= timedelta(hours=24)
    again = cli("users", "invite", "--name", name)
    assert again.returncode == 0, again.stderr
    second = _token(again.stdout)
    with Session(engine) as s:
        assert auth.link_user(s, token=second)[1].name == name
        try:
            auth.link_user(s, token=first)
            raise AssertionError("the first link still works")
        except auth.LinkInvalid:
            pass

    taken = cli("users", "create", "--name", name + "-2", "--role", "sales", "--email", f"{name}@jetmasters.example")
    assert taken.returncode == 1 and "email address exists" in taken.stderr
    bad = cli("users", "create", "--name", name + "-3", "--role", "sales", "--email", "ei-osoite")
    assert bad.returncode == 2 and "--email" in bad.stderr and "Traceback" not in bad.stderr
    robot = cli("users", "create", "--name", name + "-robot", "--role", "sales", "--service-account")
    assert robot.returncode == 0 and "/desk/password/" not in robot.stdout
    refused = cli("users", "invite", "--name", name + "-robot", "--email", f"{name}-robotti@jetmasters.example")
    assert refused.returncode == 1 and "service accounts never sign in" in refused.stderr
    with Session(engine) as s:
        assert s.exec(select(User).where(User.name == name + "-robot")).one().email is None  # nothing kept
