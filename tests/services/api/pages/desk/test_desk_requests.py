"""The privacy officer's request pages through the app on real PostgreSQL: the queue (most urgent
first, overdue marked in words, counts, filters), a request recorded from a phone call, a
rectification approved in part after a preview that keeps nothing, the mail in the person's
language, a stale form refused, extend and reject with their reasons, a repeat decision, and
other roles refused."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlmodel import Session, select

import factories
from desk_support import csrf, hidden_fields, make_staff, sign_in
from shared.audit.service import Actor
from shared.models import AccessRecord, Contact, EmailMessage, RequestStatus, Role, SubjectRequest, utcnow
from shared.subject_requests import service
from shared.subject_requests.schemas import StaffRequestCreate

OFFICER = Actor(label="user:test")


def _officer(desk_client, engine):
    staff = make_staff(engine, Role.privacy)
    sign_in(desk_client, staff)
    return staff


def _staff_request(engine, **fields) -> uuid.UUID:
    data = {"kind": "access", "channel": "phone", "verification_method": "soitettu takaisin", **fields}
    with Session(engine) as s:
        made = service.create_staff_request(s, data=StaffRequestCreate.model_validate(data), actor=OFFICER)
        s.commit()
        return made.id


def _mails(engine, request_id) -> list[EmailMessage]:
    with Session(engine) as s:
        rows = s.exec(select(EmailMessage).order_by(EmailMessage.created_at)).all()
        return [m for m in rows if m.headers.get("X-Rekisteri-Request") == str(request_id)]


def _form_for(page: str, action: str) -> dict[str, str]:
    form = re.search(rf'action="/desk/requests/[^/]+/{action}\?lang=\w+".*?</form>', page, re.S).group(0)
    return hidden_fields(form)


def test_the_queue_puts_the_most_urgent_first_and_marks_the_overdue_in_words(desk_client, engine):
    _officer(desk_client, engine)
    late = _staff_request(engine, kind="erasure", email=f"myoh.{uuid.uuid4().hex[:6]}@example.fi",
                          received_on=(utcnow() - timedelta(days=40)).date().isoformat())
    page = desk_client.get("/desk/requests?lang=en")
    assert page.status_code == 200 and "Data subjects&#39; requests" in page.text
    assert re.search(r'class="is-overdue".*?Overdue by \d+ d', page.text, re.S)  # words, not colour alone
    ids = re.findall(r'href="/desk/requests/([0-9a-f-]{36})\?lang=en"', page.text)
    assert ids and ids[0] == str(late)  # the most urgent first
    assert re.search(r"In progress</a>: <strong>\d+</strong>", page.text)  # counts per status
    erasures = desk_client.get("/desk/requests?kind=erasure&status=all&lang=en")
    assert str(late) in erasures.text
    assert str(late) not in desk_client.get("/desk/requests?kind=objection&status=all").text
    assert str(late) not in desk_client.get("/desk/requests?status=completed").text


def test_a_request_by_phone_is_recorded_with_how_identity_was_verified(desk_client, engine):
    _officer(desk_client, engine)
    form = desk_client.get("/desk/requests/new?lang=fi")
    token = csrf(form.text)
    bad = desk_client.post("/desk/requests/new?lang=fi", data={"csrf": token, "channel": "phone", "email": "ei-osoite",
                                                               "name": "Ville Virta"})
    assert bad.status_code == 422 and 'id="kind-error"' in bad.text and 'id="email-error"' in bad.text
    assert 'id="verification_method-error"' in bad.text and 'value="Ville Virta"' in bad.text  # nothing lost
    address = f"ville.{uuid.uuid4().hex[:6]}@example.fi"
    made = desk_client.post("/desk/requests/new?lang=fi", follow_redirects=False, data={
        "csrf": token, "kind": "objection", "channel": "phone", "language": "sv", "email": address,
        "name": "Ville Virta", "objection_scope": "direct_marketing", "verification_method": "soitettu takaisin"})
    assert made.status_code == 303
    with Session(engine) as s:
        request = s.exec(select(SubjectRequest).where(SubjectRequest.email == address)).one()
    assert request.channel == "phone" and request.verification_method == "soitettu takaisin"
    assert request.status == RequestStatus.completed  # an objection is carried out at once
    detail = desk_client.get(made.headers["location"])
    assert "Pyyntö on kirjattu." in detail.text and "Invändning" in detail.text  # the mail, in Swedish


def test_a_rectification_approved_in_part_after_a_preview_that_keeps_nothing(desk_client, engine):
    _officer(desk_client, engine)
    with Session(engine) as s:
        person = factories.contact(s, phone="+358401234567", language="sv")
        s.commit()
        contact_id, email, last_name = person.id, person.email, person.last_name
    request_id = _staff_request(engine, kind="rectification", email=email, language="sv",
                                proposed_changes={"last_name": "Virtanen", "phone": "+358409999999"})
    page = desk_client.get(f"/desk/requests/{request_id}?lang=fi")
    assert page.status_code == 200 and last_name in page.text and "Virtanen" in page.text  # side by side
    form = _form_for(page.text, "approve")
    incomplete = desk_client.post(f"/desk/requests/{request_id}/approve?lang=fi",
                                  data={**form, "decision_last_name": "accept", "decision_phone": "refuse"})
    assert incomplete.status_code == 422 and 'id="reason_phone-error"' in incomplete.text
    choice = {**form, "decision_last_name": "accept", "decision_phone": "refuse",
              "reason_phone": "numero on työnantajan vaihde"}
    preview = desk_client.post(f"/desk/requests/{request_id}/approve?lang=fi", data=choice)
    assert preview.status_code == 200 and 'id="mail-preview-1"' in preview.text
    assert "Efternamn" in preview.text and "Telefon" in preview.text and "numero on työnantajan vaihde" in preview.text
    with Session(engine) as s:  # the preview kept nothing
        assert s.get(Contact, contact_id).last_name == last_name
        assert s.get(SubjectRequest, request_id).status == RequestStatus.verified
    assert [m.subject for m in _mails(engine, request_id)] == [_mails(engine, request_id)[0].subject]  # "received"
    hidden = hidden_fields(preview.text)
    assert hidden["step"] == "send" and hidden["decision_phone"] == "refuse"
    sent = desk_client.post(f"/desk/requests/{request_id}/approve?lang=fi", data=hidden, follow_redirects=False)
    assert sent.status_code == 303
    with Session(engine) as s:
        person = s.get(Contact, contact_id)
        assert person.last_name == "Virtanen" and person.phone == "+358401234567"
        assert s.get(SubjectRequest, request_id).status == RequestStatus.completed
        logged = s.exec(select(AccessRecord).where(AccessRecord.route == "GET /desk/requests/{request_id}")).all()
    assert any(contact_id in row.contact_ids for row in logged)  # the person's data shown: logged
    last = _mails(engine, request_id)[-1]
    assert "Efternamn" in last.body_text and "Telefon" in last.body_text and "vaihde" in last.body_text
    timeline = desk_client.get(sent.headers["location"])
    assert last.subject in timeline.text and "Oikaisu on tehty" in timeline.text


def test_a_stale_form_gets_a_conflict_not_an_overwrite(desk_client, engine):
    _officer(desk_client, engine)
    request_id = _staff_request(engine, kind="erasure", email=f"vanha.{uuid.uuid4().hex[:6]}@example.fi")
    page = desk_client.get(f"/desk/requests/{request_id}?lang=en")
    form = _form_for(page.text, "reject")
    with Session(engine) as s:  # someone else decides meanwhile
        service.cancel(s, request=s.get(SubjectRequest, request_id), actor=OFFICER)
        s.commit()
    stale = desk_client.post(f"/desk/requests/{request_id}/reject?lang=en",
                             data={**form, "reason": "ei perusteita", "step": "send"})
    assert stale.status_code == 409 and "The request changed after you opened the form" in stale.text
    with Session(engine) as s:
        assert s.get(SubjectRequest, request_id).status == RequestStatus.cancelled


def test_extend_then_reject_with_reasons_sent_to_the_person(desk_client, engine):
    _officer(desk_client, engine)
    address = f"jatko.{uuid.uuid4().hex[:6]}@example.fi"
    request_id = _staff_request(engine, kind="erasure", email=address, language="en")
    page = desk_client.get(f"/desk/requests/{request_id}?lang=fi")
    form = _form_for(page.text, "extend")
    missing = desk_client.post(f"/desk/requests/{request_id}/extend?lang=fi", data={**form, "reason": ""})
    assert missing.status_code == 422 and 'id="extend_months-error"' in missing.text
    assert 'id="extend_reason-error"' in missing.text
    preview = desk_client.post(f"/desk/requests/{request_id}/extend?lang=fi",
                               data={**form, "months": "2", "reason": "The archive is on paper"})
    assert "The archive is on paper" in preview.text and 'lang="en" id="mail-preview-1"' in preview.text
    hidden = hidden_fields(preview.text)
    assert desk_client.post(f"/desk/requests/{request_id}/extend", data=hidden).status_code == 200
    with Session(engine) as s:
        request = s.get(SubjectRequest, request_id)
        assert request.extended_due_at is not None and request.extension_reason == "The archive is on paper"
    page = desk_client.get(f"/desk/requests/{request_id}?lang=fi")
    assert 'action="/desk/requests/' + str(request_id) + '/extend' not in page.text  # once only
    form = _form_for(page.text, "reject")
    preview = desk_client.post(f"/desk/requests/{request_id}/reject?lang=fi",
                               data={**form, "reason": "We hold a legal obligation to keep it"})
    hidden = hidden_fields(preview.text)
    desk_client.post(f"/desk/requests/{request_id}/reject", data=hidden)
    with Session(engine) as s:
        assert s.get(SubjectRequest, request_id).status == RequestStatus.rejected
    bodies = [m.body_text for m in _mails(engine, request_id)]
    assert any("The archive is on paper" in b for b in bodies)
    assert any("We hold a legal obligation to keep it" in b for b in bodies)


def test_a_repeat_access_request_waits_for_the_officers_decision(desk_client, engine):
    _officer(desk_client, engine)
    address = f"toisto.{uuid.uuid4().hex[:6]}@example.fi"
    _staff_request(engine, kind="access", email=address)
    again = _staff_request(engine, kind="access", email=address)
    page = desk_client.get(f"/desk/requests/{again}?lang=en")
    assert "Decide on a repeat access request" in page.text
    form = _form_for(page.text, "repeat")
    preview = desk_client.post(f"/desk/requests/{again}/repeat?lang=en",
                               data={**form, "decision": "manifestly_unfounded", "reason": "kolmas kerta viikossa"})
    hidden = hidden_fields(preview.text)
    desk_client.post(f"/desk/requests/{again}/repeat", data=hidden)
    with Session(engine) as s:
        request = s.get(SubjectRequest, again)
        assert request.status == RequestStatus.rejected and request.repeat_decision == "manifestly_unfounded"


def test_only_the_privacy_role_opens_the_requests(desk_client, engine):
    for role in (Role.sales, Role.marketing, Role.admin):
        desk_client.cookies.clear()
        sign_in(desk_client, make_staff(engine, role))
        refused = desk_client.get("/desk/requests?lang=en")
        assert refused.status_code == 403 and "Your role does not give you this page" in refused.text
        assert "<table" not in refused.text
