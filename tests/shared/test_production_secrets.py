"""Weak production secrets are refused at start-up (issue 13, item 7): the secret key, the Flower
password and every sealing key must be 32+ bytes of random-looking material in production."""

from __future__ import annotations

import base64
import json
import os
import secrets

import pytest
from pydantic import ValidationError

from shared.settings import Settings

WEAK = ["aaaaaaaaaaaaaaaa", "a" * 64, "change-me", "change-me-change-me-change-me-change-me", "CHANGE_ME_" * 4,
        "Ch4ng3-M3-pl34s3-r1ght-4w4y-n0w-2026", "abcdefghijklmnopqrstuvwxyz0123456789",
        "0123456789abcdef0123456789abcdef", "Xk9#" * 10, "test-secret-key-not-for-production",
        "a-real-secret-of-32-characters!!", secrets.token_hex(8), "hunter2" * 5]


def _production(monkeypatch, **values: str) -> Settings:
    env = {"ENVIRONMENT": "production", "SECRET_KEY": secrets.token_urlsafe(32),
           "FLOWER_PASSWORD": secrets.token_urlsafe(32), "SEALING_KEYS": "{}",
           "PUBLIC_BASE_URL": "https://rekisteri.jetmasters.fi", **values}
    for name, value in env.items():
        monkeypatch.setenv(f"REKISTERI_{name}", value)
    monkeypatch.delenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", raising=False)
    return Settings(_env_file=None)


@pytest.mark.parametrize("value", WEAK)
@pytest.mark.parametrize("field", ["SECRET_KEY", "FLOWER_PASSWORD"])
def test_a_weak_secret_is_refused_in_production(monkeypatch, field, value):
    with pytest.raises(ValidationError, match=f"REKISTERI_{field} (is not a production|must be set to a real)") as refused:
        _production(monkeypatch, **{field: value})
    assert value not in str(refused.value)  # the message never repeats the secret


@pytest.mark.parametrize("value", WEAK)
def test_a_weak_sealing_key_is_refused_in_production(monkeypatch, value):
    keys = json.dumps({"2026-11": secrets.token_urlsafe(32), "old": value})
    with pytest.raises(ValidationError, match=r"REKISTERI_SEALING_KEYS\[old\] is not a production secret"):
        _production(monkeypatch, SEALING_KEYS=keys)


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(32), lambda: secrets.token_hex(32),
                                  lambda: base64.b64encode(os.urandom(32)).decode()])
def test_random_material_passes(monkeypatch, make):
    for _ in range(200):
        settings = _production(monkeypatch, SECRET_KEY=make(), FLOWER_PASSWORD=make(),
                               SEALING_KEYS=json.dumps({"k": make()}))
        assert settings.environment.value == "production"


def test_the_loopback_allowance_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", "true")
    with pytest.raises(ValidationError, match="REKISTERI_TRANSFER_ALLOW_LOOPBACK"):
        Settings(_env_file=None, environment="production", secret_key=secrets.token_urlsafe(32),
                 flower_password=secrets.token_urlsafe(32))
