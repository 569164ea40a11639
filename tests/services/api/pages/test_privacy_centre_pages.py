"""The privacy centre's pages through the app on real PostgreSQL (no browser): safe headers and no
cookie, the old published address, a form re-shown with its errors and values, the hourly limit
as a page, links that only work signed, the language switcher keeping the token. The flows as a
person clicks them are in test_privacy_centre_browser.py."""

from __future__ import annotations

import re
import uuid

from sqlmodel import Session, select

from shared.models import EmailMessage, SubjectRequest
from shared.subject_requests.tracking import mask_email, status_signature


def _mails(engine, address: str) -> list[EmailMessage]:
    with Session(engine) as s:
        return list(s.exec(select(EmailMessage).where(EmailMessage.to_address == address)
                           .order_by(EmailMessage.created_at)).all())


def test_home_is_a_page_with_safe_headers_and_no_cookie(api):
    page = api.get("/privacy", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "set-cookie" not in page.headers and page.headers["referrer-policy"] == "no-referrer"
    assert '<html lang="sv">' in page.text and "Jetmasters Oy" in page.text and "1086291-5" in page.text
    assert "Kari Lahtinen" in page.text and "Pakkastie 5" in page.text
    for kind in ("access", "rectification", "erasure", "restriction", "objection"):
        assert f'href="/privacy/requests/{kind}?lang=sv"' in page.text
    assert '<html lang="fi">' in api.get("/privacy").text  # no preference: Finnish
    assert '<html lang="en">' in api.get("/privacy?lang=en", headers={"Accept-Language": "sv"}).text


def test_the_published_address_leads_to_the_centre(api):
    old = api.get("/public/requests?lang=en", follow_redirects=False)
    assert old.status_code == 303 and old.headers["location"] == "/privacy?lang=en"
    css = api.get("/brand.css")
    assert css.status_code == 200 and "--brand:#0b4f8a" in css.text and css.headers["content-type"].startswith("text/css")


def test_a_bad_form_is_shown_again_with_errors_and_values(api, engine):
    page = api.post("/privacy/requests/objection?lang=fi", data={"email": "ei-osoite", "language": "sv"})
    assert page.status_code == 422
    assert "<title>Virhe: " in page.text and 'class="error-summary"' in page.text
    assert 'href="#email"' in page.text and 'id="email-error"' in page.text  # the error links to its field
    assert 'value="ei-osoite"' in page.text and '<option value="sv" lang="sv" selected>' in page.text
    scope = api.post("/privacy/requests/objection?lang=fi", data={"email": "oikea@example.fi"})
    assert scope.status_code == 422 and 'href="#objection_scope"' in scope.text
    assert 'id="objection_scope-error"' in scope.text and "Valitse, mitä kiellät" in scope.text
    assert 'value="oikea@example.fi"' in scope.text
    rectify = api.post("/privacy/requests/rectification?lang=en", data={"email": "a@example.fi"})
    assert rectify.status_code == 422 and "Enter at least one corrected value or an explanation" in rectify.text
    assert _mails(engine, "a@example.fi") == []  # nothing stored, nothing sent


def test_a_good_form_sends_a_link_in_the_chosen_language_and_says_what_next(api, engine):
    address = f"pyytaja.{uuid.uuid4().hex[:8]}@example.fi"
    sent = api.post("/privacy/requests/rectification?lang=fi", follow_redirects=False,
                    data={"email": address.upper(), "language": "sv", "change_last_name": "Korhonen",
                          "change_language": "", "free_text": "Nimi muuttui"})
    assert sent.status_code == 303 and sent.headers["location"] == "/privacy/requests/rectification/sent?lang=fi"
    assert "24 tuntia" in api.get(sent.headers["location"]).text
    with Session(engine) as s:
        request = s.exec(select(SubjectRequest).where(SubjectRequest.email == address)).one()
    assert request.proposed_changes == {"last_name": "Korhonen"} and request.free_text == "Nimi muuttui"
    assert request.language == "sv"
    [mail] = _mails(engine, address)
    link = re.search(r"http://\S+(/privacy/verify/[A-Za-z0-9_-]+\?lang=sv)", mail.body_text)
    assert link, mail.body_text
    assert f"/privacy/status/{request.id}?sig={status_signature(request.id)}&lang=sv" in mail.body_text
    page = api.get(link.group(1))
    assert '<html lang="sv">' in page.text and mask_email(address) in page.text and address not in page.text
    assert "Rättelse av uppgifter" in page.text and '<form method="post"' in page.text
    # the switcher keeps the token: the same page in another language
    assert f'href="{link.group(1).replace("lang=sv", "lang=fi")}"' in page.text


def test_the_hourly_limit_is_a_page_that_says_when(api):
    address = f"kiire.{uuid.uuid4().hex[:8]}@example.fi"
    # three different requests (a repeat of one still waiting for its link does not count)
    for kind in ("access", "erasure", "restriction"):
        assert api.post(f"/privacy/requests/{kind}?lang=en", data={"email": address}, follow_redirects=False
                        ).status_code == 303
    limited = api.post("/privacy/requests/objection?lang=en", data={"email": address, "objection_scope": "both"})
    assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 3600
    assert "Too many requests" in limited.text and re.search(r"try again after \d+ \w+ \d{4} at \d\d:\d\d",
                                                             limited.text)
    assert int(api.post("/public/requests", json={"kind": "objection", "objection_scope": "research",
                                                  "email": address}).headers["retry-after"]) <= 3600


def test_links_work_only_as_signed(api, engine):
    address = f"tila.{uuid.uuid4().hex[:8]}@example.fi"
    api.post("/privacy/requests/access", data={"email": address})
    with Session(engine) as s:
        request_id = s.exec(select(SubjectRequest.id).where(SubjectRequest.email == address)).one()
    good = api.get(f"/privacy/status/{request_id}?sig={status_signature(request_id)}&lang=en")
    assert good.status_code == 200 and "waiting for you to confirm it" in good.text
    for query in ("", "?sig=" + "0" * 64, f"?sig={status_signature(uuid.uuid4())}"):
        assert api.get(f"/privacy/status/{request_id}{query}").status_code == 404
    assert api.get(f"/privacy/exports/{uuid.uuid4()}?expires=99999999999&sig={'0' * 64}").status_code == 404
    used = api.get("/privacy/verify/" + "x" * 43 + "?lang=en")
    assert used.status_code == 404 and "no longer works" in used.text and "<button" not in used.text
    assert 'href="/privacy?lang=en"' in used.text  # a new request instead


def _request(engine, **values) -> SubjectRequest:
    from shared.subject_requests.schemas import PublicRequestCreate
    from shared.subject_requests.service import submit_public

    with Session(engine, expire_on_commit=False) as s:
        request = submit_public(s, data=PublicRequestCreate(email=f"s.{uuid.uuid4().hex[:8]}@example.fi", **values),
                                client_ip=None)
        s.commit()
        return request


def test_the_status_page_tells_an_extension_and_a_rejection_with_their_reasons(api, engine):
    from shared.audit.service import Actor
    from shared.subject_requests.service import extend, reject

    officer = Actor(label="user:1")
    extended, rejected = _request(engine, kind="access", language="en"), _request(engine, kind="erasure", language="fi")
    with Session(engine) as s:
        extend(s, request=s.get(SubjectRequest, extended.id), months=2, reason="Many systems to search", actor=officer)
        reject(s, request=s.get(SubjectRequest, rejected.id), reason="Henkilöllisyys ei varmistunut", actor=officer)
        s.commit()
    page = api.get(f"/privacy/status/{extended.id}?sig={status_signature(extended.id)}&lang=en").text
    assert "We have extended the time to answer until" in page and "Reason: Many systems to search" in page
    assert "Data Protection Ombudsman" in page
    page = api.get(f"/privacy/status/{rejected.id}?sig={status_signature(rejected.id)}&lang=fi").text
    assert "Hylätty" in page and "Syy: Henkilöllisyys ei varmistunut" in page and "tietosuojavaltuutetulle" in page


def test_an_expired_download_link_says_how_to_ask_again(api, engine):
    from datetime import timedelta

    from shared.models import AccessExport, utcnow
    from shared.subject_requests.links import export_page_link

    request = _request(engine, kind="access")
    with Session(engine, expire_on_commit=False) as s:
        export = AccessExport(request_id=request.id, content=b"zip", sha256="0" * 64,
                              created_at=utcnow() - timedelta(days=8), expires_at=utcnow() - timedelta(days=1))
        s.add(export)
        s.commit()
    link = export_page_link(export.id, export.expires_at, lang="sv")
    page = api.get(link[link.index("/privacy/"):])
    assert page.status_code == 410 and "Nedladdningslänken har gått ut" in page.text
    assert 'href="/privacy/requests/access?lang=sv"' in page.text


def test_joining_again_waits_for_the_mailed_link_and_an_objector_cannot_join(api, engine):
    from shared.campaigns.unsubscribe import sign_token
    from shared.models import Contact, MailingList, Subscription, utcnow

    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as s:
        contact = Contact(first_name="Olli", last_name="Osallinen", email=f"olli.{tag}@example.fi",
                          legal_basis="customer_relationship", purposes=["sales_marketing"], source="data_subject")
        mailing_list = MailingList(name=f"Uutiset {tag}")
        s.add_all([contact, mailing_list])
        s.flush()
        s.add(Subscription(list_id=mailing_list.id, contact_id=contact.id, source="data_subject",
                           status="unsubscribed"))
        s.commit()
    token = sign_token(campaign_id=1, contact_id=contact.id, list_id=mailing_list.id)
    page = f"/privacy/preferences/{token}?lang=en"
    joined = api.post(page, data={"action": "join", "list_id": str(mailing_list.id)})
    assert joined.status_code == 200 and "We have emailed you a confirmation link" in joined.text
    [mail] = _mails(engine, contact.email)
    link = re.search(r"http://\S+(/privacy/preferences/\S+/join/\d+\?expires=\d+&sig=[0-9a-f]{64}&lang=en)",
                     mail.body_text).group(1)
    with Session(engine) as s:
        assert s.exec(select(Subscription.status).where(Subscription.contact_id == contact.id)).one() == "pending"
    forged = re.sub(r"sig=(.)", lambda m: "sig=" + ("1" if m.group(1) == "0" else "0"), link)
    assert api.post(forged).status_code == 404
    assert api.get(link).status_code == 200  # the page asks; only its button acts
    with Session(engine) as s:
        assert s.exec(select(Subscription.status).where(Subscription.contact_id == contact.id)).one() == "pending"
    assert "Your subscription is confirmed" in api.post(link).text
    with Session(engine) as s:
        assert s.exec(select(Subscription.status).where(Subscription.contact_id == contact.id)).one() == "subscribed"
    api.post(page, data={"action": "leave", "list_id": str(mailing_list.id)})
    with Session(engine) as s:
        s.get(Contact, contact.id).objects_direct_marketing_at = utcnow()
        s.commit()
    blocked = api.post(page, data={"action": "join", "list_id": str(mailing_list.id)})
    assert "because you have objected to direct marketing" in blocked.text
    other = api.post(page, data={"action": "leave", "list_id": "999999999"})  # not this person's list
    assert other.status_code == 404
