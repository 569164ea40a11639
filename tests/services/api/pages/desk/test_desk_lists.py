"""Mailing lists on the desk through the app on real PostgreSQL: a list made, a member added pending
until the double opt-in is confirmed, then unsubscribed and removed; someone who objected to
direct marketing refused at the field; a stale change refused as a conflict; the members read in
the access log; privacy reads but does not change."""

from __future__ import annotations

import re
from html import unescape

from sqlmodel import Session, select

import factories
from desk_register_rows import committed
from desk_support import csrf, make_staff, sign_in
from shared.models import AccessRecord, MailingList, Role, Subscription, SubscriptionStatus, utcnow


def _forms(html: str, subscription_id: int) -> dict[str, dict[str, str]]:
    """Each action form of one member: its hidden fields."""
    found = {}
    for action, body in re.findall(rf'action="/desk/subscriptions/{subscription_id}/(\w+)\?lang=\w+"[^>]*>(.*?)</form>',
                                   html, re.S):
        found[action] = {k: unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', body)}
    return found


def test_a_member_is_pending_until_confirmed_then_unsubscribed_and_removed(desk_client, engine):
    person = committed(engine, lambda s: factories.contact(s))
    staff = make_staff(engine, Role.marketing)
    sign_in(desk_client, staff)
    page = desk_client.get("/desk/lists?lang=fi")
    empty = desk_client.post("/desk/lists?lang=fi", data={"csrf": csrf(page.text), "name": ""})
    assert empty.status_code == 422 and 'id="name-error"' in empty.text
    made = desk_client.post("/desk/lists?lang=fi", follow_redirects=False,
                            data={"csrf": csrf(page.text), "name": f"Kevätuutiset {person.id}"})
    assert made.status_code == 303
    list_id = int(re.search(r"/desk/lists/(\d+)", made.headers["location"]).group(1))
    listing = desk_client.get(f"/desk/lists/{list_id}?lang=fi")
    nobody = desk_client.post(f"/desk/lists/{list_id}/members?lang=fi", data={
        "csrf": csrf(listing.text), "contact": "ei.ole@example.fi", "status": "pending", "source": "data_subject"})
    assert nobody.status_code == 422 and 'id="contact-error"' in nobody.text and 'value="ei.ole@example.fi"' in nobody.text
    added = desk_client.post(f"/desk/lists/{list_id}/members?lang=fi", follow_redirects=False, data={
        "csrf": csrf(listing.text), "contact": person.email.upper(), "status": "pending", "source": "data_subject"})
    assert added.status_code == 303
    with Session(engine) as s:
        sub = s.exec(select(Subscription).where(Subscription.list_id == list_id)).one()
    assert sub.status == SubscriptionStatus.pending and sub.confirmed_at is None
    members = desk_client.get(f"/desk/lists/{list_id}?lang=fi")
    assert f'href="/desk/contacts/{person.id}?lang=fi"' in members.text and "odottaa vahvistusta" in members.text.lower()
    forms = _forms(members.text, sub.id)
    assert set(forms) == {"confirm", "unsubscribe", "remove"}
    confirmed = desk_client.post(f"/desk/subscriptions/{sub.id}/confirm?lang=fi", data=forms["confirm"],
                                 follow_redirects=False)
    assert confirmed.status_code == 303
    stale = desk_client.post(f"/desk/subscriptions/{sub.id}/unsubscribe?lang=fi", data=forms["unsubscribe"])
    assert stale.status_code == 409 and "sillä välin" in stale.text  # read before the confirmation
    forms = _forms(stale.text, sub.id)
    assert set(forms) == {"unsubscribe", "remove"}
    assert desk_client.post(f"/desk/subscriptions/{sub.id}/unsubscribe?lang=fi", data=forms["unsubscribe"],
                            follow_redirects=False).status_code == 303
    with Session(engine) as s:
        sub = s.get(Subscription, sub.id)
    assert sub.status == SubscriptionStatus.unsubscribed and sub.confirmed_at and sub.unsubscribed_at
    forms = _forms(desk_client.get(f"/desk/lists/{list_id}?lang=fi").text, sub.id)
    assert desk_client.post(f"/desk/subscriptions/{sub.id}/remove?lang=fi", data=forms["remove"],
                            follow_redirects=False).status_code == 303
    with Session(engine) as s:
        assert s.get(Subscription, sub.id) is None
        reads = s.exec(select(AccessRecord).where(AccessRecord.user_id == staff.id,
                                                  AccessRecord.route == "GET /desk/lists/{list_id}")).all()
    assert any(person.id in r.contact_ids for r in reads)


def test_someone_who_objected_is_refused_at_the_field_and_privacy_only_reads(desk_client, engine):
    objector, mailing_list = committed(engine, lambda s: (
        factories.contact(s, objects_direct_marketing_at=utcnow(), objects_direct_marketing_channel="phone"),
        factories.mailing_list(s)))
    sign_in(desk_client, make_staff(engine, Role.sales))
    page = desk_client.get(f"/desk/lists/{mailing_list.id}?lang=en")
    refused = desk_client.post(f"/desk/lists/{mailing_list.id}/members?lang=en", data={
        "csrf": csrf(page.text), "contact": str(objector.id), "status": "subscribed", "source": "data_subject"})
    assert refused.status_code == 409 and 'id="contact-error"' in refused.text and "objected" in refused.text
    with Session(engine) as s:
        assert s.exec(select(Subscription).where(Subscription.contact_id == objector.id)).first() is None
    desk_client.post("/desk/signout", data={"csrf": csrf(page.text)})
    sign_in(desk_client, make_staff(engine, Role.privacy))
    read = desk_client.get(f"/desk/lists/{mailing_list.id}?lang=en")
    assert read.status_code == 200 and "/members?" not in read.text
    token = csrf(read.text)
    assert desk_client.post(f"/desk/lists/{mailing_list.id}/members?lang=en",
                            data={"csrf": token, "contact": str(objector.id)}).status_code == 403
    assert desk_client.post("/desk/lists?lang=en", data={"csrf": token, "name": "Ei"}).status_code == 403
    with Session(engine) as s:
        assert s.exec(select(MailingList).where(MailingList.name == "Ei")).first() is None
