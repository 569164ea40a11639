"""Creating a contact or company through the API answers with its likely duplicates: a warning
(ids, scores, which fields agreed — never the values), never a refusal; through indexes only."""

from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import text

from support import auth
from shared.dedup.blocking import Probe, probe_query
from testdata.business_ids import valid_business_id
from factories import PROVENANCE


def _company(api, token, **fields) -> dict:
    response = api.post("/v1/companies", json={**PROVENANCE, **fields}, headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()


def _contact(api, token, **fields) -> dict:
    response = api.post("/v1/contacts", json={**PROVENANCE, **fields}, headers=auth(token))
    assert response.status_code == 201, response.text
    return response.json()


def test_a_new_contact_is_warned_of_its_twin_and_created_all_the_same(api, role_tokens):
    token, tag = role_tokens["sales"], uuid.uuid4().hex[:8]
    company = _company(api, token, name=f"Kajaanin Kone {tag} Oy")
    phone = f"+35840{random.randrange(1_000_000, 9_999_999)}"
    first = _contact(api, token, first_name="Aino", last_name=f"Järvinen{tag}", email=f"aino.jarvinen{tag}@kone.fi",
                     phone=phone, company_id=company["id"])
    assert first["duplicates"] == []
    twin = _contact(api, token, first_name="Jarvinen" + tag, last_name="Aino", email=f"aino.jarvinen{tag}@gmail.com",
                    phone=phone, company_id=company["id"])
    [warning] = twin["duplicates"]
    assert warning["id"] == first["id"] and 0.9 < warning["score"] <= 1
    agreed = {r["field"]: r["level"] for r in warning["reasons"]}
    assert agreed["phone"] == "exact" and agreed["first_name"].startswith("swapped_")
    assert agreed["email"].startswith("local_part") and all(isinstance(r["weight"], float) for r in warning["reasons"])
    assert "Aino" not in str(warning) and tag not in str(warning)
    assert api.get(f"/v1/contacts/{twin['id']}", headers=auth(token)).status_code == 200  # created: warned, not blocked
    other = _contact(api, token, first_name="Eero", last_name=f"Virtanen{tag}", company_id=company["id"],
                     email=f"eero.virtanen{tag}@kone.fi")
    assert other["duplicates"] == []


def test_a_nickname_at_the_same_company_is_a_likely_duplicate(api, role_tokens):
    token, tag = role_tokens["marketing"], uuid.uuid4().hex[:8]
    company = _company(api, token, name=f"Oulun Sähkö {tag} Oy")
    first = _contact(api, token, first_name="Matias", last_name=f"Korhonen{tag}", company_id=company["id"],
                     email=f"matias.korhonen{tag}@sahko.fi", position="Myyntipäällikkö")
    again = _contact(api, token, first_name="Matti", last_name=f"Korhonen{tag}", company_id=company["id"],
                     email=f"matti.korhonen{tag}@sahko.fi", position="Myyntipäällikkö")
    assert [d["id"] for d in again["duplicates"]] == [first["id"]]
    assert {r["field"]: r["level"] for r in again["duplicates"][0]["reasons"]}["first_name"] == "nickname"


def test_a_new_company_is_warned_across_legal_forms_but_never_across_business_ids(api, role_tokens):
    token, tag = role_tokens["sales"], uuid.uuid4().hex[:8]
    site = f"https://www.kone{tag}.fi"
    first = _company(api, token, name=f"Kajaanin Kone{tag} Oy", website=site, city="Kajaani",
                     business_id=valid_business_id(random.randrange(10**6, 9 * 10**6)))
    assert first["duplicates"] == []
    again = _company(api, token, name=f"KAJAANIN KONE{tag.upper()} OYJ", city="Kajaani", website=f"kone{tag}.fi")
    assert [d["id"] for d in again["duplicates"]] == [first["id"]]
    assert {r["field"] for r in again["duplicates"][0]["reasons"]} >= {"name", "domain", "city"}
    other = _company(api, token, name=f"Kajaanin Kone{tag} Oy", website=site, city="Kajaani",
                     business_id=valid_business_id(random.randrange(10**6, 9 * 10**6)))
    assert first["id"] not in [d["id"] for d in other["duplicates"]]  # another business ID: never the same
    assert again["id"] in [d["id"] for d in other["duplicates"]]


@pytest.mark.parametrize("entity, probe", [
    ("contacts", Probe(id=1, email="aino.jarvinen@kone.fi", phone="+358401234567", first_f="aino",
                       last_f="jarvinen", company_id=7)),
    ("companies", Probe(id=1, business_id="1086291-5", domain="kone.fi", name="Kajaanin Kone Oy")),
])
def test_the_check_on_create_reads_through_indexes(engine, entity, probe):
    """Every branch of the check's query can use an index: with sequential scans priced out, the
    plan holds none (the plan, not a timing: speed is measured in bench/dedup.py)."""
    query, params = probe_query(entity, [probe])
    with engine.connect() as conn, conn.begin():
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(row[0] for row in conn.execute(text("EXPLAIN " + query), params))
    assert f"Seq Scan on {entity}" not in plan and plan.count("Index") >= 3, plan


@pytest.mark.parametrize("with_email", [True, False])
def test_a_nickname_with_folded_diacritics_and_the_same_phone_at_the_same_company_is_warned(api, role_tokens,
                                                                                           with_email):
    """Jussi Järvinen and Juhani Jarvinen, one phone, one company (issue 18): a warning on create,
    with or without their mailboxes (which differ as their first names do)."""
    token, tag = role_tokens["sales"], uuid.uuid4().hex[:8]
    company = _company(api, token, name=f"Järvisen Kone {tag} Oy")
    phone = f"+35850{random.randrange(1_000_000, 9_999_999)}"
    mail = {"email": f"jussi.jarvinen.{tag}@kone{tag}.fi"} if with_email else {}
    first = _contact(api, token, first_name="Jussi", last_name="Järvinen", phone=phone, company_id=company["id"],
                     **mail)
    mail = {"email": f"juhani.jarvinen.{tag}@kone{tag}.fi"} if with_email else {}
    again = _contact(api, token, first_name="Juhani", last_name="Jarvinen", phone=phone, company_id=company["id"],
                     **mail)
    assert first["id"] in [d["id"] for d in again["duplicates"]], again["duplicates"]
    agreed = {r["field"]: r["level"] for r in again["duplicates"][0]["reasons"]}
    assert agreed["first_name"] == "nickname" and agreed["last_name"] == "diacritics" and agreed["phone"] == "exact"
    assert agreed.get("email") == ("nickname" if with_email else None)
