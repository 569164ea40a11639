"""The desk's second factor (shared/auth/desk.py): a TOTP code is accepted once — the same code
again, or an earlier step's, is refused; a later step's code still works; recovery codes too."""

from __future__ import annotations

import time

import pyotp

from shared.auth import desk
from shared.auth.service import create_user


def _enrolled(session, name: str):
    user = create_user(session, name=name, role="sales", email=f"{name}@jetmasters.example")
    secret = desk.begin_totp(session, user=user)
    totp = pyotp.TOTP(secret)
    assert desk.confirm_totp(session, user=user, code=totp.now()) is not None
    return user, totp


def test_a_totp_code_is_good_once(session):
    user, totp = _enrolled(session, "kertakoodi")
    assert not desk.check_second_factor(session, user=user, code=totp.now())  # used to turn TOTP on
    later = totp.at(time.time() + 30)
    assert desk.check_second_factor(session, user=user, code=later)
    assert not desk.check_second_factor(session, user=user, code=later)  # replayed within its window
    assert not desk.check_second_factor(session, user=user, code=totp.at(time.time() - 30))  # an earlier step


def test_a_wrong_or_far_code_is_refused_and_a_recovery_code_still_works(session):
    user, totp = _enrolled(session, "varakoodi")
    assert not desk.check_second_factor(session, user=user, code=totp.at(time.time() + 120))  # beyond the drift allowed
    assert not desk.check_second_factor(session, user=user, code="12345x")
    codes = desk.new_recovery_codes(session, user=user)
    assert desk.check_second_factor(session, user=user, code=codes[0])
    assert not desk.check_second_factor(session, user=user, code=codes[0])
