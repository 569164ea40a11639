"""A campaign through the real notifier loop (in-process) to a real SMTP server (aiosmtpd):
objectors, suppressed, restricted and unsubscribed people never receive it, every eligible
person receives it exactly once with the bulk headers, and an objection committed after the
audience was built but before sending wins, with the reason recorded. A person erased and then
imported again from a directory file (and put on the list again) does not get marketing."""

from __future__ import annotations

import email
import email.policy

from sqlmodel import select

from shared.campaigns.audience import build_audience
from shared.campaigns.render import Person, render
from shared.db import session_scope
from shared.models import Company, Contact, EmailCategory, EmailMessage, EmailStatus, Subscription, SubscriptionStatus, utcnow
from shared.models.campaigns import Campaign, CampaignStatus
from shared.outbox.service import enqueue_email
from shared.common.suppression import suppress
from support import wait_until
from campaign_setup import TEMPLATES, campaign_messages, make_audience  # noqa: F401
from notifier_harness import RunningNotifier, empty_outbox, notifier_settings, smtp  # noqa: F401


def _set(contact_id: int, **values) -> None:
    with session_scope() as s:
        contact = s.get(Contact, contact_id)
        for name, value in values.items():
            setattr(contact, name, value)


def test_a_campaign_reaches_exactly_the_eligible_once(services_env, empty_outbox, smtp):  # noqa: F811
    handler, port = smtp
    list_id, ids = make_audience(10)
    eligible, (objector, suppressed, restricted, unsubscribed, late) = ids[:5], ids[5:]
    _set(objector, objects_direct_marketing_at=utcnow())
    _set(restricted, restricted_at=utcnow())
    with session_scope() as s:
        suppress(s, email=s.get(Contact, suppressed).email, reason="complained")
        s.exec(select(Subscription).where(Subscription.contact_id == unsubscribed)).one().status = \
            SubscriptionStatus.unsubscribed
        campaign = Campaign(name="Syyskampanja", category=EmailCategory.marketing, status=CampaignStatus.sending,
                            list_ids=[list_id], sender_name="Jetmasters Oy",
                            sender_email="markkinointi@jetmasters.example",
                            sender_postal_address="Pakkastie 5, 87100 Kajaani", templates=TEMPLATES)
        s.add(campaign)
        s.flush()
        campaign_id = campaign.id
        assert build_audience(s, campaign_id=campaign_id)["recipients"] == 9  # the unsubscribed one is not in it
    _set(late, objects_direct_marketing_at=utcnow())  # committed after the build, before any sending
    built = campaign_messages(campaign_id)
    assert {(m.body_text, m.body_html) for m in built} == {("", None)}  # rendered when claimed
    assert {m.subject for m in built} == {f"Hei Henkilö{i}" for i in range(10) if i != 8}  # 8: unsubscribed
    _set(eligible[0], first_name="Korjattu")  # a rectification after the build: the message has it
    with session_scope() as s:
        transactional = enqueue_email(s, to_address="asiakas@example.fi", from_address="rekisteri@jetmasters.example",
                                      subject="Vahvista", body_text="Linkki").id
    addresses = {m.contact_id: m.to_address for m in campaign_messages(campaign_id)}

    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: all(m.status in (EmailStatus.sent, EmailStatus.skipped)
                               for m in campaign_messages(campaign_id)), message="campaign done")
        wait_until(lambda: len(handler.accepted) == 6, message="all accepted")
    finally:
        notifier.stop()

    received = [email.message_from_bytes(data, policy=email.policy.default) for data in handler.accepted]
    recipients = sorted(m["To"] for m in received)
    assert recipients == sorted([addresses[c] for c in eligible] + ["asiakas@example.fi"])
    reasons = {m.contact_id: m.skip_reason for m in campaign_messages(campaign_id) if m.status == EmailStatus.skipped}
    assert reasons == {objector: "objected_direct_marketing", suppressed: "suppressed", restricted: "restricted",
                       late: "objected_direct_marketing"}
    with session_scope() as s:
        assert s.get(EmailMessage, transactional).status == EmailStatus.sent
    raw = [data for data in handler.accepted if b"List-Unsubscribe:" in data]
    assert len(raw) == 5
    for data, parsed in ((d, email.message_from_bytes(d, policy=email.policy.default)) for d in raw):
        header = data.split(b"List-Unsubscribe: ", 1)[1].split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode()
        assert header.startswith("<http") and header.endswith(">") and header.count("<") == 1
        page = header[1:-1].replace("/public/unsubscribe/", "/privacy/preferences/") + "?lang=fi"
        assert page in parsed.get_content()  # the visible link: the preference page of the same token
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and parsed["Precedence"] == "bulk"
        assert parsed["From"] == "Jetmasters Oy <markkinointi@jetmasters.example>"
    with session_scope() as s:
        campaign = s.get(Campaign, campaign_id)
        for contact_id in eligible:
            contact = s.get(Contact, contact_id)
            [parsed] = [m for m in received if m["To"] == contact.email]
            person = Person(contact_id=contact.id, email=contact.email, first_name=contact.first_name,
                            last_name=contact.last_name, company=s.get(Company, contact.company_id).name,
                            language=contact.language,
                            source=contact.source)
            expected = render(campaign, person, list_id=list_id, source_notice=False)
            body = parsed.get_content().replace("\r\n", "\n").rstrip("\n")
            assert parsed["Subject"] == expected.subject and body == expected.body_text
    assert "Hei Korjattu" in {m["Subject"] for m in received}
    message_ids = [parsed["Message-ID"] for parsed in received]
    assert len(set(message_ids)) == 6


def test_an_erased_person_imported_again_from_a_directory_gets_no_marketing(services_env, empty_outbox, smtp):  # noqa: F811
    """Erasure keeps only a keyed hash of the address; a directory file that brings the person back
    (and a list they are put on again) must not bring them back into marketing."""
    import io
    import uuid

    from shared.imports.schemas import ImportKind, ImportOptions
    from shared.imports.service import import_file
    from shared.subject_requests.erasure import erase_person

    handler, port = smtp
    list_id, ids = make_audience(3)
    with session_scope() as s:
        person = s.get(Contact, ids[0])
        address, first, last = person.email, person.first_name, person.last_name
        erase_person(s, contact_id=ids[0], email=None, request_id=uuid.uuid4())
    directory = f"first_name,last_name,email\n{first},{last},{address.upper()}\n".encode()
    with session_scope() as s:
        summary = import_file(s, kind=ImportKind.contacts, source=io.BytesIO(directory), size=len(directory),
                              options=ImportOptions(legal_basis="relevant_connection", source="directory_service",
                                                    source_provider="Fonecta"), actor="test")
        assert (summary["inserted"], summary["suppressed"]) == (1, 1)
        back = s.exec(select(Contact).where(Contact.email == address)).one()
        assert back.id != ids[0] and back.objects_direct_marketing_at is not None
        s.add(Subscription(list_id=list_id, contact_id=back.id, source="data_subject"))  # put on the list again
        campaign = Campaign(name="Talvikampanja", category=EmailCategory.marketing, status=CampaignStatus.sending,
                            list_ids=[list_id], sender_name="Jetmasters Oy",
                            sender_email="markkinointi@jetmasters.example",
                            sender_postal_address="Pakkastie 5, 87100 Kajaani", templates=TEMPLATES)
        s.add(campaign)
        s.flush()
        campaign_id = campaign.id
        build_audience(s, campaign_id=campaign_id)
    others = {m.to_address for m in campaign_messages(campaign_id) if m.to_address != address}
    assert len(others) == 2

    notifier = RunningNotifier(notifier_settings(port))
    try:
        wait_until(lambda: all(m.status in (EmailStatus.sent, EmailStatus.skipped)
                               for m in campaign_messages(campaign_id)), message="campaign done")
        wait_until(lambda: len(handler.accepted) == 2, message="the two others")
    finally:
        notifier.stop()
    received = sorted(email.message_from_bytes(data, policy=email.policy.default)["To"] for data in handler.accepted)
    assert received == sorted(others)
    for message in campaign_messages(campaign_id):
        if message.to_address == address:
            assert message.status == EmailStatus.skipped
            assert message.skip_reason in ("objected_direct_marketing", "suppressed")
