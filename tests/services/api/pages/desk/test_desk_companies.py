"""Company pages on the desk through the app on real PostgreSQL: a new company with its provenance
(a missing one shown at its field), its likely duplicates before saving, a business ID already
taken shown at its field, an edit that meets someone else's save, the change history, and the
company's contact persons in the access log."""

from __future__ import annotations

import re

from sqlmodel import Session, select

import factories
from desk_register_rows import committed
from desk_support import csrf, hidden_fields, make_staff, sign_in
from shared.models import AccessRecord, Company, Role

PROVENANCE = {"legal_basis": "customer_relationship", "purposes": "sales_marketing", "source": "public_register"}


def test_a_new_company_needs_its_provenance_and_is_warned_of_its_likely_duplicate(desk_client, engine):
    twin = committed(engine, lambda s: factories.company(
        s, name="Kajaanin Konepaja Oy", business_id="1086291-5", website="https://konepaja.example.fi",
        street_address="Pakkastie 7", postal_code="87100", city="Kajaani"))
    sign_in(desk_client, make_staff(engine, Role.marketing))
    form = desk_client.get("/desk/companies/new?lang=sv")
    assert form.status_code == 200
    values = {"csrf": csrf(form.text), "name": "Kajaanin Konepaja", "status": "prospect", "owner": "Jetmasters Oy",
              "country": "FI", "website": "https://konepaja.example.fi", "street_address": "Pakkastie 7",
              "postal_code": "87100", "city": "Kajaani"}
    bad = desk_client.post("/desk/companies/new?lang=sv", data={**values, "business_id": "1086291-4"})
    assert bad.status_code == 422 and 'id="business_id-error"' in bad.text and 'id="legal_basis-error"' in bad.text
    assert 'value="Kajaanin Konepaja"' in bad.text
    taken = desk_client.post("/desk/companies/new?lang=en", data={**values, **PROVENANCE, "business_id": "1086291-5",
                                                                 "confirm": "yes"})
    assert taken.status_code == 409 and 'id="business_id-error"' in taken.text
    warned = desk_client.post("/desk/companies/new?lang=en", data={**values, **PROVENANCE}, follow_redirects=False)
    assert warned.status_code == 200 and f'href="/desk/companies/{twin.id}?lang=en"' in warned.text
    saved = desk_client.post("/desk/companies/new?lang=en", follow_redirects=False,
                             data={**values, **PROVENANCE, "checked": "yes", "confirm": "yes"})
    assert saved.status_code == 303
    new_id = int(re.search(r"/desk/companies/(\d+)", saved.headers["location"]).group(1))
    with Session(engine) as s:
        made = s.get(Company, new_id)
    assert made.name == "Kajaanin Konepaja" and made.source == "public_register" and made.business_id is None


def test_an_edit_meets_a_save_made_meanwhile_and_the_history_shows_the_change(desk_client, engine):
    company = committed(engine, lambda s: factories.company(s, city="Kajaani"))
    sign_in(desk_client, make_staff(engine, Role.sales))
    form = desk_client.get(f"/desk/companies/{company.id}/edit?lang=fi")
    values = {**hidden_fields(form.text), "name": company.name, "status": "customer", "owner": "Jetmasters Oy",
              "country": "FI", "city": "Oulu", **PROVENANCE}
    with Session(engine) as s:
        row = s.get(Company, company.id)
        row.city, row.version = "Kuopio", row.version + 1
        s.add(row)
        s.commit()
    clash = desk_client.post(f"/desk/companies/{company.id}/edit?lang=fi", data=values)
    assert clash.status_code == 409 and "Oulu" in clash.text and "Kuopio" in clash.text
    with Session(engine) as s:
        assert s.get(Company, company.id).city == "Kuopio"
    done = desk_client.post(f"/desk/companies/{company.id}/edit?lang=fi", follow_redirects=False,
                            data={**values, **hidden_fields(clash.text)})
    assert done.status_code == 303
    page = desk_client.get(f"/desk/companies/{company.id}?lang=fi")
    assert page.status_code == 200 and "Oulu" in page.text and "asiakas" in page.text
    with Session(engine) as s:
        row = s.get(Company, company.id)
    assert row.city == "Oulu" and row.status == "customer" and row.source == "public_register"


def test_the_company_page_lists_its_people_and_logs_them(desk_client, engine):
    company, person = committed(engine, lambda s: (c := factories.company(s), factories.contact(s, company=c)))
    staff = make_staff(engine, Role.privacy)
    sign_in(desk_client, staff)
    page = desk_client.get(f"/desk/companies/{company.id}?lang=en")
    assert f'href="/desk/contacts/{person.id}?lang=en"' in page.text
    assert f"/desk/companies/{company.id}/edit" not in page.text  # privacy reads only
    assert desk_client.get(f"/desk/companies/{company.id}/edit?lang=en").status_code == 403
    with Session(engine) as s:
        read = s.exec(select(AccessRecord).where(AccessRecord.user_id == staff.id,
                                                 AccessRecord.route == "GET /desk/companies/{company_id}")).one()
    assert read.contact_ids == [person.id]
