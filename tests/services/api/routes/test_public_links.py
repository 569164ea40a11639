"""Links in emails reach the API where it really listens: with REKISTERI_API_PORT moved and no
REKISTERI_PUBLIC_BASE_URL, the verification link a person receives opens on that port."""

from __future__ import annotations

import re
import uuid

import httpx
from sqlmodel import Session, select

from shared.models import EmailMessage
from support import Services


def test_emailed_link_follows_the_api_port(services_env, engine, tmp_path):
    services = Services(services_env, tmp_path)
    services.env.pop("REKISTERI_PUBLIC_BASE_URL", None)
    address = f"linkki.{uuid.uuid4().hex[:8]}@example.fi"
    try:
        services.start("api")
        with services.client() as client:
            answer = client.post("/public/requests", json={"kind": "access", "email": address, "language": "fi"})
            assert answer.status_code == 202, answer.text
            with Session(engine) as s:
                [mail] = s.exec(select(EmailMessage).where(EmailMessage.to_address == address)).all()
            link = re.search(r"https?://\S+/privacy/verify/[A-Za-z0-9_-]+", mail.body_text).group(0)
            assert link.startswith(f"http://127.0.0.1:{services.api_port}/privacy/verify/"), link
            assert services.api_port != 8000
            assert httpx.get(link, timeout=30).status_code == 200  # the page behind the link answers
    finally:
        services.stop_all()
