"""Sealed partner secrets under named keys: tokens carry their key id, old keys still open old
tokens, legacy formats still open, and `rekisteri partners rotate-secrets` re-seals every stored
secret under the current key (afterwards none uses the old one)."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from shared.audit.service import Actor
from shared.models import ChangeRecord
from shared.models.partners import Partner
from shared.partners import crypto
from shared.partners.service import partner_secret, rotate_secrets
from shared.settings import get_settings

OLD_SERVER_SECRET = "vanha-palvelinavain-0123456789abcdef"
# Written by the sealing code before key ids existed (git show 934328e:shared/partners/crypto.py),
# under OLD_SERVER_SECRET: "a1" with `cryptography`, "h1" without it.
LEGACY_A1 = "a1:5GORx_jpcJYdjC3RxlAYfGWzAEdcQF4lkovU-SkFl3U875ym8ntJNSMQMzF51dfXyGtvKcqo_wovGHNv-GE="
LEGACY_H1 = ("h1:5Bdoy0_Ynah0Y7CHp9NPSmaKBHIiUre8xByjULYWBuS4eFxIo7Mroaiau9ViFF_40WDp_KzP1yCnGrA6o32c5Av_lbZZzV3u"
             "LIMSaX3_Hf9d")
KEY_2025 = "vuoden-2025-sinetointiavain-0123456789"
KEY_2026 = "vuoden-2026-sinetointiavain-9876543210"
ACTOR = Actor(label="user:test")


@pytest.fixture
def keys(monkeypatch):
    """Configure the sealing keys like an operator would, through the environment."""

    def configure(current: str | None, **secrets: str) -> crypto.Keyring:
        monkeypatch.setenv("REKISTERI_SEALING_KEYS", json.dumps(secrets))
        if current is None:
            monkeypatch.delenv("REKISTERI_SEALING_KEY_ID", raising=False)
        else:
            monkeypatch.setenv("REKISTERI_SEALING_KEY_ID", current)
        get_settings.cache_clear()
        return crypto.keyring()

    yield configure
    monkeypatch.delenv("REKISTERI_SEALING_KEYS", raising=False)
    monkeypatch.delenv("REKISTERI_SEALING_KEY_ID", raising=False)
    get_settings.cache_clear()


def test_a_new_token_is_aes_gcm_under_the_current_key_and_names_it(keys):
    keys("k2026", k2025=KEY_2025, k2026=KEY_2026)
    token = crypto.seal("jaettu salaisuus ÄÖ")
    assert token.startswith("a2:k2026:") and crypto.key_id(token) == "k2026" and "salaisuus" not in token
    assert crypto.unseal(token) == "jaettu salaisuus ÄÖ"
    assert token != crypto.seal("jaettu salaisuus ÄÖ")  # a fresh nonce every time
    # the key id is authenticated: relabelling the token to another configured key does not open it
    with pytest.raises(crypto.SealError):
        crypto.unseal(token.replace("a2:k2026:", "a2:k2025:"))


def test_without_configured_keys_the_server_key_seals(keys):
    keys(None)
    token = crypto.seal("salaisuus")
    assert token.startswith("a2:server:") and crypto.unseal(token) == "salaisuus"


def test_old_tokens_open_while_their_key_is_configured_and_not_after(keys):
    keys("k2025", k2025=KEY_2025)
    old = crypto.seal("vanha salaisuus")
    keys("k2026", k2025=KEY_2025, k2026=KEY_2026)  # rotated: k2026 current, k2025 kept for opening
    assert crypto.unseal(old) == "vanha salaisuus" and crypto.key_id(crypto.seal("x")) == "k2026"
    keys("k2026", k2026=KEY_2026)  # the old key dropped too early
    with pytest.raises(crypto.SealError, match="'k2025', which is not configured"):
        crypto.unseal(old)


def test_legacy_tokens_still_open_under_the_server_secret():
    assert crypto.unseal(LEGACY_A1, secret=OLD_SERVER_SECRET) == "legacy-aes-secret-0123456789abcdef"
    assert crypto.unseal(LEGACY_H1, secret=OLD_SERVER_SECRET) == "legacy-h1-secret-0123456789abcdef"
    assert crypto.key_id(LEGACY_A1) == crypto.key_id(LEGACY_H1) == crypto.SERVER_KEY_ID
    for token in (LEGACY_A1, LEGACY_H1):
        with pytest.raises(crypto.SealError):
            crypto.unseal(token, secret="toinen-palvelinavain-0123456789")
        body = token[3:]
        flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
        with pytest.raises(crypto.SealError):
            crypto.unseal(token[:3] + flipped, secret=OLD_SERVER_SECRET)
    with pytest.raises(crypto.SealError):
        crypto.unseal("zz:abc", secret=OLD_SERVER_SECRET)


@pytest.mark.parametrize(("current", "configured", "message"), [
    ("k9", {"k2026": KEY_2026}, "REKISTERI_SEALING_KEY_ID names 'k9'"),
    ("k2026", {"k2026": "short"}, "shorter than 32 characters"),
    ("server", {"server": KEY_2026}, "not 'server'"),
    ("a:b", {"a:b": KEY_2026}, "a key id is 1-40"),
])
def test_a_bad_keyring_is_refused_with_the_setting_named(keys, current, configured, message):
    with pytest.raises(crypto.KeyringError, match=message):
        keys(current, **configured)


def _partner(s: Session, token: str) -> Partner:
    partner = Partner(name=f"Kumppani {uuid.uuid4().hex[:6]} Oy", role="recipient", agreement_reference="S-1",
                      agreement_signed_on=date(2026, 1, 1), purposes=["billing"], fields=["email"], delivery="https",
                      endpoint_url="https://partner.example/in", secret_sealed=token)
    s.add(partner)
    s.flush()
    return partner


def test_rotation_reseals_every_secret_and_none_uses_the_old_key(session, keys):
    server_secret = get_settings().secret_key.get_secret_value()
    keys("k2025", k2025=KEY_2025)
    under_2025 = _partner(session, crypto.seal("secret-sealed-under-2025-0123456789"))
    under_server = _partner(session, crypto.seal("secret-sealed-under-server-0123456", secret=server_secret))
    legacy = _partner(session, LEGACY_H1)  # sealed under another server secret: no configured key opens it
    keys("k2026", k2025=KEY_2025, k2026=KEY_2026)
    assert partner_secret(under_2025) == b"secret-sealed-under-2025-0123456789"  # still opens before rotation

    counts = rotate_secrets(session, actor=ACTOR)

    mine = [under_2025, under_server, legacy]
    assert counts["key_id"] == "k2026" and counts["unreadable"] >= 1
    assert [crypto.key_id(p.secret_sealed) for p in mine] == ["k2026", "k2026", "server"]
    assert legacy.secret_sealed == LEGACY_H1  # left alone, counted as unreadable
    assert partner_secret(under_2025) == b"secret-sealed-under-2025-0123456789"
    assert partner_secret(under_server) == b"secret-sealed-under-server-0123456"
    readable = session.exec(select(Partner).where(Partner.secret_sealed.is_not(None),
                                                  Partner.id != legacy.id)).all()
    assert {crypto.key_id(p.secret_sealed) for p in readable} == {"k2026"}  # nothing left under the old keys
    history = session.exec(select(ChangeRecord.new_value).where(
        ChangeRecord.entity == "partners", ChangeRecord.entity_id == under_2025.id, ChangeRecord.field == "secret")).all()
    assert history == ["(sealed under key k2026)"]  # says which key, never the secret
    keys("k2026", k2026=KEY_2026)  # the old key can go now
    assert partner_secret(under_2025) == b"secret-sealed-under-2025-0123456789"
    again = rotate_secrets(session, actor=ACTOR)
    assert again["resealed"] == 0 and again["current"] >= 2


def test_the_cli_rotates_and_refuses_a_bad_keyring(engine, keys):
    from shared.cli.main import app

    with Session(engine) as s:
        partner_id = _partner(s, crypto.seal("committed-partner-secret-0123456789")).id
        s.commit()
    try:
        keys("k2026", k2026=KEY_2026)
        result = CliRunner().invoke(app, ["partners", "rotate-secrets"])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("key k2026: re-sealed ")
        with Session(engine) as s:
            stored = s.get(Partner, partner_id)
            assert crypto.key_id(stored.secret_sealed) == "k2026"
            assert crypto.unseal(stored.secret_sealed) == "committed-partner-secret-0123456789"
        with pytest.raises(crypto.KeyringError):  # configured all the same, as an operator's typo would be
            keys("k9", k2026=KEY_2026)
        refused = CliRunner().invoke(app, ["partners", "rotate-secrets"])
        assert refused.exit_code == 2 and "REKISTERI_SEALING_KEY_ID names 'k9'" in refused.output
    finally:  # back under the server key, so later tests of this run open every committed secret
        keys("server", k2026=KEY_2026)
        with Session(engine) as s:
            rotate_secrets(s, actor=ACTOR)
            s.delete(s.get(Partner, partner_id))
            s.commit()
