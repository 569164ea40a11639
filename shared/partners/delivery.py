"""Getting a file to a partner: an HTTPS POST signed with HMAC-SHA256 under the shared secret,
retried on transient failures; or a signed, expiring download link that the partner follows.

The POST carries, besides the file:
- `X-Rekisteri-Content-SHA256`: the body's SHA-256 (hex);
- `X-Rekisteri-Signature: t=<unix time>,v1=<hex>` where v1 = HMAC-SHA256(secret,
  "<t>.<transfer id>.<body sha256>"): the partner checks the body's hash, the MAC and that t is
  recent (`verify_signature` is the reference implementation);
- `X-Rekisteri-Transfer` and `Idempotency-Key`: the transfer id, the same on every attempt, so a
  partner that got a file twice (we retry when we cannot know whether it arrived) keeps one.

Addresses: every attempt resolves the endpoint's name, refuses internal addresses and connects
to the address it checked (shared/partners/addresses.py); redirects are never followed. A failure
reason says "could not deliver" and a category (network, dns, refused address, tls, http), never
the network error itself: the reasons must not tell an open port from a closed one.

TLS: the partner's certificate is always verified, against the system trust store plus the CA
certificates in `REKISTERI_TRANSFER_CA_BUNDLE` (a partner with a private CA). A certificate that
does not verify fails the delivery at once (retrying would not change it), saying so.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import ssl
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx
import structlog

from shared.partners.addresses import AddressRefused, pin
from shared.partners.crypto import derived_key
from shared.settings import get_settings

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-Rekisteri-Signature"
SHA256_HEADER = "X-Rekisteri-Content-SHA256"
TRANSFER_HEADER = "X-Rekisteri-Transfer"
KIND_HEADER = "X-Rekisteri-Kind"
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
CHUNK = 1024 * 1024
_SIGNATURE = re.compile(r"t=(\d{1,12}),v1=([0-9a-f]{64})")


class DeliveryFailed(RuntimeError):
    """Every attempt failed, or the partner refused the file (a 4xx that retrying will not fix)."""

    def __init__(self, reason: str, attempts: int):
        super().__init__(reason)
        self.reason, self.attempts = reason, attempts


@dataclass(frozen=True)
class DeliveryOptions:
    attempts: int = 5
    backoff_seconds: float = 2.0  # doubles each attempt, at most 60 s
    timeout_seconds: float = 60.0

    @classmethod
    def from_settings(cls) -> DeliveryOptions:
        settings = get_settings()
        return cls(attempts=settings.transfer_delivery_attempts, backoff_seconds=settings.transfer_retry_backoff_seconds,
                   timeout_seconds=settings.transfer_delivery_timeout_seconds)


def tls_context() -> ssl.SSLContext:
    """Verification on, always: the system trust store, plus REKISTERI_TRANSFER_CA_BUNDLE when set."""
    context = ssl.create_default_context()
    bundle = get_settings().transfer_ca_bundle
    if bundle is not None:
        try:
            context.load_verify_locations(cafile=str(bundle))
        except (OSError, ssl.SSLError) as exc:
            raise DeliveryFailed(f"REKISTERI_TRANSFER_CA_BUNDLE cannot be loaded ({type(exc).__name__})", 0) from None
    return context


def _untrusted(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate error behind a failed connection, if that is what it was."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def sign(secret: bytes, *, transfer_id: str, sha256: str, timestamp: int) -> str:
    """The signature header's value for one attempt."""
    mac = hmac.new(secret, f"{timestamp}.{transfer_id}.{sha256}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: bytes, headers: Mapping[str, str], body: bytes, *, now: float | None = None,
                     tolerance_seconds: int = 300) -> bool:
    """What a partner does with a delivery: the hash matches the body, the MAC matches, t is recent."""
    return verify_digest(secret, headers, hashlib.sha256(body).hexdigest(), now=now,
                         tolerance_seconds=tolerance_seconds)


def verify_digest(secret: bytes, headers: Mapping[str, str], digest: str, *, now: float | None = None,
                  tolerance_seconds: int = 300) -> bool:
    """`verify_signature` for a body hashed while it streamed in (`digest`: its SHA-256, hex)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if not hmac.compare_digest(lowered.get(SHA256_HEADER.lower(), ""), digest):
        return False
    match = _SIGNATURE.fullmatch(lowered.get(SIGNATURE_HEADER.lower(), ""))
    if match is None or abs((now or time.time()) - int(match.group(1))) > tolerance_seconds:
        return False
    expected = sign(secret, transfer_id=lowered.get(TRANSFER_HEADER.lower(), ""), sha256=digest,
                    timestamp=int(match.group(1)))
    return hmac.compare_digest(expected, match.group(0))


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def post_file(*, url: str, path: Path, secret: bytes, transfer_id: uuid.UUID, sha256: str, content_type: str,
              kind: str, options: DeliveryOptions, client: httpx.Client | None = None) -> int:
    """POST the file until the partner answers 2xx; returns the attempts used, raises DeliveryFailed."""
    size = path.stat().st_size
    own = client is None
    client = client or httpx.Client(timeout=options.timeout_seconds, follow_redirects=False, verify=tls_context())
    reason = "not attempted"
    try:
        for attempt in range(1, options.attempts + 1):
            headers = {"Content-Type": content_type, "Content-Length": str(size), SHA256_HEADER: sha256,
                       SIGNATURE_HEADER: sign(secret, transfer_id=str(transfer_id), sha256=sha256,
                                              timestamp=int(time.time())),
                       TRANSFER_HEADER: str(transfer_id), "Idempotency-Key": str(transfer_id), KIND_HEADER: kind}
            wait = None
            try:
                target = pin(url)
                extensions = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
                response = client.post(target.url, content=_chunks(path), headers={**headers,
                                       "Host": target.host_header}, extensions=extensions)
            except AddressRefused as exc:
                if exc.category != "dns":
                    raise DeliveryFailed(f"could not deliver: the endpoint {exc} (refused address; not retried)",
                                         attempt) from None
                reason = "could not deliver: the partner's host name does not resolve (dns)"
            except httpx.TransportError as exc:
                if _untrusted(exc) is not None:
                    raise DeliveryFailed("could not deliver: the partner's TLS certificate did not verify "
                                         "(tls; not retried)", attempt) from None
                reason = "could not deliver: no answer from the partner (network)"
            else:
                if response.is_success:
                    log.info("transfer.delivered", transfer_id=str(transfer_id), attempt=attempt,
                             status=response.status_code)
                    return attempt
                reason = f"could not deliver: the partner answered HTTP {response.status_code} (http)"
                if response.status_code not in RETRYABLE_STATUS:
                    raise DeliveryFailed(reason[:-1] + "; not retried)", attempt)
                wait = _retry_after(response)
            log.warning("transfer.delivery_retry", transfer_id=str(transfer_id), attempt=attempt, reason=reason)
            if attempt < options.attempts:
                time.sleep(min(wait if wait is not None else options.backoff_seconds * 2 ** (attempt - 1), 60.0))
        raise DeliveryFailed(f"{reason}, after {options.attempts} attempts", options.attempts)
    finally:
        if own:
            client.close()


# -- signed download links ---------------------------------------------------------------------

def _link_signature(transfer_id: uuid.UUID, expires: int) -> str:
    return hmac.new(derived_key("transfer-download-link"), f"transfer:{transfer_id}:{expires}".encode(),
                    hashlib.sha256).hexdigest()


def download_link(transfer_id: uuid.UUID, *, expires_at: datetime) -> str:
    """`{public_base_url}/public/transfers/{id}/file?expires=…&sig=…`, valid until `expires_at`."""
    expires = int(expires_at.timestamp())
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}/public/transfers/{transfer_id}/file?" + urlencode(
        {"expires": expires, "sig": _link_signature(transfer_id, expires)})


def link_is_genuine(transfer_id: uuid.UUID, *, expires: str | None, sig: str | None) -> int | None:
    """The link's expiry (unix time) if its signature is ours; None for anything else."""
    if not expires or not expires.isdigit() or len(expires) > 12 or not sig or len(sig) != 64:
        return None
    return int(expires) if hmac.compare_digest(_link_signature(transfer_id, int(expires)), sig.lower()) else None
