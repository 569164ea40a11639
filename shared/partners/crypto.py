"""Keys derived from the server secret, and sealing a partner's shared secret at rest.

Every key here comes from `settings.secret_key` through HKDF-SHA256 (RFC 5869) with its own
label, so a leaked download-link key says nothing about the sealing key and vice versa.

Sealing: AES-256-GCM when the `cryptography` package is installed ("a1:" tokens); otherwise an
encrypt-then-MAC construction from the standard library ("h1:" tokens): the keystream is
HMAC-SHA256(enc_key, nonce || counter) blocks (a PRF in counter mode), the tag HMAC-SHA256 over
version, nonce and ciphertext under a separate key. Both are authenticated: a token changed by
one bit, or sealed under another server secret, does not open.
"""

from __future__ import annotations

import base64
import hmac
import secrets

from shared.settings import get_settings

try:  # pragma: no cover - depends on the environment
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:  # pragma: no cover
    AESGCM = None

_BLOCK = 32


class SealError(ValueError):
    """The token is malformed, was tampered with, or was sealed under another key."""


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


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.digest(key, nonce + i.to_bytes(8, "big"), "sha256") for i in range(-(-length // _BLOCK)))
    return b"".join(blocks)[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def seal(plaintext: str, *, secret: str | None = None) -> str:
    """Encrypt and authenticate a short secret; the token is ASCII and safe to store."""
    data = plaintext.encode()
    if AESGCM is not None:
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(derived_key("partner-secret-aes-gcm", secret=secret)).encrypt(nonce, data, b"a1")
        return "a1:" + base64.urlsafe_b64encode(nonce + sealed).decode()
    nonce = secrets.token_bytes(16)
    enc, mac = derived_key("partner-secret-enc", secret=secret), derived_key("partner-secret-mac", secret=secret)
    ciphertext = _xor(data, _keystream(enc, nonce, len(data))) if data else b""
    tag = hmac.digest(mac, b"h1" + nonce + ciphertext, "sha256")
    return "h1:" + base64.urlsafe_b64encode(nonce + ciphertext + tag).decode()


def unseal(token: str, *, secret: str | None = None) -> str:
    """The secret inside a token from `seal`; SealError if it does not open."""
    version, _, body = token.partition(":")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
    except ValueError:
        raise SealError("malformed token") from None
    if version == "a1":
        if AESGCM is None:
            raise SealError("this token needs the `cryptography` package")
        try:
            key = derived_key("partner-secret-aes-gcm", secret=secret)
            return AESGCM(key).decrypt(raw[:12], raw[12:], b"a1").decode()
        except Exception:
            raise SealError("the token does not open under this key") from None
    if version != "h1" or len(raw) < 16 + 32:
        raise SealError("malformed token")
    nonce, ciphertext, tag = raw[:16], raw[16:-32], raw[-32:]
    mac = derived_key("partner-secret-mac", secret=secret)
    if not hmac.compare_digest(tag, hmac.digest(mac, b"h1" + nonce + ciphertext, "sha256")):
        raise SealError("the token does not open under this key")
    enc = derived_key("partner-secret-enc", secret=secret)
    return (_xor(ciphertext, _keystream(enc, nonce, len(ciphertext))) if ciphertext else b"").decode()


def subject_ref(partner_id: int, contact_id: int, *, key: bytes | None = None) -> str:
    """The pseudonym a partner knows a person by: stable per partner, meaningless to anyone else."""
    key = key if key is not None else derived_key("partner-subject-ref")
    return hmac.digest(key, f"{partner_id}:{contact_id}".encode(), "sha256").hex()[:32]

