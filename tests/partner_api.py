"""Partners and contacts made through the API for tests."""

from __future__ import annotations

import uuid
from support import auth
from factories import PROVENANCE


def new_partner(api, token: str, **overrides) -> dict:
    body = {"name": f"Kumppani {uuid.uuid4().hex[:8]} Oy", "role": "recipient", "agreement_reference": "SOP-7",
            "agreement_signed_on": "2026-01-01", "purposes": ["billing", "marketing"],
            "fields": ["first_name", "last_name", "email"], "delivery": "download",
            "notify_email": "tiedostot@kumppani.example", **overrides}
    response = api.post("/v1/partners", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()


def new_contact(api, tokens, **extra) -> dict:
    company = api.post("/v1/companies", json={"name": f"Asiakas {uuid.uuid4().hex[:6]} Oy", "status": "customer",
                                                 **PROVENANCE}, headers=auth(tokens["sales"])).json()
    body = {"first_name": "Maija", "last_name": "Mäkinen", "email": f"maija.{uuid.uuid4().hex[:8]}@example.fi",
            "company_id": company["id"], **PROVENANCE, **extra}
    response = api.post("/v1/contacts", json=body, headers=auth(tokens["sales"]))
    assert response.status_code == 201, response.text
    return response.json()
