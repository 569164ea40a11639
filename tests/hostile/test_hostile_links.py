"""Tampering with the links that open without a login: an access export's download link, a
partner's transfer download link and a campaign's unsubscribe token. Path traversal (plain and
percent-encoded), altered signatures and expiry times, someone else's id with a genuine
signature, expired links: 404 (or 410 for a genuine link past its time, 422 for a path that is
not even an id), never a file and never data. Also: a formula in the register reaches a
partner's CSV file neutralised (shared/common/csv_safety.py)."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy import delete
from sqlmodel import Session

from support import auth
from shared.campaigns.unsubscribe import sign_token
from shared.jobs.runner import run_job
from shared.models import AccessExport, SubjectRequest, utcnow
from shared.partners import delivery
from shared.subject_requests.links import sign_export_link
from shared.transfers.service import run_transfer_job
from factories import PROVENANCE

FORMULA = "=cmd|' /C calc'!A0"
ZIP_MAGIC = b"PK"
TRAVERSALS = ["../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "..%252f..%252fetc%252fpasswd", "....//....//etc/passwd", "%2e%2e/%2e%2e/pyproject.toml",
              "..\\..\\pyproject.toml", "/etc/passwd", "%00", ".", ".."]


def _refused(response, *, allowed=(404, 422)) -> None:
    assert response.status_code in allowed, (response.status_code, response.text[:200])
    assert not response.content.startswith(ZIP_MAGIC)
    assert b"root:" not in response.content and b"[project]" not in response.content
    assert "attachment" not in response.headers.get("content-disposition", "")


def _path_and_query(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def _other_sig(sig: str) -> str:
    return ("0" if sig[0] != "0" else "1") + sig[1:]


# -- access exports ---------------------------------------------------------------------------

@pytest.fixture
def export(engine):
    now = utcnow()
    with Session(engine, expire_on_commit=False) as s:
        request = SubjectRequest(kind="access", status="completed", due_at=now + timedelta(days=30))
        s.add(request)
        s.flush()
        stored = AccessExport(request_id=request.id, content=ZIP_MAGIC + b"\x05\x06" + bytes(18), sha256="0" * 64,
                              created_at=now, expires_at=now + timedelta(days=7))
        s.add(stored)
        s.commit()
    yield stored
    with Session(engine) as s:
        s.exec(delete(SubjectRequest).where(SubjectRequest.id == request.id))
        s.commit()


def test_export_links_refuse_tampering_and_traversal(api, export):
    path, query = _path_and_query(sign_export_link(export.id, expires_at=export.expires_at))
    genuine = api.get(path, params=query)
    assert genuine.status_code == 200 and genuine.content.startswith(ZIP_MAGIC)  # the baseline: links work
    other = uuid.uuid4()
    for tampered in [
        {**query, "sig": _other_sig(query["sig"])},
        {**query, "expires": str(int(query["expires"]) + 3600)},  # a longer life, same signature
        {"expires": query["expires"]},
        {"sig": query["sig"]},
        {},
        {**query, "sig": query["sig"] + "00"},
        {**query, "sig": query["sig"].upper() + "'; --"},
    ]:
        _refused(api.get(path, params=tampered), allowed=(404,))
    _refused(api.get(f"/public/exports/{other}", params=query), allowed=(404,))  # another id, a genuine sig
    foreign = sign_export_link(other, expires_at=export.expires_at)  # a genuine link to nothing
    _refused(_open(api, foreign), allowed=(404,))
    for attack in TRAVERSALS:
        _refused(api.get(f"/public/exports/{attack}", params=query))
        if attack != ".":  # `{id}/.` is the genuine link itself once the client normalizes the path
            _refused(api.get(f"/public/exports/{export.id}/{attack}", params=query))
    expired = sign_export_link(export.id, expires_at=utcnow() - timedelta(seconds=1))
    _refused(_open(api, expired), allowed=(404, 410))


def _open(api, url: str):
    path, query = _path_and_query(url)
    return api.get(path, params=query)


# -- transfer downloads -------------------------------------------------------------------------

@pytest.fixture
def transfer_link(api, role_tokens) -> tuple[str, dict, str]:
    privacy, sales = auth(role_tokens["privacy"]), auth(role_tokens["sales"])
    partner = api.post("/v1/partners", headers=privacy, json={
        "name": f"Kumppani {uuid.uuid4().hex[:8]} Oy", "role": "recipient", "agreement_reference": "SOP-8",
        "agreement_signed_on": "2026-01-01", "purposes": ["billing"], "fields": ["first_name", "last_name", "email"],
        "delivery": "download", "notify_email": "tiedostot@kumppani.example"}).json()
    company = api.post("/v1/companies", headers=sales, json={"name": f"Kaava {uuid.uuid4().hex[:6]} Oy",
                                                              "status": "customer", **PROVENANCE}).json()
    person = api.post("/v1/contacts", headers=sales, json={
        "first_name": FORMULA, "last_name": "+1+1", "email": f"kaava.{uuid.uuid4().hex[:8]}@example.fi",
        "company_id": company["id"], **PROVENANCE})
    assert person.status_code == 201, person.text
    transfer = api.post("/v1/transfers", headers=privacy, json={
        "partner_id": partner["id"], "purpose": "billing", "selection": {"company_ids": [company["id"]]}}).json()
    assert run_job(transfer["job_id"], run_transfer_job) == "succeeded"
    path, query = _path_and_query(transfer["download_url"])  # shown once, at creation
    return path, query, transfer["id"]


def test_transfer_links_refuse_tampering_and_traversal_and_the_file_is_neutralised(api, transfer_link):
    path, query, transfer_id = transfer_link
    for tampered in [{**query, "sig": _other_sig(query["sig"])}, {**query, "expires": str(int(query["expires"]) + 1)},
                     {"expires": query["expires"]}, {"sig": query["sig"]}, {}]:
        _refused(api.get(path, params=tampered), allowed=(404,))
    _refused(api.get(f"/public/transfers/{uuid.uuid4()}/file", params=query), allowed=(404,))
    for attack in TRAVERSALS:
        _refused(api.get(f"/public/transfers/{attack}/file", params=query), allowed=(404, 422))
        _refused(api.get(f"/public/transfers/{transfer_id}/{quote(attack, safe='%')}", params=query),
                 allowed=(404, 405))
    expired = delivery.download_link(uuid.UUID(transfer_id), expires_at=utcnow() - timedelta(seconds=1))
    _refused(_open(api, expired), allowed=(410,))
    genuine = api.get(path, params=query)
    assert genuine.status_code == 200, genuine.text
    [row] = list(csv.DictReader(io.StringIO(genuine.text)))
    assert (row["first_name"], row["last_name"]) == ("'" + FORMULA, "'+1+1")  # shown as text, not run


# -- unsubscribe tokens -------------------------------------------------------------------------

def test_unsubscribe_tokens_refuse_tampering_and_traversal(api):
    token = sign_token(campaign_id=2_000_000_000, contact_id=2_000_000_001, list_id=2_000_000_002)
    campaign, contact, list_id, sig = token.split(".")
    page = api.get(f"/public/unsubscribe/{token}")
    assert page.status_code == 200 and 'name="action"' in page.text  # the baseline: a genuine token opens the preference page
    forged = [
        f"{campaign}.{int(contact) + 1}.{list_id}.{sig}",  # someone else, the first person's signature
        f"{campaign}.{contact}.{list_id}.{_other_sig(sig)}",
        f"{campaign}.{contact}.{list_id}.{sig.upper()}",
        f"{campaign}.{contact}.{list_id}.{sig[:-1]}",
        f"{campaign}.{contact}.{list_id}",
        *(f"{quote(attack, safe='')}.{sig}" for attack in TRAVERSALS),
    ]
    for token in forged:
        for method in ("GET", "POST"):
            response = api.request(method, f"/public/unsubscribe/{token}",
                                   data={"List-Unsubscribe": "One-Click"} if method == "POST" else None)
            assert response.status_code in (404, 422), (method, token, response.status_code)
            assert 'name="action"' not in response.text and "Kiitos" not in response.text
    for attack in TRAVERSALS:
        response = api.get(f"/public/unsubscribe/{attack}")
        assert response.status_code in (404, 422) and 'name="action"' not in response.text
    assert re.fullmatch(r"[0-9a-f]{32}", sig)
