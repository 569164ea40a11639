"""Keys derived from the server secret, and sealing a partner's shared secret at rest.

Every derived key comes from a secret through HKDF-SHA256 (RFC 5869) with its own label, so a
leaked download-link key says nothing about the sealing key and vice versa.

Sealing is AES-256-GCM under a named key: `a2:<key id>:<base64url(nonce || ciphertext+tag)>`,
the version and key id bound in as associated data. The keys (`REKISTERI_SEALING_KEYS`, JSON
{id: secret}) and the one new secrets are sealed under (`REKISTERI_SEALING_KEY_ID`) are settings;
without them the key is `server`, derived from `REKISTERI_SECRET_KEY`. Rotation: add a new key,
make it current, run `rekisteri partners rotate-secrets` (every stored secret re-sealed under
it), then drop the old key. Tokens of earlier formats still open (never written any more):
"a1:" (AES-GCM under the server key, no key id) and "h1:" (an encrypt-then-MAC construction
from the standard library, used while `cryptography` was optional). All are authenticated: a
token changed by one bit, or sealed under another key, does not open.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.settings import get_settings

SERVER_KEY_ID = "server"  # the key derived from REKISTERI_SECRET_KEY
KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,40}")
MIN_KEY_LENGTH = 32
_AEAD_LABEL = "partner-secret-aes-gcm"
_BLOCK = 32


class SealError(ValueError):
    """The token is malformed, was tampered with, or was sealed under a key we do not have."""


class KeyringError(ValueError):
    """The sealing keys in the settings are not usable (the message names the setting)."""


def hkdf(secret: bytes, *, label: str, length: int = 32) -> bytes:
    """HKDF-SHA256 (extract with a fixed salt, then expand with the label as info)."""
    prk = hmac.digest(b"rekisteri-hkdf-salt-v1", secret, "sha256")
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.digest(prk, block + label.encode() + bytes([counter]), "sha256")
        out, counter = out + block, counter + 1
    return out[:length]


def derived_key(label: str, *, secret: str | None = None) -> bytes:
    """A 32-byte key for one use (`label`), derived from the server secret."""
    value = secret if secret is not None else get_settings().secret_key.get_secret_value()
    return hkdf(value.encode(), label=label)


@dataclass(frozen=True)
class Keyring:
    """The sealing keys: id -> secret, and the id new tokens are sealed under."""

    keys: dict[str, str]
    current: str

    def key(self, key_id: str) -> bytes:
        if key_id not in self.keys:
            raise SealError(f"the token was sealed under key {key_id!r}, which is not configured")
        return hkdf(self.keys[key_id].encode(), label=_AEAD_LABEL)


def keyring(*, secret: str | None = None) -> Keyring:
    """The configured keyring. `secret` (tests, tools) stands in for the server secret and ignores the
    configured keys: a keyring of just the `server` key."""
    if secret is not None:
        return Keyring(keys={SERVER_KEY_ID: secret}, current=SERVER_KEY_ID)
    settings = get_settings()
    keys = {SERVER_KEY_ID: settings.secret_key.get_secret_value()}
    for key_id, value in (settings.sealing_keys or {}).items():
        if key_id == SERVER_KEY_ID or not KEY_ID.fullmatch(key_id):
            raise KeyringError(f"REKISTERI_SEALING_KEYS: a key id is 1-40 of A-Z a-z 0-9 _ . - and not "
                               f"{SERVER_KEY_ID!r}")
        if len(value.get_secret_value()) < MIN_KEY_LENGTH:
            raise KeyringError(f"REKISTERI_SEALING_KEYS: key {key_id!r} is shorter than {MIN_KEY_LENGTH} characters")
        keys[key_id] = value.get_secret_value()
    current = settings.sealing_key_id or SERVER_KEY_ID
    if current not in keys:
        raise KeyringError(f"REKISTERI_SEALING_KEY_ID names {current!r}, which REKISTERI_SEALING_KEYS does not hold")
    return Keyring(keys=keys, current=current)


def seal(plaintext: str, *, secret: str | None = None, ring: Keyring | None = None) -> str:
    """Encrypt and authenticate a short secret under the current key; the token is ASCII and safe to store."""
    ring = ring or keyring(secret=secret)
    nonce = secrets.token_bytes(12)
    aad = f"a2:{ring.current}".encode()
    sealed = AESGCM(ring.key(ring.current)).encrypt(nonce, plaintext.encode(), aad)
    return f"a2:{ring.current}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def key_id(token: str) -> str:
    """The id of the key a token was sealed under (`server` for the legacy formats)."""
    version, _, rest = token.partition(":")
    if version == "a2":
        return rest.partition(":")[0]
    return SERVER_KEY_ID


def _b64(body: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(body.encode())
    except ValueError:
        raise SealError("malformed token") from None


def unseal(token: str, *, secret: str | None = None, ring: Keyring | None = None) -> str:
    """The secret inside a token from `seal` (or a legacy one); SealError if it does not open."""
    ring = ring or keyring(secret=secret)
    version, _, rest = token.partition(":")
    if version == "a2":
        kid, _, body = rest.partition(":")
        return _open_aead(ring.key(kid), _b64(body), f"a2:{kid}".encode())
    if version == "a1":
        return _open_aead(ring.key(SERVER_KEY_ID), _b64(rest), b"a1")
    if version == "h1":
        return _open_h1(ring.keys[SERVER_KEY_ID], _b64(rest))
    raise SealError("malformed token")


def reseal(token: str, *, ring: Keyring | None = None) -> str | None:
    """The token sealed under the current key, or None if it already is (SealError if it does not open)."""
    ring = ring or keyring()
    if token.startswith("a2:") and key_id(token) == ring.current:
        unseal(token, ring=ring)  # proves it opens
        return None
    return seal(unseal(token, ring=ring), ring=ring)


def _open_aead(key: bytes, raw: bytes, aad: bytes) -> str:
    if len(raw) < 12 + 16:
        raise SealError("malformed token")
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], aad).decode()
    except Exception:
        raise SealError("the token does not open under this key") from None


# -- the legacy "h1" format: read only ------------------------------------------------------------

def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.digest(key, nonce + i.to_bytes(8, "big"), "sha256") for i in range(-(-length // _BLOCK)))
    return b"".join(blocks)[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def _open_h1(server_secret: str, raw: bytes) -> str:
    if len(raw) < 16 + 32:
        raise SealError("malformed token")
    nonce, ciphertext, tag = raw[:16], raw[16:-32], raw[-32:]
    mac = hkdf(server_secret.encode(), label="partner-secret-mac")
    if not hmac.compare_digest(tag, hmac.digest(mac, b"h1" + nonce + ciphertext, "sha256")):
        raise SealError("the token does not open under this key")
    enc = hkdf(server_secret.encode(), label="partner-secret-enc")
    return (_xor(ciphertext, _keystream(enc, nonce, len(ciphertext))) if ciphertext else b"").decode()


def subject_ref(partner_id: int, contact_id: int, *, key: bytes | None = None) -> str:
    """The pseudonym a partner knows a person by: stable per partner, meaningless to anyone else."""
    key = key if key is not None else derived_key("partner-subject-ref")
    return hmac.digest(key, f"{partner_id}:{contact_id}".encode(), "sha256").hex()[:32]
