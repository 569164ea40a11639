"""Subject requests through the public and staff APIs on real PostgreSQL: the answer never
reveals membership, verification is single-use, objections and restrictions take effect before
the answer, rectification waits for approval, deadlines and extensions follow Art. 12."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from support import auth
from shared.models import Contact, EmailMessage, RequestEvent, SubjectRequest, Suppression
from shared.common.suppression import email_hash
from factories import PROVENANCE


def _person(api, role_tokens, **extra) -> dict:
    email = f"henkilo.{uuid.uuid4().hex[:8]}@example.fi"
    body = {"first_name": "Liisa", "last_name": "Laine", "email": email, **PROVENANCE, **extra}
    response = api.post("/v1/contacts", json=body, headers=auth(role_tokens["sales"]))
    assert response.status_code == 201, response.text
    return response.json()


def _mails(engine, address: str) -> list[EmailMessage]:
    with Session(engine) as s:
        return list(s.exec(select(EmailMessage).where(EmailMessage.to_address == address)
                           .order_by(EmailMessage.created_at)).all())


def _link_token(engine, address: str) -> str:
    body = _mails(engine, address)[-1].body_text
    return re.search(r"/privacy/verify/([A-Za-z0-9_-]+)\?lang=", body).group(1)


def _request_for(engine, address: str) -> SubjectRequest:
    with Session(engine) as s:
        return s.exec(select(SubjectRequest).where(SubjectRequest.email == address)
                      .order_by(SubjectRequest.received_at.desc())).first()


def _ask(api, email: str, **body):
    return api.post("/public/requests", json={"email": email, "language": "fi", **body},
                    headers={"X-Forwarded-For": "198.51.100.7"})


def test_the_answer_does_not_reveal_membership(api, role_tokens, engine):
    known = _person(api, role_tokens)["email"]
    unknown = f"tuntematon.{uuid.uuid4().hex[:8]}@example.fi"
    answers = [_ask(api, address, kind="access") for address in (known, unknown)]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    for address in (known, unknown):
        [mail] = _mails(engine, address)
        assert "/privacy/verify/" in mail.body_text and mail.headers["Auto-Submitted"] == "auto-generated"
        assert "List-Unsubscribe" not in mail.headers
        assert _request_for(engine, address).status == "awaiting_verification"


def test_objection_takes_effect_when_verified_and_the_link_is_single_use(api, role_tokens, engine):
    contact = _person(api, role_tokens)
    assert _ask(api, contact["email"], kind="objection", objection_scope="both").status_code == 202
    token = _link_token(engine, contact["email"])
    page = api.get(f"/public/verify/{token}")
    assert page.status_code == 200 and "<form" in page.text  # a scanner's GET changes nothing
    assert _request_for(engine, contact["email"]).status == "awaiting_verification"
    assert api.post(f"/public/verify/{token}").status_code == 200
    with Session(engine) as s:
        stored = s.get(Contact, contact["id"])
        assert stored.objects_direct_marketing_at is not None and stored.objects_research_at is not None
        assert s.exec(select(Suppression).where(Suppression.email_hash == email_hash(contact["email"]))).first()
    request = _request_for(engine, contact["email"])
    assert request.status == "completed" and request.contact_id == contact["id"]
    assert "Vastustuksesi on kirjattu" in _mails(engine, contact["email"])[-1].subject
    assert api.post(f"/public/verify/{token}").status_code == 404
    history = api.get(f"/v1/contacts/{contact['id']}/history", headers=auth(role_tokens["sales"])).json()
    assert any(h["field"] == "objects_direct_marketing_at" and h["reason"] == f"subject-request:{request.id}"
               for h in history)


def test_expired_and_unknown_links_are_refused(api, role_tokens, engine):
    contact = _person(api, role_tokens)
    _ask(api, contact["email"], kind="restriction")
    token = _link_token(engine, contact["email"])
    with Session(engine) as s:
        from shared.models import VerificationToken

        for record in s.exec(select(VerificationToken)).all():
            if record.request_id == _request_for(engine, contact["email"]).id:
                record.expires_at = record.created_at - timedelta(seconds=1)
                s.add(record)
        s.commit()
    assert api.post(f"/public/verify/{token}").status_code == 404
    assert api.post("/public/verify/" + "x" * 43).status_code == 404
    assert api.post("/public/verify/../../etc").status_code in (404, 422)


def test_restriction_is_applied_on_verification(api, role_tokens, engine):
    contact = _person(api, role_tokens)
    _ask(api, contact["email"], kind="restriction")
    api.post(f"/public/verify/{_link_token(engine, contact['email'])}")
    with Session(engine) as s:
        assert s.get(Contact, contact["id"]).restricted_at is not None


def test_a_flood_gets_429_not_mail(api, engine):
    address = f"tulva.{uuid.uuid4().hex[:8]}@example.fi"
    asked = [{"kind": "access"}, {"kind": "erasure"}, {"kind": "restriction"}, {"kind": "objection",
             "objection_scope": "direct_marketing"}, {"kind": "objection", "objection_scope": "research"}]
    codes = [_ask(api, address, **body).status_code for body in asked]
    assert codes[:3] == [202, 202, 202] and set(codes[3:]) == {429}
    assert len(_mails(engine, address)) == 3


def test_a_repeated_request_waiting_for_its_link_sends_nothing_new(api, engine):
    """A stranger repeating a request cannot use up the person's hourly requests or fill their
    inbox: while the first link is valid, the same address and kind gets the same answer and no
    new mail, and does not count; the person can still ask for something else, and confirm."""
    address = f"toisto.{uuid.uuid4().hex[:8]}@example.fi"
    codes = [_ask(api, address, kind="access").status_code for _ in range(6)]
    assert codes == [202] * 6 and len(_mails(engine, address)) == 1
    assert _ask(api, address, kind="erasure").status_code == 202 and len(_mails(engine, address)) == 2
    assert _ask(api, address, kind="objection", objection_scope="direct_marketing").status_code == 202
    with Session(engine) as s:
        assert len(s.exec(select(SubjectRequest).where(SubjectRequest.email == address)).all()) == 3
    first_link = re.search(r"/privacy/verify/([A-Za-z0-9_-]+)", _mails(engine, address)[0].body_text).group(1)
    assert api.post(f"/privacy/verify/{first_link}").status_code == 200  # the first mail's link still works
    assert _ask(api, address, kind="access").status_code == 429  # now a new one would count: 3 this hour


def test_rectification_waits_for_the_officer(api, role_tokens, engine):
    contact = _person(api, role_tokens)
    _ask(api, contact["email"], kind="rectification", proposed_changes={"last_name": "Laine-Korhonen",
                                                                         "phone": "040 765 4321"})
    api.post(f"/public/verify/{_link_token(engine, contact['email'])}")
    request = _request_for(engine, contact["email"])
    assert request.status == "verified"
    privacy = auth(role_tokens["privacy"])
    current = api.get(f"/v1/subject-requests/{request.id}", headers=privacy)
    bad = api.post(f"/v1/subject-requests/{request.id}/approve", json={"changes": {"phone": "123"}},
                   headers={**privacy, "If-Match": current.headers["etag"]})
    assert bad.status_code == 422
    unexplained = api.post(f"/v1/subject-requests/{request.id}/approve",
                           json={"changes": {"last_name": "Laine-Korhonen"}},  # in part, and no reason for the rest
                           headers={**privacy, "If-Match": current.headers["etag"]})
    assert unexplained.status_code == 422 and unexplained.json()["detail"][0]["loc"] == ["body", "note"]
    approved = api.post(f"/v1/subject-requests/{request.id}/approve",
                        json={"changes": {"last_name": "Laine-Korhonen"},  # in part: the phone is not approved
                              "note": "Puhelinnumero on yrityksen vaihteen numero, ei henkilötieto."},
                        headers={**privacy, "If-Match": current.headers["etag"]})
    assert approved.status_code == 200, approved.text
    answer = _mails(engine, contact["email"])[-1].body_text  # what was changed, what was not and why, where to complain
    assert "Korjatut tiedot: Sukunimi" in answer and "Tiedot, joita emme korjanneet: Puhelin" in answer
    assert "Syy: Puhelinnumero on yrityksen vaihteen numero" in answer and "Tietosuojavaltuutetun toimisto" in answer
    assert approved.json()["status"] == "completed"
    with Session(engine) as s:
        stored = s.get(Contact, contact["id"])
        assert stored.last_name == "Laine-Korhonen" and stored.phone is None
    history = api.get(f"/v1/contacts/{contact['id']}/history", headers=auth(role_tokens["sales"])).json()
    assert any(h["field"] == "last_name" and h["reason"] == f"subject-request:{request.id}" for h in history)


def test_staff_entered_request_deadline_extension_and_rejection(api, role_tokens, engine):
    privacy = auth(role_tokens["privacy"])
    body = {"kind": "access", "email": f"kirje.{uuid.uuid4().hex[:6]}@example.fi", "channel": "letter",
            "received_on": "2026-11-20", "verification_method": "signed letter with ID copy", "language": "sv"}
    created = api.post("/v1/subject-requests", json=body, headers=privacy)
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["due_at"].startswith("2026-12-20")
    assert request["status"] == "in_progress" and request["job_id"]
    extended = api.post(f"/v1/subject-requests/{request['id']}/extend",
                        json={"months": 2, "reason": "many systems to search"},
                        headers={**privacy, "If-Match": created.headers["etag"]})
    assert extended.status_code == 200 and extended.json()["extended_due_at"].startswith("2027-02-20")
    mail = _mails(engine, body["email"])[-1]
    assert "förlängs" in mail.subject and "Dataombudsmannens byrå" in mail.body_text
    again = api.get(f"/v1/subject-requests/{request['id']}", headers=privacy)
    assert api.post(f"/v1/subject-requests/{request['id']}/extend", json={"months": 1, "reason": "again please"},
                    headers={**privacy, "If-Match": again.headers["etag"]}).status_code == 409
    rejected = api.post(f"/v1/subject-requests/{request['id']}/reject", json={"reason": "identity unclear"},
                        headers={**privacy, "If-Match": again.headers["etag"]})
    assert rejected.json()["status"] == "rejected"
    assert api.post(f"/v1/subject-requests/{request['id']}/cancel",
                    headers={**privacy, "If-Match": api.get(f"/v1/subject-requests/{request['id']}",
                                                            headers=privacy).headers["etag"]}).status_code == 409
    with Session(engine) as s:
        events = [e.to_status for e in s.exec(select(RequestEvent).where(RequestEvent.request_id == uuid.UUID(request["id"]))
                                                .order_by(RequestEvent.id))]
    assert events == ["verified", "in_progress", "rejected"]


def test_repeat_access_is_flagged_for_the_officer(api, role_tokens, engine):
    privacy = auth(role_tokens["privacy"])
    email = f"toisto.{uuid.uuid4().hex[:6]}@example.fi"
    body = {"kind": "access", "email": email, "channel": "email", "verification_method": "reply from the address"}
    first = api.post("/v1/subject-requests", json=body, headers=privacy).json()
    assert first["status"] == "in_progress" and first["repeat_count"] == 0
    second = api.post("/v1/subject-requests", json=body, headers=privacy)
    assert second.json()["status"] == "verified" and second.json()["repeat_count"] == 1
    decided = api.post(f"/v1/subject-requests/{second.json()['id']}/repeat-decision",
                       json={"decision": "manifestly_unfounded", "reason": "third identical request this week"},
                       headers={**privacy, "If-Match": second.headers["etag"]})
    assert decided.json()["status"] == "rejected" and decided.json()["repeat_decision"] == "manifestly_unfounded"
    assert "tietosuoja.fi" in _mails(engine, email)[-1].body_text


@pytest.mark.parametrize("body", [
    {"kind": "objection"}, {"kind": "access", "objection_scope": "both"},
    {"kind": "rectification", "proposed_changes": {"role": "admin"}}, {"kind": "erasure", "email": "nope"},
])
def test_bad_public_requests_are_422(api, body):
    payload = {"email": "a@example.fi", **body}
    assert api.post("/public/requests", json=payload).status_code == 422


def test_only_the_privacy_role_handles_requests(api, role_tokens):
    for role in ("sales", "marketing", "admin"):
        assert api.get("/v1/subject-requests", headers=auth(role_tokens[role])).status_code == 403


def test_one_client_flooding_many_addresses_gets_429(services_env, monkeypatch):
    from fastapi.testclient import TestClient

    from services.api.main import create_app
    from shared.settings import get_settings

    monkeypatch.setenv("REKISTERI_PUBLIC_REQUESTS_PER_CLIENT_PER_HOUR", "4")
    get_settings.cache_clear()
    try:
        client_ip = f"203.0.113.{uuid.uuid4().int % 250}"
        with TestClient(create_app(), client=(client_ip, 50000)) as client:
            codes = [client.post("/public/requests", json={"email": f"x{i}.{uuid.uuid4().hex[:6]}@example.fi",
                                                            "kind": "access"}).status_code for i in range(6)]
        assert codes[:4] == [202] * 4 and codes[4:] == [429, 429]
    finally:
        get_settings.cache_clear()


def test_reminders_go_to_the_privacy_role_once(api, role_tokens, engine, monkeypatch):
    from shared.settings import get_settings
    from shared.subject_requests.reminders import send_due_reminders

    monkeypatch.setenv("REKISTERI_PRIVACY_EMAIL", "tietosuoja@jetmasters.example")
    get_settings.cache_clear()
    try:
        privacy = auth(role_tokens["privacy"])
        body = {"kind": "erasure", "email": f"muistutus.{uuid.uuid4().hex[:6]}@example.fi", "channel": "phone",
                "received_on": "2026-11-01", "verification_method": "called back the number on file"}
        request = api.post("/v1/subject-requests", json=body, headers=privacy).json()
        with Session(engine) as s:
            first = send_due_reminders(s)
            s.commit()
            second = send_due_reminders(s)
            s.commit()
        assert first >= 1 and second == 0
        reminders = _mails(engine, "tietosuoja@jetmasters.example")
        assert any(request["id"] in m.body_text for m in reminders)
        assert all(body["email"] not in m.body_text for m in reminders)
    finally:
        get_settings.cache_clear()


def test_partners_that_got_the_data_are_queued_a_correction(api, role_tokens, engine):
    from shared.models import Disclosure

    contact = _person(api, role_tokens)
    with Session(engine) as s:
        s.add(Disclosure(contact_id=contact["id"], recipient="Laskutus Oy", recipient_kind="partner",
                         purpose="billing", fields=["first_name", "last_name", "email"]))
        s.commit()
    _ask(api, contact["email"], kind="rectification", proposed_changes={"first_name": "Liisa-Maria"})
    api.post(f"/public/verify/{_link_token(engine, contact['email'])}")
    request = _request_for(engine, contact["email"])
    privacy = auth(role_tokens["privacy"])
    etag = api.get(f"/v1/subject-requests/{request.id}", headers=privacy).headers["etag"]
    api.post(f"/v1/subject-requests/{request.id}/approve", json={"changes": {"first_name": "Liisa-Maria"}},
             headers={**privacy, "If-Match": etag})
    with Session(engine) as s:
        followups = s.exec(select(Disclosure).where(Disclosure.request_id == request.id)).all()
    assert [(f.recipient, f.kind, f.status, f.contact_id) for f in followups] == [
        ("Laskutus Oy", "correction", "pending", contact["id"])]


def test_a_restriction_is_lifted_only_after_the_person_was_told(api, role_tokens, engine):
    contact = _person(api, role_tokens)
    _ask(api, contact["email"], kind="restriction")
    api.post(f"/public/verify/{_link_token(engine, contact['email'])}")
    privacy = auth(role_tokens["privacy"])
    url = f"/v1/contacts/{contact['id']}/restriction"
    assert api.post(f"{url}/lift", headers=privacy).status_code == 409
    assert api.post(f"{url}/notice", json={"reason": "the dispute was settled"},
                    headers=auth(role_tokens["sales"])).status_code == 403
    told = api.post(f"{url}/notice", json={"reason": "the dispute was settled"}, headers=privacy)
    assert told.status_code == 200 and told.json()["restriction_lift_notified_at"]
    assert "lifted" in _mails(engine, contact["email"])[-1].subject.lower() or \
        "poistuu" in _mails(engine, contact["email"])[-1].subject
    lifted = api.post(f"{url}/lift", headers=privacy)
    assert lifted.status_code == 200 and lifted.json()["restricted_at"] is None


def test_the_officer_can_verify_by_other_means(api, role_tokens, engine):
    contact = _person(api, role_tokens)
    _ask(api, contact["email"], kind="restriction")
    token = _link_token(engine, contact["email"])
    request = _request_for(engine, contact["email"])
    privacy = auth(role_tokens["privacy"])
    etag = api.get(f"/v1/subject-requests/{request.id}", headers=privacy).headers["etag"]
    verified = api.post(f"/v1/subject-requests/{request.id}/verify", json={"method": "called back the number on file"},
                        headers={**privacy, "If-Match": etag})
    assert verified.status_code == 200 and verified.json()["status"] == "completed"
    assert verified.json()["verification_method"] == "called back the number on file"
    assert api.post(f"/public/verify/{token}").status_code == 404, "the emailed link is void"
