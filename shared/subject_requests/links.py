"""Signed, expiring download links for access exports, and what following one does.

A link is `{public_base_url}/public/exports/{id}?expires=<unix>&sig=<hex>`, where sig is
HMAC-SHA256 under the server secret over `export:{id}:{expires}`. Whoever holds the link can
download the export until it expires; every download is counted and logged (keyed client hash).
A wrong signature and an unknown export look the same to the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import uuid
import zipfile
from datetime import datetime
from urllib.parse import urlencode

import structlog
from sqlmodel import Session

from shared.models import AccessExport, ExportDownload, utcnow
from shared.common.errors import Gone, NotFound
from shared.settings import get_settings
from shared.subject_requests.service import keyed_hash
from shared.subject_requests.tracking import centre_url

log = structlog.get_logger(__name__)
_HEX_SIG = re.compile(r"[0-9a-f]{64}")
_UNIX = re.compile(r"[0-9]{1,12}")


class ExportNotFound(NotFound):
    """Unknown export, or a missing or wrong signature (404: the caller learns nothing more)."""


class ExportExpired(Gone):
    """A genuine link whose time is up."""

    default = "the link has expired; make a new request"


def _signature(export_id: uuid.UUID | str, expires: int) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    message = f"export:{uuid.UUID(str(export_id))}:{int(expires)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign_export_link(export_id: uuid.UUID | str, expires_at: datetime) -> str:
    """The full download URL for the export, valid until `expires_at`."""
    expires = int(expires_at.timestamp())
    base = get_settings().public_base_url.rstrip("/")
    query = urlencode({"expires": expires, "sig": _signature(export_id, expires)})
    return f"{base}/public/exports/{uuid.UUID(str(export_id))}?{query}"


def signature_matches(export_id: uuid.UUID | str, expires: int, sig: str | None) -> bool:
    """True if `sig` is this export's signature for `expires` (constant-time; expiry not checked)."""
    if not sig or not _HEX_SIG.fullmatch(sig.lower()):
        return False
    return hmac.compare_digest(_signature(export_id, expires).encode(), sig.lower().encode())


def check_export_signature(export_id: uuid.UUID | str, expires: int, sig: str | None,
                           now: datetime | None = None) -> bool:
    """True if the signature is genuine and the link has not expired."""
    now = now or utcnow()
    return signature_matches(export_id, expires, sig) and now.timestamp() < int(expires)


def _parse_expires(expires: str | int | None) -> int | None:
    if isinstance(expires, int):
        return expires
    if expires is None or not _UNIX.fullmatch(expires):
        return None
    return int(expires)


def export_page_link(export_id: uuid.UUID | str, expires_at: datetime, *, lang: object) -> str:
    """The download page (what is inside, until when, view or download) behind the same signature."""
    expires = int(expires_at.timestamp())
    return centre_url(f"/privacy/exports/{uuid.UUID(str(export_id))}", lang=lang, expires=expires,
                      sig=_signature(export_id, expires))


def check_export(session: Session, *, export_id: uuid.UUID, expires: str | int | None, sig: str | None,
                 now: datetime | None = None, lock: bool = False) -> AccessExport:
    """The export behind a signed link, not counted as a download; raises ExportNotFound (bad
    link or unknown id) or ExportExpired (genuine but too late)."""
    now = now or utcnow()
    expires_at = _parse_expires(expires)
    if expires_at is None or not signature_matches(export_id, expires_at, sig):
        log.info("access_export.download_refused", reason="signature")
        raise ExportNotFound()
    export = session.get(AccessExport, export_id, with_for_update=lock)
    if export is None:
        log.info("access_export.download_refused", reason="unknown")
        raise ExportNotFound()
    if now.timestamp() >= expires_at or now >= export.expires_at:
        log.info("access_export.download_refused", export_id=str(export.id), reason="expired")
        raise ExportExpired()
    return export


def open_export(session: Session, *, export_id: uuid.UUID, expires: str | int | None, sig: str | None,
                client_ip: str | None, now: datetime | None = None) -> AccessExport:
    """The export behind a signed link, with the download counted and logged (see check_export)."""
    now = now or utcnow()
    export = check_export(session, export_id=export_id, expires=expires, sig=sig, now=now, lock=True)
    export.downloads += 1
    session.add(export)
    session.add(ExportDownload(export_id=export.id, at=now, client_hash=keyed_hash(client_ip) if client_ip else None))
    session.flush()
    log.info("access_export.downloaded", export_id=str(export.id), downloads=export.downloads)
    return export


def export_contents(export: AccessExport) -> list[tuple[str, int]]:
    """The files in the export's zip and their sizes in bytes (for the download page)."""
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        return [(info.filename, info.file_size) for info in archive.infolist()]


def readable_answer(export: AccessExport) -> str:
    """The export's answer.html, to show in the browser (self-contained, no scripts)."""
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        return archive.read("answer.html").decode()
