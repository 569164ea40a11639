"""Merges on the real database: every related row re-points to the survivor, the strictest state
wins, survivorship is recorded, restricted people and different business IDs are refused, and
undo restores the members exactly."""

from __future__ import annotations

import random
import string
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes, record_access
from shared.companies.schemas import CompanyCreate
from shared.companies.service import create_company
from shared.contacts.schemas import ConsentCreate, ContactCreate
from shared.contacts.service import create_contact, grant_consent, record_objection, restrict, withdraw_consent
from shared.dedup.merge import merge_records
from shared.dedup.undo import undo_merge
from shared.feedback.schemas import FeedbackCreate
from shared.feedback.service import create_feedback
from shared.interactions.schemas import InteractionCreate
from shared.interactions.service import create_interaction
from shared.lists.schemas import MailingListCreate, SubscriptionCreate
from shared.lists.service import change_subscription, create_list, subscribe
from shared.models import (Campaign, CampaignRecipient, ChangeRecord, Company, Contact, Disclosure, SubjectRequest,
                           Subscription, Suppression, WebEvent, utcnow)
from shared.models.dedup import DedupMerge
from shared.outbox.service import enqueue_email
from shared.common.errors import Conflict
from shared.common.suppression import email_hash, suppress
from testdata.business_ids import valid_business_id
from shared.web_events.schemas import WebEventIn
from shared.web_events.service import identify_visitor, ingest_events
from factories import PROVENANCE

ACTOR = Actor(label="user:test")
RELATED = ("interactions", "subscriptions", "consents", "feedback", "web_events", "visitor_links", "disclosures",
           "subject_requests", "email_outbox", "campaign_recipients")


def tag() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=8))


def person(s: Session, first: str, last: str, **fields) -> Contact:
    values = {"email": f"{first.lower()}.{uuid.uuid4().hex[:10]}@example.fi", **PROVENANCE, **fields}
    return create_contact(s, data=ContactCreate(first_name=first, last_name=last, **values), actor=ACTOR)


def seed(s: Session, contact: Contact, lists: dict, campaign: Campaign) -> None:
    """Data in every table that points at a contact."""
    grant_consent(s, contact=contact, data=ConsentCreate(purpose="sales_marketing", channel="web", evidence="lomake 1"),
                  actor=ACTOR)
    for name in ("own", "shared"):
        subscribe(s, mailing_list=lists[name] if name == "shared" else lists[f"own-{contact.id}"],
                  data=SubscriptionCreate(contact_id=contact.id, source="data_subject"), actor=ACTOR)
    create_interaction(s, data=InteractionCreate(kind="call", contact_id=contact.id, summary="Puhelu"), actor=ACTOR)
    create_feedback(s, data=FeedbackCreate(channel="email", text="Kiitos", contact_id=contact.id), actor=ACTOR)
    visitor = f"v-{uuid.uuid4().hex}"
    ingest_events(s, site="www.jetmasters.fi", events=[WebEventIn(page="/tuotteet", visitor_id=visitor)])
    identify_visitor(s, visitor_id=visitor, contact_id=contact.id, actor=ACTOR)
    record_access(s, actor=ACTOR, contact_ids=[contact.id], route="/v1/contacts/{id}")
    mail = enqueue_email(s, to_address=contact.email, from_address="info@jetmasters.fi", subject="Tarjous",
                         body_text="Hei!", contact_id=contact.id)
    s.add(CampaignRecipient(campaign_id=campaign.id, contact_id=contact.id, email_id=mail.id))
    s.add(Disclosure(contact_id=contact.id, recipient="Laskutuspalvelu Oy", recipient_kind="partner",
                     purpose="laskutus"))
    s.add(SubjectRequest(kind="access", status="completed", contact_id=contact.id, due_at=utcnow()))
    s.flush()


@pytest.fixture
def pair(session: Session):
    """A survivor and a member (the same person, spelt differently), each with data everywhere."""
    last = f"Mäkinen{tag()}"
    survivor = person(session, "Maija", last, phone="+358401234567", position="ostopäällikkö")
    member = person(session, "Maija", last.replace("ä", "a"), phone="+358401234567")
    campaign = Campaign(name="Syksy", category="marketing", sender_name="Jetmasters Oy",
                        sender_email="info@jetmasters.fi", sender_postal_address="Kajaani")
    session.add(campaign)
    lists = {"shared": create_list(session, data=MailingListCreate(name=f"Uutiset {tag()}"), actor=ACTOR)}
    for c in (survivor, member):
        lists[f"own-{c.id}"] = create_list(session, data=MailingListCreate(name=f"Oma {tag()}"), actor=ACTOR)
        seed(session, c, lists, campaign)
    record_access(session, actor=ACTOR, contact_ids=[survivor.id, member.id], route="/v1/contacts")
    return survivor, member, lists


def related(s: Session, contact_id: int) -> dict[str, list]:
    """Ids of every row pointing at the contact, per table, and the access-log rows naming it."""
    out = {t: sorted(str(r) for r in s.execute(text(f"SELECT {'visitor_id' if t == 'visitor_links' else 'id'} "
                                                    f"FROM {t} WHERE contact_id = :c"), {"c": contact_id}).scalars())
           for t in RELATED}
    out["access_log"] = sorted(s.execute(text("SELECT id FROM access_log WHERE contact_ids @> ARRAY[CAST(:c AS int)]"),
                                         {"c": contact_id}).scalars())
    return out


def row(s: Session, contact_id: int) -> dict:
    s.expire_all()
    return dict(s.execute(text("SELECT * FROM contacts WHERE id = :c"), {"c": contact_id}).mappings().one())


def test_merge_keeps_every_related_row_and_the_strictest_state(session, pair):
    survivor, member, lists = pair
    before = {c.id: related(session, c.id) for c in (survivor, member)}
    early = utcnow() - timedelta(days=30)
    record_objection(session, contact=survivor, direct_marketing=True, research=False, channel="phone", actor=ACTOR)
    apply_changes(session, entity=member, changes={"objects_direct_marketing_at": early,
                                                   "objects_direct_marketing_channel": "letter"}, actor=ACTOR)
    shared_sub = session.exec(select(Subscription).where(Subscription.contact_id == member.id,
                                                         Subscription.list_id == lists["shared"].id)).one()
    change_subscription(session, subscription=shared_sub, changes={"status": "unsubscribed"}, actor=ACTOR)
    suppress(session, email=member.email, reason="unsubscribed")
    member_email = member.email

    merge = merge_records(session, entity="contacts", survivor_id=survivor.id, member_ids=[member.id], actor=ACTOR)

    assert session.get(Contact, member.id) is None
    after = related(session, survivor.id)
    for table, ids in after.items():
        expected = set(before[survivor.id][table]) | set(before[member.id][table])
        if table in ("subscriptions", "campaign_recipients"):  # one per list / campaign: the member's copy folds in
            expected -= {str(i) for i in _removed(merge, table)}
        assert set(ids) == expected, table
    assert related(session, member.id) == {t: [] for t in after}
    merged = row(session, survivor.id)
    assert merged["objects_direct_marketing_at"] == early and merged["objects_direct_marketing_channel"] == "letter"
    statuses = dict(session.execute(text("SELECT list_id, status FROM subscriptions WHERE contact_id = :c"),
                                    {"c": survivor.id}).all())
    assert statuses[lists["shared"].id] == "unsubscribed"  # the most protective of the two
    hashes = set(session.exec(select(Suppression.email_hash)).all())
    assert {email_hash(member_email), email_hash(merged["email"])} <= hashes
    history = session.exec(select(ChangeRecord).where(ChangeRecord.reason == f"dedup-merge:{merge.id}")).all()
    assert {h.action for h in history} == {"merge"} and {h.contact_id for h in history} == {survivor.id}
    assert {"merged_contact", "survivorship", "objects_direct_marketing_at"} <= {h.field for h in history}
    assert merge.choices["objects_direct_marketing_at"] == {"from": member.id, "rule": "most_protective"}


def _removed(merge: DedupMerge, table: str) -> list[int]:
    return [r["id"] for r in merge.snapshot["removed"].get(table, [])]


def test_a_withdrawal_covers_the_twins_earlier_consent(session, pair):
    survivor, member, _ = pair
    consent = session.exec(select(text("id")).select_from(text("consents")).where(
        text(f"contact_id = {survivor.id}"))).one()
    withdraw_consent(session, contact=survivor, consent_id=consent, actor=ACTOR)
    merge_records(session, entity="contacts", survivor_id=survivor.id, member_ids=[member.id], actor=ACTOR)
    active = session.execute(text("SELECT count(*) FROM consents WHERE contact_id = :c AND withdrawn_at IS NULL"),
                             {"c": survivor.id}).scalar_one()
    assert active == 0


def test_survivorship_most_recent_source_priority_and_the_reviewers_choice(session):
    last = f"Korpela{tag()}"
    old = person(session, "Eero", last, phone="+358401111111", position="CEO", source="directory_service")
    new = person(session, "Eero", last, phone="+358402222222", position="toimitusjohtaja", source="data_subject",
                 legal_basis="consent")
    apply_changes(session, entity=old, changes={"phone": "+358403333333"}, actor=ACTOR)  # the newest phone
    merge = merge_records(session, entity="contacts", survivor_id=old.id, member_ids=[new.id], actor=ACTOR,
                          choices={"position": old.id})
    merged = row(session, old.id)
    assert (merged["phone"], merged["position"], merged["source"], merged["legal_basis"]) == (
        "+358403333333", "CEO", "data_subject", "consent")
    assert merge.choices["phone"] == {"from": old.id, "rule": "most_recent"}
    assert merge.choices["position"] == {"from": old.id, "rule": "reviewer"}
    assert merge.choices["source"] == {"from": new.id, "rule": "source_priority"}


def test_a_restricted_person_is_merged_only_when_allowed_and_never_automatically(session):
    last = f"Laine{tag()}"
    a, b = person(session, "Aino", last), person(session, "Aino", last)
    restrict(session, contact=b, reason="oikeellisuus kiistetty", actor=ACTOR)
    with pytest.raises(Conflict, match="restriction"):
        merge_records(session, entity="contacts", survivor_id=a.id, member_ids=[b.id], actor=ACTOR)
    with pytest.raises(Conflict, match="restriction"):
        merge_records(session, entity="contacts", survivor_id=a.id, member_ids=[b.id], actor=ACTOR,
                      allow_restricted=True, automatic=True)
    merge_records(session, entity="contacts", survivor_id=a.id, member_ids=[b.id], actor=ACTOR, allow_restricted=True)
    assert row(session, a.id)["restricted_at"] is not None  # the restriction holds for the merged record


def _company(s: Session, name: str, **fields) -> Company:
    return create_company(s, data=CompanyCreate(name=name, **PROVENANCE, **fields), actor=ACTOR)


def test_companies_merge_but_never_across_two_business_ids(session):
    name = f"Kajaanin Kone {tag()}"
    first = _company(session, f"{name} Oy", business_id=valid_business_id(random.randrange(10**6, 9 * 10**6)))
    second = _company(session, f"{name} Oyj", business_id=valid_business_id(random.randrange(10**6, 9 * 10**6)))
    third = _company(session, f"{name.upper()} OY", website="https://kone.example.fi")
    employee = person(session, "Ville", f"Salo{tag()}", company_id=third.id)
    with pytest.raises(Conflict, match="business IDs"):
        merge_records(session, entity="companies", survivor_id=first.id, member_ids=[second.id], actor=ACTOR)
    merge = merge_records(session, entity="companies", survivor_id=first.id, member_ids=[third.id], actor=ACTOR)
    session.expire_all()
    assert session.get(Company, third.id) is None and session.get(Contact, employee.id).company_id == first.id
    assert session.get(Company, first.id).website == "https://kone.example.fi"
    undo_merge(session, merge_id=merge.id, actor=ACTOR)
    session.expire_all()
    assert session.get(Contact, employee.id).company_id == third.id and session.get(Company, first.id).website is None


def test_undo_restores_the_members_exactly(session, pair):
    survivor, member, _ = pair
    before = {c.id: (row(session, c.id), related(session, c.id)) for c in (survivor, member)}
    history = set(session.execute(text("SELECT id FROM change_history WHERE contact_id = ANY(:c)"),
                                  {"c": [survivor.id, member.id]}).scalars())
    merge = merge_records(session, entity="contacts", survivor_id=survivor.id, member_ids=[member.id], actor=ACTOR)
    undone = undo_merge(session, merge_id=merge.id, actor=ACTOR)
    assert undone.undone_at is not None and undone.snapshot is None
    assert row(session, member.id) == before[member.id][0]
    assert related(session, member.id) == before[member.id][1]
    assert related(session, survivor.id) == before[survivor.id][1]
    restored = row(session, survivor.id)
    assert {k: v for k, v in restored.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in before[survivor.id][0].items() if k not in ("version", "updated_at")}
    back = set(session.execute(text("SELECT id FROM change_history WHERE contact_id = :c"), {"c": member.id}).scalars())
    assert back == {h for h in history if h in back} and back  # the member's own history is its own again
    with pytest.raises(Conflict, match="undone"):
        undo_merge(session, merge_id=merge.id, actor=ACTOR)


def test_an_objection_made_after_the_merge_survives_the_undo(session, pair):
    survivor, member, _ = pair
    merge = merge_records(session, entity="contacts", survivor_id=survivor.id, member_ids=[member.id], actor=ACTOR)
    record_objection(session, contact=session.get(Contact, survivor.id), direct_marketing=True, research=True,
                     channel="email", actor=ACTOR)
    undo_merge(session, merge_id=merge.id, actor=ACTOR)
    for contact_id in (survivor.id, member.id):
        restored = row(session, contact_id)
        assert restored["objects_direct_marketing_at"] is not None and restored["objects_research_at"] is not None
    assert session.exec(select(WebEvent).where(WebEvent.contact_id == member.id)).first() is not None


@pytest.mark.parametrize("member_last", ["Makinen", "MAKINEN", "makinen"])
def test_a_merge_choosing_only_the_email_keeps_the_name_with_its_diacritics(session, member_last):
    """Issue 18: a member's newer 'Makinen' is the same name folded, not a better one: 'Mäkinen'
    survives, recorded as the more complete form; the email the reviewer chose comes along."""
    suffix = tag()
    survivor = person(session, "Maija", f"Mäkinen{suffix}")
    member = person(session, "Maija", f"{member_last}{suffix.upper() if member_last.isupper() else suffix}")
    apply_changes(session, entity=member, changes={"last_name": member.last_name}, actor=ACTOR)  # the newer value
    apply_changes(session, entity=member, changes={"position": "ostopäällikkö"}, actor=ACTOR)
    chosen_email = member.email
    merge = merge_records(session, entity="contacts", survivor_id=survivor.id, member_ids=[member.id], actor=ACTOR,
                          choices={"email": member.id})
    merged = row(session, survivor.id)
    assert merged["last_name"] == f"Mäkinen{suffix}" and merged["email"] == chosen_email
    assert merge.choices["last_name"] == {"from": survivor.id, "rule": "more_complete"}
    assert merged["position"] == "ostopäällikkö"  # a value only the member had still comes along


def test_a_reviewer_choosing_the_folded_spelling_keeps_the_one_with_diacritics(session):
    """The desk's side-by-side form: a reviewer who picks the member's 'Makinen' picks the name, and
    the name survives in its complete spelling 'Mäkinen'; another name chosen is taken as it is."""
    suffix = tag()
    survivor = person(session, "Maija", f"Mäkinen{suffix}", position="Ostopäällikkö")
    member = person(session, "Maija", f"Makinen{suffix}", position="Myyntipäällikkö")
    merge = merge_records(session, entity="contacts", survivor_id=survivor.id, member_ids=[member.id], actor=ACTOR,
                          choices={"last_name": member.id, "position": member.id})
    merged = row(session, survivor.id)
    assert merged["last_name"] == f"Mäkinen{suffix}" and merged["position"] == "Myyntipäällikkö"
    assert merge.choices["last_name"] == {"from": survivor.id, "rule": "more_complete"}
    assert merge.choices["position"] == {"from": member.id, "rule": "reviewer"}


def test_a_newer_name_that_is_another_name_still_wins(session):
    """Only spellings of one name are compared for completeness: a changed surname is newer, not poorer."""
    survivor = person(session, "Aino", f"Mäkinen{tag()}")
    member = person(session, "Aino", f"Lahti{tag()}")
    apply_changes(session, entity=member, changes={"last_name": member.last_name + "x"}, actor=ACTOR)
    merge_records(session, entity="contacts", survivor_id=survivor.id, member_ids=[member.id], actor=ACTOR)
    assert row(session, survivor.id)["last_name"] == member.last_name
