"""The person page through the app on real PostgreSQL: everything held in the access answer's
order with the mail server's answers, the read in the access log, the actions with their reasons
(a missing one shown next to its field), an objection by phone recorded as by phone, the
restriction told and then lifted, the CSRF token and the role table."""

from __future__ import annotations

from sqlmodel import Session, select

from desk_register_rows import person
from desk_support import csrf, make_staff, sign_in
from shared.models import AccessRecord, Contact, EmailMessage, Role, SubjectRequest, utcnow


def _officer(desk_client, engine):
    staff = make_staff(engine, Role.privacy)
    sign_in(desk_client, staff)
    return staff


def test_the_page_shows_everything_in_the_answers_order_and_logs_the_read(desk_client, engine):
    someone = person(engine)
    officer = _officer(desk_client, engine)
    found = desk_client.get(f"/desk/people?q={someone.last_name}&lang=en")
    assert f'href="/desk/people/{someone.id}?lang=en"' in found.text
    page = desk_client.get(f"/desk/people/{someone.id}?lang=en")
    assert page.status_code == 200
    order = [page.text.index(f'id="{c}"') for c in ("contact", "company", "consents", "objections", "restriction",
                                                    "change_history", "access_log", "emails", "campaigns")]
    assert order == sorted(order)
    assert "Syyskampanja" in page.text and "250 2.0.0 Ok: queued as X7" in page.text
    assert "Legal basis" in page.text and "Customer relationship" in page.text  # the answer's own notice texts
    with Session(engine) as s:
        reads = s.exec(select(AccessRecord).where(AccessRecord.user_id == officer.id)).all()
    routes = {r.route: r.contact_ids for r in reads}
    assert routes["GET /desk/people/{contact_id}"] == [someone.id] and someone.id in routes["GET /desk/people"]


def test_an_objection_by_phone_needs_a_reason_and_is_recorded_as_by_phone(desk_client, engine):
    someone = person(engine)
    _officer(desk_client, engine)
    page = desk_client.get(f"/desk/people/{someone.id}?lang=fi")
    bad = desk_client.post(f"/desk/people/{someone.id}/objection?lang=fi",
                           data={"csrf": csrf(page.text), "objection_scope": "direct_marketing", "channel": "phone",
                                 "verification_method": "soitin takaisin", "reason": "lyhyt"})
    assert bad.status_code == 422 and 'id="reason-error"' in bad.text and "vähintään 10 merkkiä" in bad.text
    assert 'value="soitin takaisin"' in bad.text  # nothing typed is lost
    done = desk_client.post(f"/desk/people/{someone.id}/objection?lang=fi", follow_redirects=False,
                            data={"csrf": csrf(page.text), "objection_scope": "direct_marketing", "channel": "phone",
                                  "verification_method": "soitin takaisin", "reason": "Soitti ja kielsi markkinoinnin"})
    assert done.status_code == 303 and done.headers["location"].startswith("/desk/requests/")
    with Session(engine) as s:
        contact = s.get(Contact, someone.id)
        request = s.exec(select(SubjectRequest).where(SubjectRequest.contact_id == someone.id)).one()
    assert contact.objects_direct_marketing_at is not None and contact.objects_direct_marketing_channel == "phone"
    assert request.channel == "phone" and request.kind == "objection" and request.note == "Soitti ja kielsi markkinoinnin"
    again = desk_client.get(f"/desk/people/{someone.id}?lang=fi")
    assert 'id="worked"' in again.text and f'href="/desk/requests/{request.id}?lang=fi"' in again.text


def test_a_restriction_is_made_told_and_then_lifted(desk_client, engine):
    someone = person(engine)
    _officer(desk_client, engine)
    token = csrf(desk_client.get(f"/desk/people/{someone.id}?lang=en").text)
    made = desk_client.post(f"/desk/people/{someone.id}/restrict?lang=en", follow_redirects=False, data={
        "csrf": token, "channel": "letter", "verification_method": "signed letter", "reason": "Disputes the data"})
    assert made.status_code == 303
    page = desk_client.get(f"/desk/people/{someone.id}?lang=en")
    assert "Processing is restricted." in page.text and "/lift-notice" in page.text and "/lift?" not in page.text
    told = desk_client.post(f"/desk/people/{someone.id}/lift-notice?lang=en", follow_redirects=False,
                            data={"csrf": token, "reason": "The data was checked and is correct"})
    assert told.status_code == 303
    with Session(engine) as s:
        mails = s.exec(select(EmailMessage).where(EmailMessage.contact_id == someone.id,
                                                  EmailMessage.created_at > utcnow().replace(year=2000))).all()
    assert any("The data was checked and is correct" in m.body_text for m in mails)
    lifted = desk_client.post(f"/desk/people/{someone.id}/lift?lang=en", follow_redirects=False,
                              data={"csrf": token, "reason": "Told on the phone too, lifted"})
    assert lifted.status_code == 303
    with Session(engine) as s:
        assert s.get(Contact, someone.id).restricted_at is None


def test_no_token_no_action_and_other_roles_see_nothing(desk_client, engine):
    someone = person(engine)
    _officer(desk_client, engine)
    refused = desk_client.post(f"/desk/people/{someone.id}/erasure?lang=en", data={"reason": "Poista kaikki tiedot"})
    assert refused.status_code == 403
    with Session(engine) as s:
        assert s.exec(select(SubjectRequest).where(SubjectRequest.contact_id == someone.id)).first() is None
    desk_client.cookies.clear()
    sign_in(desk_client, make_staff(engine, Role.sales))
    page = desk_client.get(f"/desk/people/{someone.id}?lang=en")
    assert page.status_code == 403 and someone.last_name not in page.text


def test_an_admin_reads_the_page_after_a_reason_but_gets_no_action(desk_client, engine):
    someone = person(engine)
    admin = make_staff(engine, Role.admin)
    sign_in(desk_client, admin)
    form = desk_client.get(f"/desk/people/{someone.id}?lang=en")
    assert form.status_code == 403 and someone.last_name not in form.text
    desk_client.post("/desk/reason", data={"csrf": csrf(form.text), "reason": "Tukipyyntö 4712: tarkistus",
                                           "next": f"/desk/people/{someone.id}"})
    page = desk_client.get(f"/desk/people/{someone.id}?lang=en")
    assert page.status_code == 200 and someone.last_name in page.text and "/restrict?" not in page.text
    with Session(engine) as s:
        reads = s.exec(select(AccessRecord).where(AccessRecord.user_id == admin.id,
                                                  AccessRecord.route == "GET /desk/people/{contact_id}")).all()
    assert reads and {(r.reason, tuple(r.contact_ids)) for r in reads} == {("Tukipyyntö 4712: tarkistus", (someone.id,))}
