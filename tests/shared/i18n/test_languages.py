"""Every reader gets one language: every message the system sends to a data subject, the access
answer (answer.html and README.txt) and the privacy notice, rendered in fi, sv and en through the
real domain functions on real PostgreSQL (rolled back), hold no bare code and no English word in
Finnish or Swedish, and show dates in the one format of the language (Helsinki time)."""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from language_check import assert_one_language, foreign_words, visible_text
from shared.audit.service import Actor, record_access
from shared.auth.service import create_user
from shared.campaigns.render import Person, render as render_campaign
from shared.companies.schemas import CompanyCreate
from shared.companies.service import create_company
from shared.contacts.schemas import ConsentCreate, ContactCreate
from shared.contacts.service import create_contact, grant_consent, update_contact
from shared.feedback.schemas import FeedbackCreate
from shared.feedback.service import create_feedback
from shared.i18n import format_date, format_datetime, format_month, has_label, label
from shared.interactions.schemas import InteractionCreate
from shared.interactions.service import create_interaction
from shared.jobs.runner import JobContext
from shared.jobs.service import create_job
from shared.lists.schemas import MailingListCreate, SubscriptionCreate
from shared.lists.service import create_list, subscribe
from shared.models import (
    Channel, CompanyStatus, Disclosure, EmailCategory, EmailMessage, EmailStatus, FeedbackStatus, ImportUpload,
    InteractionKind, Job, Language, LegalBasis, ObjectionScope, Purpose, RequestKind, RequestStatus, Role,
    SourceKind, SubjectRequest, SubscriptionStatus,
)
from shared.models.partners import PartnerRole
from shared.models.campaigns import Campaign
from shared.notice import draft
from shared.retention.holds import LegalHoldCreate, place_hold
from shared.subject_requests.access_export import (
    COMPANY_FIELDS, CONTACT_FIELDS, PROVENANCE, answer_document, build_access_export, collect_person_data,
)
from shared.subject_requests.answer_html import readme, render_answer
from shared.subject_requests.erasure import run_erasure
from shared.subject_requests.messages import send_contact_email
from shared.subject_requests.schemas import RECTIFIABLE, PublicRequestCreate, StaffRequestCreate
from shared.subject_requests.service import (
    approve_rectification, create_staff_request, extend, reject, submit_public, verify,
)
from shared.web_events.schemas import WebEventIn
from shared.web_events.service import identify_visitor, ingest_events

LANGS = ("fi", "sv", "en")
NAMES = {"Maija", "Mäkinen", "Kajaani", "Jetmasters", "Oy", "Pakkastie", "Laskutus", "Fonecta", "Esimerkki"}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def check(text: str, lang: str, *, where: str) -> None:
    """One language, and no ISO date or zero-padded hour in a text a person reads."""
    assert_one_language(text, lang, allowed=NAMES)
    assert not ISO_DATE.search(text), f"{where} ({lang}) shows an ISO date: {ISO_DATE.search(text).group(0)}"
    if lang in ("fi", "sv"):
        assert not re.search(r"\bkl(?:o|\.) 0\d", text), f"{where} ({lang}) pads the hour with a zero"


class Maker:
    """Small factories in the test's rolled-back session."""

    def __init__(self, session: Session):
        self.s, self.tag = session, uuid.uuid4().hex[:8]
        user = create_user(session, name=f"officer-{self.tag}", role=Role.privacy)
        self.actor = Actor.user(user.id)

    def email(self, name: str) -> str:
        return f"{name}.{self.tag}.{secrets.token_hex(3)}@example.fi"

    def person(self, lang: str, **values):
        company = create_company(self.s, data=CompanyCreate(
            name=f"Esimerkki {self.tag} Oy", status="customer", city="Kajaani", legal_basis="customer_relationship",
            purposes=["sales_marketing"], source="data_subject"), actor=self.actor)
        data = {"first_name": "Maija", "last_name": "Mäkinen", "email": self.email("maija"), "language": lang,
                "company_id": company.id, "legal_basis": "customer_relationship",
                "purposes": ["sales_marketing", "customer_service"], "source": "directory_service",
                "source_provider": "Fonecta", "source_received": date(2025, 11, 1), "phone": "040 123 4567"}
        return create_contact(self.s, data=ContactCreate(**{**data, **values}), actor=self.actor)

    def verified(self, lang: str, email: str, kind: str, **values) -> SubjectRequest:
        """A public request, verified through its emailed link (its token taken from the mail)."""
        request = submit_public(self.s, data=PublicRequestCreate(kind=kind, email=email, language=lang, **values),
                                client_ip=None)
        body = self.s.exec(select(EmailMessage.body_text).where(EmailMessage.to_address == email)).first()
        token = re.search(r"/privacy/verify/([A-Za-z0-9_-]+)", body).group(1)
        return verify(self.s, token=token)

    def job(self, request: SubjectRequest) -> JobContext:
        job = self.s.get(Job, request.job_id)
        return JobContext(job_id=job.id, kind=job.kind, payload=job.payload, attempt=1, request_id=None)


def mails_to(session: Session, address: str) -> list[EmailMessage]:
    return list(session.exec(select(EmailMessage).where(EmailMessage.to_address == address)
                             .order_by(EmailMessage.created_at, EmailMessage.id)).all())


def subject_mails(session: Session, lang: str) -> dict[str, list[EmailMessage]]:
    """Every message about a subject request, each produced by the domain function that sends it."""
    make, out = Maker(session), {}
    # objection (every scope), restriction, access (known and unknown person), erasure, rectification
    for scope in ("direct_marketing", "research", "both"):
        contact = make.person(lang)
        make.verified(lang, contact.email, "objection", objection_scope=scope)
        out[f"objection {scope}"] = mails_to(session, contact.email)
    contact = make.person(lang)
    make.verified(lang, contact.email, "restriction")
    send_contact_email(session, contact=contact, template="restriction_lifting",
                       reason="Tietosi on todettu oikeiksi." if lang == "fi" else "Uppgifterna har kontrollerats."
                       if lang == "sv" else "Your data was checked and found correct.")
    out["restriction"] = mails_to(session, contact.email)

    contact = make.person(lang)
    request = make.verified(lang, contact.email, "access")
    build_access_export(session, make.job(request))
    out["access"] = mails_to(session, contact.email)
    stranger = make.email("tuntematon")
    request = make.verified(lang, stranger, "access")
    build_access_export(session, make.job(request))
    out["access, no data"] = mails_to(session, stranger)

    contact = make.person(lang)
    place_hold(session, data=LegalHoldCreate(contact_id=contact.id, reason="Kirjanpitolaki 2:10 (1336/1997)"),
               actor=make.actor)
    request = make.verified(lang, contact.email, "erasure")
    run_erasure(session, make.job(request))
    out["erasure"] = mails_to(session, contact.email)

    contact = make.person(lang)
    request = make.verified(lang, contact.email, "rectification",
                            proposed_changes={"last_name": "Laine", "phone": "050 111 2222"})
    approve_rectification(session, request=request, changes={"last_name": "Laine"}, actor=make.actor,
                          reason={"fi": "Puhelinnumero on jo oikein.", "sv": "Telefonnumret är redan rätt.",
                                  "en": "The phone number is already correct."}[lang])
    out["rectification, partial"] = mails_to(session, contact.email)
    contact = make.person(lang)
    request = make.verified(lang, contact.email, "rectification", proposed_changes={"position": "Ostopäällikkö"})
    approve_rectification(session, request=request, changes={"position": "Ostopäällikkö"}, actor=make.actor)
    out["rectification, whole"] = mails_to(session, contact.email)

    contact = make.person(lang)
    request = create_staff_request(session, data=StaffRequestCreate(
        kind="access", email=contact.email, channel="letter", verification_method="allekirjoitettu kirje",
        language=lang), actor=make.actor)
    extend(session, request=request, months=2, reason={"fi": "Pyyntöjä on paljon.", "sv": "Många begäranden.",
                                                       "en": "Many requests."}[lang], actor=make.actor,
           now=request.received_at + timedelta(days=1))
    reject(session, request=request, reason={"fi": "Pyyntö on jo käsitelty.", "sv": "Begäran är redan behandlad.",
                                             "en": "The request was handled already."}[lang], actor=make.actor)
    out["extended and rejected"] = mails_to(session, contact.email)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_to_a_subject_is_in_one_language(session, lang):
    sent = subject_mails(session, lang)
    templates = set()
    for case, mails in sent.items():
        assert mails, f"{case}: nothing was sent"
        for mail in mails:
            check(f"{mail.subject}\n{mail.body_text}", lang, where=f"{case}: {mail.subject!r}")
            templates.add(mail.subject)
    assert len(templates) == 11, templates  # every template of messages.py (no_data and rejected share a subject)


@pytest.mark.parametrize("lang", LANGS)
def test_messages_use_labels_and_the_date_format_of_the_language(session, lang):
    sent = subject_mails(session, lang)
    objection = sent["objection both"][-1].body_text
    assert label("objection_scope", "both", lang) in objection
    assert label("request_kind", "restriction", lang) in sent["restriction"][0].body_text
    verify_mail, received, ready = sent["access"]
    request = session.exec(select(SubjectRequest).where(SubjectRequest.email == received.to_address)).one()
    assert format_date(request.due_at, lang) in received.body_text
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4} kl" if lang != "en" else r"\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d",
                     ready.body_text), ready.body_text
    partial = sent["rectification, partial"][-1].body_text
    assert label("field", "last_name", lang) in partial and label("field", "phone", lang) in partial
    assert {"fi": "Puhelinnumero on jo oikein.", "sv": "Telefonnumret är redan rätt.",
            "en": "The phone number is already correct."}[lang] in partial
    assert {"fi": "Tietosuojavaltuutetun toimisto", "sv": "Dataombudsmannens byrå",
            "en": "Office of the Data Protection Ombudsman"}[lang] in partial and "tietosuoja.fi" in partial


def _campaign(category: EmailCategory) -> Campaign:
    templates = {lang: {"subject": "Uutiskirje", "body_text": "Hei {first_name}!",
                        "body_html": "<p>Hei {first_name}!</p>"} for lang in LANGS}
    return Campaign(id=1, name="c", category=category, sender_name="Jetmasters Oy",
                    sender_email="uutiset@jetmasters.fi", sender_postal_address="Pakkastie 5, 87100 Kajaani",
                    templates=templates, fallback_language="fi")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("category", [EmailCategory.marketing, EmailCategory.research, EmailCategory.sister_marketing])
def test_campaign_footer_opt_out_and_source_notice_are_in_one_language(lang, category):
    person = Person(contact_id=7, email="maija@example.fi", first_name="Maija", last_name="Mäkinen", language=lang,
                    source="directory_service", source_received=date(2025, 11, 1))
    out = render_campaign(_campaign(category), person, list_id=3, source_notice=True)
    # the template's own words ("Hei", "Uutiskirje") are the sender's; check what the system adds
    added = out.body_text.split("--", 1)[1]
    check(added, lang, where=f"campaign {category}")
    check(visible_text(out.body_html.split("<hr>", 1)[1]), lang, where=f"campaign html {category}")
    assert label("source", "directory_service", lang) in added  # the label stands as a noun, not inflected
    assert format_date(date(2025, 11, 1), lang) in added


def _rich_person(session: Session, lang: str):
    """A person with a row in every category of the access answer."""
    make = Maker(session)
    contact = make.person(lang)
    update_contact(session, contact=contact, changes={"position": "Hankintapäällikkö"}, actor=make.actor)
    grant_consent(session, contact=contact, data=ConsentCreate(purpose="sister_marketing", channel="web",
                                                               evidence="lomake"), actor=make.actor)
    mailing_list = create_list(session, data=MailingListCreate(name=f"Uutiskirje {make.tag}"), actor=make.actor)
    subscribe(session, mailing_list=mailing_list, data=SubscriptionCreate(contact_id=contact.id,
                                                                          source="data_subject"), actor=make.actor)
    create_interaction(session, data=InteractionCreate(kind="meeting", contact_id=contact.id,
                                                       company_id=contact.company_id, summary="Tapaaminen"),
                       actor=make.actor)
    ingest_events(session, site="jetmasters.fi", events=[WebEventIn(page="https://jetmasters.fi/huolto",
                                                                     visitor_id=f"v-{make.tag}")])
    identify_visitor(session, visitor_id=f"v-{make.tag}", contact_id=contact.id, actor=make.actor)
    create_feedback(session, data=FeedbackCreate(channel="email", rating=4, text="Hyvää palvelua",
                                                 contact_id=contact.id), actor=make.actor)
    record_access(session, actor=make.actor, contact_ids=[contact.id], route="GET /v1/contacts/{contact_id}")
    session.add(Disclosure(contact_id=contact.id, recipient="Laskutus Oy", recipient_kind="partner",
                           purpose="billing", fields=["first_name", "email"]))
    earlier = make.verified(lang, contact.email, "objection", objection_scope="both")
    job = create_job(session, kind="imports.run", payload={})
    session.add(ImportUpload(job_id=job.id, kind="contacts", filename="kontaktit.csv",
                             content=f"email\n{contact.email}\n".encode()))
    request = create_staff_request(session, data=StaffRequestCreate(
        kind="access", email=contact.email, channel="letter", verification_method="kirje", language=lang),
        actor=make.actor)
    session.flush()
    return contact, earlier, request


@pytest.mark.parametrize("lang", LANGS)
def test_the_access_answer_is_in_one_language(session, lang):
    contact, earlier, request = _rich_person(session, lang)
    data = collect_person_data(session, contact_id=contact.id, email=contact.email, exclude_request_id=request.id)
    assert data["change_history"] and data["emails"] and data["subject_requests"] and data["import_files"]
    assert data["suppression"] and data["disclosures"] and data["access_log"]
    now = datetime(2026, 12, 13, 4, 26, tzinfo=timezone.utc)
    document = answer_document(data, request=request, language=lang, generated_at=now)
    html = render_answer(document, language=lang)
    text = visible_text(html)
    check(text, lang, where="answer.html")
    check(readme(lang, document["controller"]), lang, where="README.txt")
    assert format_datetime(now, lang) in text  # 13.12.2026 klo 6.26 (fi)
    month = {"fi": "joulukuu 2026", "sv": "december 2026", "en": "December 2026"}[lang]
    assert format_month(2026, 12, lang) == month and month in text  # the web-event and access-log months
    for kind, code in (("company_status", "customer"), ("email_category", "transactional"),
                       ("email_status", "pending"), ("request_kind", "objection"), ("objection_scope", "both"),
                       ("import_kind", "contacts"), ("source", "directory_service")):
        assert label(kind, code, lang) in text, (kind, code)
    # data.json keeps the codes, with their labels beside them
    assert document["sections"]["company"]["data"]["status"] == "customer"
    assert document["labels"]["company_status"]["customer"] == label("company_status", "customer", lang)
    assert document["labels"]["request_kind"]["objection"] == label("request_kind", "objection", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_privacy_notice_is_in_one_language(session, lang):
    markdown, html = draft(session)[lang]
    check(visible_text(html), lang, where="privacy notice")
    check(markdown, lang, where="privacy notice (Markdown)")


ENUMS_A_PERSON_SEES = {
    "request_kind": RequestKind, "objection_scope": ObjectionScope, "request_status": RequestStatus,
    "company_status": CompanyStatus, "email_category": EmailCategory, "email_status": EmailStatus,
    "channel": Channel, "interaction_kind": InteractionKind, "feedback_status": FeedbackStatus,
    "subscription_status": SubscriptionStatus, "role": Role, "legal_basis": LegalBasis, "purpose": Purpose,
    "source": SourceKind, "language": Language, "partner_role": PartnerRole,
}


@pytest.mark.parametrize("kind", sorted(ENUMS_A_PERSON_SEES))
def test_every_code_a_person_sees_has_a_label_in_every_language(kind):
    for member in ENUMS_A_PERSON_SEES[kind]:
        labels = {lang: label(kind, member, lang) for lang in LANGS}
        assert all(labels.values()), (kind, member)
        for lang in ("fi", "sv"):
            assert_one_language(labels[lang], lang, allowed={"Jetmasters", "Oy"})
    for field in (*CONTACT_FIELDS, *COMPANY_FIELDS, *PROVENANCE, *RECTIFIABLE):
        assert has_label("field", field), field


def test_a_tag_with_digits_is_not_read_as_words_but_a_real_word_is():
    # A random tag such as "eb3be11f" holds "be" between digits: an identifier, not an English word.
    assert foreign_words("Laskutus eb3be11f Oy", "fi") == []
    assert foreign_words("Laskutus be Oy", "fi") != []
