"""DKIM signatures over the final message bytes (RFC 6376: rsa-sha256, relaxed/relaxed), and the
processes that build and sign bulk batches.

dkimpy (1.1.8) makes the RSA signature in pure Python — about 9 ms for a 2048-bit key on the
2-core development machine, holding the GIL — and parses the PEM key again for every message;
it never uses `cryptography`, even when installed. So dkimpy still does what it is for here
(the message's parsing, the canonicalization of the signed header fields and of the body, the
folding of the DKIM-Signature field), and the one RSA operation is made by `cryptography`
(OpenSSL) with the key loaded once per process: about 0.75 ms. The result is byte for byte what
`dkim.sign` writes (tests/services/notifier/test_notifier_compose.py compares them and verifies with
`dkim.verify`).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import dkim
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from dkim.canonicalization import CanonicalizationPolicy

from services.notifier.compose import CRLF, message_bytes
from shared.outbox.service import ClaimedEmail

# Signed when present: who and what, the list, and the one-click opt-out (RFC 8058 asks for both
# List-Unsubscribe and List-Unsubscribe-Post to be covered).
DKIM_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"reply-to", b"mime-version",
                b"content-type", b"list-id", b"list-unsubscribe", b"list-unsubscribe-post", b"precedence")
RELAXED = CanonicalizationPolicy.from_c_value(b"relaxed/relaxed")
FIELD = b"DKIM-Signature"


@functools.lru_cache(maxsize=4)
def private_key(pem: bytes) -> rsa.RSAPrivateKey:
    """The key, loaded once per process (PKCS#1 or PKCS#8 PEM)."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the DKIM key must be an RSA private key")
    return key


def _fold(fields: list[tuple[bytes, bytes]]) -> bytes:
    return dkim.fold(b"; ".join(b"=".join(field) for field in fields), namelen=len(FIELD), linesep=CRLF)


@dataclass(frozen=True)
class DkimSigner:
    """Signs final message bytes with the configured key. Plain values only, so that it can be
    handed to the signing processes."""

    selector: str
    domain: str
    private_key: bytes

    @classmethod
    def from_settings(cls, settings) -> DkimSigner | None:
        if not (settings.dkim_selector and settings.dkim_domain and settings.dkim_private_key_path):
            return None
        signer = cls(selector=settings.dkim_selector, domain=settings.dkim_domain,
                     private_key=Path(settings.dkim_private_key_path).read_bytes())
        private_key(signer.private_key)  # a key that does not load stops the notifier at start
        return signer

    def signature(self, data: bytes, *, now: float | None = None) -> bytes:
        """The DKIM-Signature header field (CRLF-terminated) for these message bytes."""
        headers, body = dkim.rfc822_parse(data)
        present = {name.lower() for name, _ in headers}
        include = tuple(h for h in DKIM_HEADERS if h in present)
        domain = self.domain.encode()
        fields = [(b"v", b"1"), (b"a", b"rsa-sha256"), (b"c", b"relaxed/relaxed"), (b"d", domain),
                  (b"i", b"@" + domain), (b"q", b"dns/txt"), (b"s", self.selector.encode()),
                  (b"t", str(int(time.time() if now is None else now)).encode()), (b"h", b" : ".join(include)),
                  (b"bh", base64.b64encode(hashlib.sha256(RELAXED.canonicalize_body(body)).digest())),
                  (b"b", b"0" * 60)]  # b= folds onto its own line, as dkimpy does it
        unsigned = dkim.RE_BTAG.sub(b"\\1", _fold(fields))
        digest = hashlib.sha256()
        dkim.hash_headers(digest, RELAXED, RELAXED.canonicalize_headers(headers), include,
                          (FIELD, b" " + unsigned), dict(fields))
        raw = private_key(self.private_key).sign(digest.digest(), padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        fields[-1] = (b"b", base64.b64encode(raw))
        return FIELD + b": " + dkim.fold(b"; ".join(b"=".join(f) for f in fields) + CRLF, namelen=len(FIELD),
                                         linesep=CRLF)

    def sign(self, data: bytes) -> bytes:
        """The finished message bytes with the signature on top."""
        return self.signature(data) + data


# --- signing in other processes -----------------------------------------------------------------
# Even at ~0.75 ms a signature holds the GIL: the notifier builds and signs whole bulk batches in
# a pool of processes, before it locks them, so the lock spans only the SMTP work.

_signer: DkimSigner | None = None


def _start_worker(signer: DkimSigner) -> None:
    global _signer
    _signer = signer
    private_key(signer.private_key)


def _sign_many(claimed: list[ClaimedEmail]) -> list[bytes]:
    return [_signer.sign(message_bytes(c)) for c in claimed]


class SigningPool:
    """Build and sign messages in `processes` worker processes."""

    def __init__(self, signer: DkimSigner, *, processes: int):
        self.processes = max(1, processes)
        self.pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_worker, initargs=(signer,))

    async def build(self, claimed: list[ClaimedEmail]) -> list[bytes]:
        if not claimed:
            return []
        plain = [replace(c, ref=None) for c in claimed]
        size = max(1, -(-len(plain) // (2 * self.processes)))
        loop = asyncio.get_running_loop()
        parts = await asyncio.gather(*(loop.run_in_executor(self.pool, _sign_many, plain[i:i + size])
                                       for i in range(0, len(plain), size)))
        return [data for part in parts for data in part]

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
