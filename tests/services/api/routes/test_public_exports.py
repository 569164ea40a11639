"""Downloading an access export by its signed link: genuine links work and are logged; tampered,
foreign, unknown and expired links do not, and nothing but a stored export is ever served."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import delete
from sqlmodel import Session, select

from shared.audit.service import Actor
from shared.models import AccessExport, Contact, EmailMessage, ExportDownload, Job, SubjectRequest, utcnow
from shared.subject_requests.access_export import build_access_export
from shared.subject_requests.links import check_export_signature, sign_export_link, signature_matches
from shared.subject_requests.service import keyed_hash

ROUTE = ("GET", "/public/exports/{export_id}")


@pytest.fixture
def stored(engine):
    """Make committed exports on demand; removed (with their requests) afterwards."""
    requests: list[uuid.UUID] = []

    def make(*, expires_in: timedelta = timedelta(days=7), content: bytes = b"PK\x05\x06" + bytes(18)) -> AccessExport:
        now = utcnow()
        with Session(engine, expire_on_commit=False) as s:
            request = SubjectRequest(kind="access", status="completed", due_at=now + timedelta(days=30))
            s.add(request)
            s.flush()
            export = AccessExport(request_id=request.id, content=content, sha256="0" * 64, created_at=now,
                                  expires_at=now + expires_in)
            s.add(export)
            s.commit()
        requests.append(request.id)
        return export

    yield make
    with Session(engine) as s:
        s.exec(delete(SubjectRequest).where(SubjectRequest.id.in_(requests)))
        s.commit()


def path_of(link: str) -> str:
    """The link without scheme and host, as the test api wants it."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def downloads(engine, export_id) -> tuple[int, list[ExportDownload]]:
    with Session(engine) as s:
        rows = list(s.exec(select(ExportDownload).where(ExportDownload.export_id == export_id)).all())
        return s.get(AccessExport, export_id).downloads, rows


def test_links_are_signed_and_expire():
    export_id, later = uuid.uuid4(), utcnow() + timedelta(hours=1)
    link = sign_export_link(export_id, later)
    expires, sig = re.search(r"expires=(\d+)&sig=([0-9a-f]{64})$", link).groups()
    assert link.startswith(f"http://127.0.0.1:8000/public/exports/{export_id}?")
    assert check_export_signature(export_id, int(expires), sig)
    assert check_export_signature(str(export_id), int(expires), sig.upper())
    assert not check_export_signature(export_id, int(expires) + 1, sig), "expiry is signed"
    assert not check_export_signature(uuid.uuid4(), int(expires), sig), "the id is signed"
    assert not check_export_signature(export_id, int(expires), sig[:-1] + ("0" if sig[-1] != "0" else "1"))
    assert not check_export_signature(export_id, int(expires), "é" * 64) and not signature_matches(export_id, 1, None)
    assert not check_export_signature(export_id, int(expires), sig, now=later + timedelta(seconds=1))


def test_a_genuine_link_downloads_the_zip_and_is_logged(api, stored, engine):
    export = stored(content=b"PK\x05\x06" + bytes(18))
    response = api.get(path_of(sign_export_link(export.id, export.expires_at)))
    assert response.status_code == 200 and response.content == export.content
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    count, rows = downloads(engine, export.id)
    assert count == 1 and len(rows) == 1 and rows[0].client_hash == keyed_hash("testclient")
    assert api.get(path_of(sign_export_link(export.id, export.expires_at))).status_code == 200
    assert downloads(engine, export.id)[0] == 2


def test_bad_links_are_404_and_expired_ones_410(api, stored, engine):
    export, old = stored(), stored(expires_in=timedelta(seconds=-5))
    good = path_of(sign_export_link(export.id, export.expires_at))
    base, query = good.split("?")
    expires, sig = re.search(r"expires=(\d+)&sig=([0-9a-f]{64})", query).groups()
    tampered = sig[:10] + ("a" if sig[10] != "a" else "b") + sig[11:]
    other = stored()
    cases = {
        f"{base}?expires={expires}&sig={tampered}": 404,
        f"{base}?expires={int(expires) + 3600}&sig={sig}": 404,  # a longer life is not for sale
        f"{base}?expires={expires}": 404,
        f"{base}?sig={sig}": 404,
        base: 404,
        f"{base}?expires=soon&sig={sig}": 404,
        f"/public/exports/{other.id}?{query}": 404,  # another export with this one's signature
        path_of(sign_export_link(uuid.uuid4(), export.expires_at)): 404,  # genuine signature, no such export
        path_of(sign_export_link(old.id, old.expires_at)): 410,
        path_of(sign_export_link(old.id, old.expires_at)).replace("sig=", "sig=0"): 404,
    }
    for path, expected in cases.items():
        response = api.get(path)
        assert response.status_code == expected, (path, response.status_code, response.text)
        assert response.headers["content-type"] != "application/zip"
    for path in ("/public/exports/..%2F..%2Fetc%2Fpasswd", "/public/exports/../../etc/passwd",
                 "/public/exports/%2e%2e%2f%2e%2e%2fetc%2fpasswd?expires=1&sig=00",
                 "/public/exports/not-a-uuid?expires=1&sig=00"):
        response = api.get(path)
        assert response.status_code in (404, 422), (path, response.status_code)
        assert "root:" not in response.text
    assert downloads(engine, export.id) == (0, []) and downloads(engine, old.id) == (0, [])


def test_the_emailed_link_downloads_the_answer(api, engine):
    """The whole way: a staff-entered access request, the job, the email, the download."""
    from shared.jobs.runner import run_job
    from shared.subject_requests.schemas import StaffRequestCreate
    from shared.subject_requests.service import create_staff_request

    email = f"liisa.{uuid.uuid4().hex[:8]}@example.fi"
    with Session(engine, expire_on_commit=False) as s:
        contact = Contact(first_name="Liisa", last_name="Lataaja", email=email, language="sv", legal_basis="consent",
                          purposes=["sales_marketing"], source="data_subject")
        s.add(contact)
        s.flush()
        request = create_staff_request(s, data=StaffRequestCreate(
            kind="access", email=email, channel="email", verification_method="test", language="sv"),
            actor=Actor(label="system"))
        s.commit()
    try:
        assert run_job(request.job_id, build_access_export) == "succeeded"
        with Session(engine) as s:
            mail = s.exec(select(EmailMessage).where(EmailMessage.to_address == email,
                                                     EmailMessage.subject == "Dina uppgifter kan laddas ner")).one()
        link = re.search(r"https?://\S+/privacy/exports/\S+", mail.body_text).group(0)  # the download page
        page = api.get(path_of(link))
        assert page.status_code == 200 and '<html lang="sv">' in page.text and "Ladda ner" in page.text
        response = api.get(re.search(r'href="(/public/exports/[^"]+)"', page.text).group(1).replace("&amp;", "&"))
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        assert "Lataaja" in archive.read("data.json").decode() and 'lang="sv"' in archive.read("answer.html").decode()
    finally:
        with Session(engine) as s:
            s.exec(delete(EmailMessage).where(EmailMessage.to_address == email))
            s.exec(delete(SubjectRequest).where(SubjectRequest.id == request.id))
            s.exec(delete(Job).where(Job.id == request.job_id))
            s.exec(delete(Contact).where(Contact.id == contact.id))
            s.commit()
