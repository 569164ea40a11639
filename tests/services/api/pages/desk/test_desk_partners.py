"""Partners and transfers on the desk, on real PostgreSQL: agreements ending soon marked in words,
a transfer previewed (counts per rule, nothing written) and then made, a refusal in the reader's
language, the disclosure log read into the access log, and an admin who sees partners only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

import factories
import register_rows
from desk_register_rows import committed
from desk_support import csrf, make_staff, sign_in
from shared.models import AccessRecord, Disclosure, Role, utcnow
from shared.models.partners import Transfer


def _audience(engine):
    def make(s):
        partner = register_rows.partner(s, agreement_expires_on=utcnow().date() + timedelta(days=20))
        newsletter = factories.mailing_list(s)
        people = [factories.contact(s) for _ in range(3)]
        for p in people:
            factories.subscription(s, contact=p, mailing_list=newsletter)
        people[0].restricted_at = utcnow()
        s.add(people[0])
        s.add(Disclosure(contact_id=people[1].id, recipient=partner.name, recipient_kind="partner",
                         purpose="marketing", fields=["email"], kind="deletion", status="pending"))
        return partner, newsletter, people[0]
    return committed(engine, make)


def _transfers(engine, partner_id) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Transfer).where(Transfer.partner_id == partner_id)).one()


def test_a_transfer_is_previewed_then_made(desk_client, engine):
    partner, newsletter, restricted = _audience(engine)
    officer = make_staff(engine, Role.privacy)
    sign_in(desk_client, officer)
    listing = desk_client.get("/desk/partners?lang=en")
    row = listing.text[listing.text.index(partner.name):]
    assert "Expires soon" in row[:1500] and "20 days left" in row[:1500]  # in words, not by colour only
    form = desk_client.get("/desk/transfers/new?lang=en")
    data = {"csrf": csrf(form.text), "partner_id": str(partner.id), "purpose": "marketing",
            "list_ids": str(newsletter.id), "go": "preview"}
    preview = desk_client.post("/desk/transfers/new?lang=en", data=data)
    assert preview.status_code == 200 and "The transfer would send 2 people." in preview.text
    assert "processing restricted: 1" in preview.text and _transfers(engine, partner.id) == 0
    assert f'href="/desk/people/{restricted.id}?lang=en"' in preview.text  # who the rule keeps out, by name
    refused = desk_client.post("/desk/transfers/new?lang=fi", data={**data, "purpose": "research"})
    assert "Sopimus ei kata tätä tarkoitusta" in refused.text and 'value="make"' not in refused.text
    missing = desk_client.post("/desk/transfers/new?lang=en", data={**data, "purpose": ""})
    assert missing.status_code == 422 and 'id="purpose-error"' in missing.text
    made = desk_client.post("/desk/transfers/new?lang=en", data={**data, "go": "make"})
    assert made.status_code == 200 and "The transfer is queued." in made.text and "/public/transfers/" in made.text
    assert _transfers(engine, partner.id) == 1
    log = desk_client.get("/desk/disclosures?lang=en")
    assert log.status_code == 200 and partner.name in log.text and "Waiting to go" in log.text
    with Session(engine) as s:
        assert s.exec(select(AccessRecord).where(AccessRecord.user_id == officer.id,
                                                 AccessRecord.route == "GET /desk/disclosures")).first()
        named = s.exec(select(AccessRecord).where(AccessRecord.user_id == officer.id,
                                                  AccessRecord.route == "POST /desk/transfers/new")).first()
    assert named is not None and restricted.id in named.contact_ids


def test_an_admin_sees_the_partners_but_no_transfer(desk_client, engine):
    partner, _, _ = _audience(engine)
    sign_in(desk_client, make_staff(engine, Role.admin))
    page = desk_client.get("/desk/partners?lang=en")
    assert page.status_code == 200 and partner.name in page.text and "/desk/transfers/new" not in page.text
    assert desk_client.get("/desk/transfers/new?lang=en").status_code == 403  # a reason first
