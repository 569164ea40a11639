"""A data subject exercises their rights through the public endpoints and email alone, against
the real processes: api, worker and notifier on PostgreSQL, Redis and an SMTP server."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile

import pytest

from support import running_system, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def system(pg_server, redis_url, tmp_path_factory, request):
    env = {"REKISTERI_NOTIFIER_POLL_SECONDS": "0.2", "REKISTERI_PUBLIC_REQUESTS_PER_CLIENT_PER_HOUR": "1000"}
    with running_system(pg_server, redis_url, tmp_path_factory, request, name="journey",
                        processes=("api", "worker-j", "notifier"), env=env) as services:
        yield services


def _mail_to(system, address: str, subject_part: str, *, after: int = 0):
    """The first message to the address with the subject, among those caught after `after`."""
    def find():
        for message in system.catcher.messages[after:]:
            parsed = message.parsed()
            if parsed["To"] == address and subject_part in parsed["Subject"]:
                return parsed
        return None

    return wait_until(find, timeout=60, message=f"mail '{subject_part}'")


def _verify(system, client, address: str, subject_part: str, *, after: int) -> None:
    mail = _mail_to(system, address, subject_part, after=after)
    path = re.search(r"http://127\.0\.0\.1:\d+(/privacy/verify/[A-Za-z0-9_-]+\?lang=\w\w)", mail.get_content()).group(1)
    assert client.get(path).status_code == 200  # the page: nothing happens yet
    confirmed = client.post(path)
    assert confirmed.status_code == 303 and confirmed.headers["location"].startswith("/privacy/status/")


@pytest.fixture(scope="module")
def person(system) -> dict:
    assert system.cli("users", "create", "--name", "journey-sales", "--role", "sales").returncode == 0
    token = system.cli("tokens", "create", "--user", "journey-sales").stdout.strip()
    email = f"oikeudet.{uuid.uuid4().hex[:8]}@example.fi"
    with system.client(token) as staff:
        created = staff.post("/v1/contacts", json={
            "first_name": "Sanna", "last_name": "Rantanen", "email": email, "phone": "+358501234567",
            "language": "en", "legal_basis": "relevant_connection", "purposes": ["sales_marketing"],
            "source": "directory_service", "source_provider": "Fonecta"})
        assert created.status_code == 201, created.text
    return {"email": email, "id": created.json()["id"], "token": token}


def test_access_by_email_alone(system, person):
    seen = len(system.catcher.messages)
    with system.client() as public:
        assert public.post("/public/requests", json={"kind": "access", "email": person["email"],
                                                     "language": "en"}).status_code == 202
        _verify(system, public, person["email"], "Confirm your request", after=seen)
        ready = _mail_to(system, person["email"], "Your data is ready", after=seen)
        page = re.search(r"http://127\.0\.0\.1:\d+(/privacy/exports/\S+)", ready.get_content()).group(1)
        link = re.search(r'href="(/public/exports/[^"]+)"', public.get(page).text).group(1).replace("&amp;", "&")
        download = public.get(link)
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert {"data.json", "answer.html"} <= set(archive.namelist())
    data = archive.read("data.json").decode()
    assert person["email"] in data and "Fonecta" in data
    assert "Rantanen" in archive.read("answer.html").decode()
    json.loads(data)


def test_objection_by_email_alone(system, person):
    seen = len(system.catcher.messages)
    with system.client() as public:
        public.post("/public/requests", json={"kind": "objection", "objection_scope": "direct_marketing",
                                              "email": person["email"], "language": "en"})
        _verify(system, public, person["email"], "Confirm your request", after=seen)
    _mail_to(system, person["email"], "Your objection is recorded", after=seen)
    with system.client(person["token"]) as staff:
        contact = staff.get(f"/v1/contacts/{person['id']}").json()
    assert contact["objects_direct_marketing_at"] is not None and contact["objects_research_at"] is None


def test_erasure_by_email_alone(system, person):
    seen = len(system.catcher.messages)
    with system.client() as public:
        public.post("/public/requests", json={"kind": "erasure", "email": person["email"], "language": "en"})
        _verify(system, public, person["email"], "Confirm your request", after=seen)
    _mail_to(system, person["email"], "Your data was erased", after=seen)
    with system.client(person["token"]) as staff:
        assert staff.get(f"/v1/contacts/{person['id']}").status_code == 404


def test_no_personal_data_reached_any_log(system, person):
    logs = system.logs()
    assert "http.request" in logs and "job.succeeded" in logs and "email.sent" in logs  # they did log
    for value in (person["email"], "Rantanen", "Sanna", "+358501234567", "0501234567"):
        assert value not in logs
