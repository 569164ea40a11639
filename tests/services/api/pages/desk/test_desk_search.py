"""The desk's one search box over companies and people, through the app on real PostgreSQL: the
start of a name case- and diacritic-insensitive, an email address, a business ID, a phone
number; pages of results; the query never in the page title; the people found in the access log;
a marketing user refused a privacy page."""

from __future__ import annotations

import re
import uuid

from sqlmodel import Session, select

import factories
from desk_register_rows import committed
from desk_support import make_staff, sign_in
from shared.common.validation import business_id_check_digit
from shared.models import AccessRecord, Role


def test_one_box_finds_by_name_email_business_id_and_phone(desk_client, engine):
    word = "Öhman" + uuid.uuid4().hex[:6]
    digits = f"{uuid.uuid4().int % 10_000_000:07d}"
    while business_id_check_digit(digits) is None:  # a remainder of 1 makes no valid ID
        digits = f"{(int(digits) + 1) % 10_000_000:07d}"
    business_id = f"{digits}-{business_id_check_digit(digits)}"
    company, person = committed(engine, lambda s: (
        c := factories.company(s, name=f"{word} Konepaja Oy", business_id=business_id),
        factories.contact(s, company=c, last_name=word, phone="+358451112233")))
    staff = make_staff(engine, Role.sales)
    sign_in(desk_client, staff)
    by_name = desk_client.get(f"/desk/search?q={word.lower()[:7]}&lang=fi")  # 'öhman…' without its case
    assert by_name.status_code == 200
    assert f'href="/desk/contacts/{person.id}?lang=fi"' in by_name.text
    assert f'href="/desk/companies/{company.id}?lang=fi"' in by_name.text
    folded = desk_client.get(f"/desk/search?q=ohman{word[5:8]}&lang=fi")  # diacritics aside
    assert f'href="/desk/contacts/{person.id}?lang=fi"' in folded.text
    assert word not in by_name.text.split("</title>")[0]
    by_email = desk_client.get("/desk/search", params={"q": person.email.upper(), "lang": "en"})
    assert f'href="/desk/contacts/{person.id}?lang=en"' in by_email.text
    by_business_id = desk_client.get(f"/desk/search?q={business_id}&lang=en")
    assert f'href="/desk/companies/{company.id}?lang=en"' in by_business_id.text
    assert f'href="/desk/contacts/{person.id}?lang=en"' in by_business_id.text
    by_phone = desk_client.get("/desk/search", params={"q": "045 111 2233", "lang": "en"})
    assert f'href="/desk/contacts/{person.id}?lang=en"' in by_phone.text
    with Session(engine) as s:
        reads = s.exec(select(AccessRecord).where(AccessRecord.user_id == staff.id,
                                                  AccessRecord.route == "GET /desk/search")).all()
    assert any(person.id in r.contact_ids for r in reads)


def test_results_come_in_pages(desk_client, engine):
    word = "Sivu" + uuid.uuid4().hex[:6]
    committed(engine, lambda s: [factories.contact(s, last_name=f"{word}{i:02d}") for i in range(23)])
    sign_in(desk_client, make_staff(engine, Role.marketing))
    first = desk_client.get(f"/desk/search?q={word}&lang=en")
    assert len(re.findall(r'href="/desk/contacts/\d+', first.text)) == 20
    more = re.search(r'href="(/desk/search\?[^"]*contacts_after=[^"]*)"', first.text)
    assert more, "no next page link"
    second = desk_client.get(more.group(1).replace("&amp;", "&"))
    assert len(re.findall(r'href="/desk/contacts/\d+', second.text)) == 3


def test_an_address_that_is_not_one_is_shown_at_the_box(desk_client, engine):
    sign_in(desk_client, make_staff(engine, Role.sales))
    bad = desk_client.get("/desk/search?q=maija@&lang=fi")
    assert bad.status_code == 422 and 'id="q-error"' in bad.text and 'value="maija@"' in bad.text


def test_a_marketing_user_is_refused_a_privacy_page(desk_client, engine):
    sign_in(desk_client, make_staff(engine, Role.marketing))
    for path in ("/desk/requests?lang=en", "/desk/people?lang=en", "/desk/breaches?lang=en"):
        refused = desk_client.get(path)
        assert refused.status_code == 403 and "<form" not in refused.text.split("<main")[1].split("</main>")[0]
    assert desk_client.get("/desk/search?lang=en").status_code == 200
