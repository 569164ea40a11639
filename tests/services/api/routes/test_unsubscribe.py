"""The opt-out link on real PostgreSQL: RFC 8058 one-click POST records the objection and the
suppression before answering, idempotently; the GET page only asks; forged links do nothing."""

from __future__ import annotations

from sqlmodel import select

from eligibility_oracle import send_time_reason
from support import auth
from shared.campaigns.messages import render_stored
from shared.campaigns.unsubscribe import sign_token
from shared.db import session_scope
from shared.models import ChangeRecord, Channel, Contact, EmailMessage, Subscription, SubscriptionStatus
from shared.common.suppression import is_suppressed
from campaign_setup import campaign_messages, create_campaign, make_audience, run_build  # noqa: F401

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def sent_campaign(api, token: str, n: int = 2, **fields) -> tuple[dict, dict[int, EmailMessage]]:
    """A started campaign with its audience built: (campaign, {contact id: outbox row})."""
    list_id, _ = make_audience(n)
    campaign = create_campaign(api, token, [list_id], **fields)
    run_build(api.post(f"/v1/campaigns/{campaign['id']}/start", headers=auth(token)).json())
    return campaign, {m.contact_id: m for m in campaign_messages(campaign["id"])}


def link(message: EmailMessage) -> str:
    """The path of the message's one List-Unsubscribe URL (as the notifier renders the message)."""
    with session_scope() as s:
        url = render_stored(s, email_id=message.id).headers["List-Unsubscribe"][1:-1]
    return url[url.index("/public/unsubscribe/"):]


def contact(contact_id: int) -> Contact:
    with session_scope() as s:
        return s.get(Contact, contact_id)


def test_one_click_records_objection_and_suppression_before_answering(api, role_tokens):
    _, messages = sent_campaign(api, role_tokens["marketing"])
    (first_id, first), (other_id, other) = sorted(messages.items())
    response = api.post(link(first), data=ONE_CLICK)
    assert response.status_code == 200
    person = contact(first_id)
    assert person.objects_direct_marketing_at is not None and person.objects_research_at is None
    assert person.objects_direct_marketing_channel == Channel.unsubscribe_link
    with session_scope() as s:
        assert is_suppressed(s, email=first.to_address) and not is_suppressed(s, email=other.to_address)
        history = s.exec(select(ChangeRecord).where(ChangeRecord.contact_id == first_id,
                                                    ChangeRecord.field == "objects_direct_marketing_at")).all()
        assert [h.actor for h in history] == ["subject"]
        assert send_time_reason(s, s.get(EmailMessage, first.id)) == "objected_direct_marketing"
        assert send_time_reason(s, s.get(EmailMessage, other.id)) is None
    again = api.post(link(first), files={"List-Unsubscribe": (None, "One-Click")})  # multipart, as RFC 8058 prefers
    assert again.status_code == 200
    assert contact(first_id).objects_direct_marketing_at == person.objects_direct_marketing_at
    assert api.post(link(first)).status_code == 200  # no body at all: still one click
    assert contact(other_id).objects_direct_marketing_at is None


def test_one_click_on_research_mail_objects_to_research(api, role_tokens):
    _, messages = sent_campaign(api, role_tokens["marketing"], n=1, category="research")
    [(contact_id, message)] = messages.items()
    assert api.post(link(message), data=ONE_CLICK).status_code == 200
    person = contact(contact_id)
    assert person.objects_research_at is not None and person.objects_direct_marketing_at is None
    with session_scope() as s:
        assert is_suppressed(s, email=message.to_address)


def test_the_page_asks_and_its_choices_do_what_they_say(api, role_tokens):
    campaign, messages = sent_campaign(api, role_tokens["marketing"], n=3)
    (leaver, leave_msg), (researchless, research_msg), (objector, object_msg) = sorted(messages.items())
    page = api.get(link(leave_msg))
    assert page.status_code == 200 and page.url.path.startswith("/privacy/preferences/")  # the preference page
    assert all(f'value="{action}"' in page.text for action in ("leave", "object_marketing", "object_research"))
    assert contact(leaver).objects_direct_marketing_at is None  # looking is not acting
    assert api.post(link(leave_msg), data={"choice": "leave_list"}).status_code == 200
    assert api.post(link(research_msg), data={"choice": "research"}).status_code == 200
    assert api.post(link(object_msg), data={"choice": "direct_marketing"}).status_code == 200
    with session_scope() as s:
        [subscription] = s.exec(select(Subscription).where(Subscription.contact_id == leaver,
                                                           Subscription.list_id.in_(campaign["list_ids"]))).all()
        assert subscription.status == SubscriptionStatus.unsubscribed
        assert not is_suppressed(s, email=leave_msg.to_address) and not is_suppressed(s, email=research_msg.to_address)
        assert is_suppressed(s, email=object_msg.to_address)
        assert send_time_reason(s, s.get(EmailMessage, leave_msg.id)) == "not_subscribed"
    assert contact(leaver).objects_direct_marketing_at is None
    no_research = contact(researchless)
    assert no_research.objects_research_at is not None and no_research.objects_direct_marketing_at is None
    assert contact(objector).objects_direct_marketing_at is not None
    assert api.post(link(object_msg), data={"choice": "nonsense"}).status_code == 422


def test_forged_and_test_links_change_nothing(api, role_tokens):
    campaign, messages = sent_campaign(api, role_tokens["marketing"], n=1)
    [(contact_id, message)] = messages.items()
    genuine = link(message)
    forged = genuine[:-1] + ("0" if genuine[-1] != "0" else "1")
    other_person = sign_token(campaign_id=campaign["id"], contact_id=contact_id, list_id=0)[:-32] + "0" * 32
    for path in (forged, f"/public/unsubscribe/{other_person}"):
        assert api.get(path).status_code == 404
        assert api.post(path, data=ONE_CLICK).status_code == 404
    assert api.post("/public/unsubscribe/not-a-token-at-all-but-long-enough-xx", data=ONE_CLICK).status_code == 422
    test_link = f"/public/unsubscribe/{sign_token(campaign_id=campaign['id'], contact_id=0, list_id=0)}"
    assert api.post(test_link, data=ONE_CLICK).status_code == 200
    assert contact(contact_id).objects_direct_marketing_at is None
    with session_scope() as s:
        assert not is_suppressed(s, email=message.to_address)


def test_a_deleted_contact_still_gets_the_address_suppressed(api, role_tokens):
    _, messages = sent_campaign(api, role_tokens["marketing"], n=1)
    [(contact_id, message)] = messages.items()
    opt_out = link(message)  # as the message was sent, before the contact went
    with session_scope() as s:
        s.delete(s.get(Contact, contact_id))
    assert api.post(opt_out, data=ONE_CLICK).status_code == 200
    with session_scope() as s:
        assert is_suppressed(s, email=message.to_address)
