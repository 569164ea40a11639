"""Contact pages on the desk through the app on real PostgreSQL: a new contact checked for likely
duplicates before it is saved (each linked, saving then confirmed), provenance required as the API
requires it, errors next to their fields with nothing typed lost, an edit that meets someone
else's save (both values shown, nothing overwritten), interactions and feedback added from the
page, the read in the access log, and the role table's refusals."""

from __future__ import annotations

import re

from sqlmodel import Session, select

import factories
from desk_register_rows import committed
from desk_support import csrf, hidden_fields, make_staff, sign_in
from shared.models import AccessRecord, ChangeRecord, Contact, Feedback, Interaction, Role

PROVENANCE = {"legal_basis": "customer_relationship", "purposes": "sales_marketing", "source": "data_subject"}


def _sales(desk_client, engine, role=Role.sales):
    staff = make_staff(engine, role)
    sign_in(desk_client, staff)
    return staff


def test_a_new_contact_lists_its_likely_duplicates_and_is_saved_only_when_confirmed(desk_client, engine):
    twin = committed(engine, lambda s: factories.contact(s, first_name="Jääskeläinen", last_name="Äijälä",
                                                        phone="+358401234567", email="jaaskelainen.aijala@example.fi"))
    _sales(desk_client, engine)
    form = desk_client.get("/desk/contacts/new?lang=en")
    assert form.status_code == 200 and 'name="legal_basis"' in form.text
    values = {"csrf": csrf(form.text), "first_name": "Jaaskelainen", "last_name": "Aijala", "language": "fi",
              "email": "jaaskelainen.aijala@example.fi".replace("@", ".x@"), "phone": "040 123 4567", **PROVENANCE}
    warned = desk_client.post("/desk/contacts/new?lang=en", data=values)
    assert warned.status_code == 200, warned.text[:2000]
    assert f'href="/desk/contacts/{twin.id}?lang=en"' in warned.text and "Likely duplicates" in warned.text
    assert "Phone:" in warned.text  # what agreed, from the stored explanation (never the values)
    with Session(engine) as s:  # nothing saved yet
        assert s.exec(select(Contact).where(Contact.last_name == "Aijala")).first() is None
    unconfirmed = desk_client.post("/desk/contacts/new?lang=en", data={**values, "checked": "yes"})
    assert unconfirmed.status_code == 422 and 'id="confirm-error"' in unconfirmed.text
    assert 'href="#confirm"' in unconfirmed.text  # the error summary links to the box
    saved = desk_client.post("/desk/contacts/new?lang=en", data={**values, "checked": "yes", "confirm": "yes"},
                             follow_redirects=False)
    assert saved.status_code == 303
    new_id = int(re.search(r"/desk/contacts/(\d+)", saved.headers["location"]).group(1))
    with Session(engine) as s:
        made = s.get(Contact, new_id)
        assert made.first_name == "Jaaskelainen" and made.phone == "+358401234567"
        assert made.purposes == ["sales_marketing"] and made.source == "data_subject"


def test_provenance_is_required_and_errors_stay_next_to_their_fields(desk_client, engine):
    _sales(desk_client, engine)
    form = desk_client.get("/desk/contacts/new?lang=fi")
    bad = desk_client.post("/desk/contacts/new?lang=fi", data={
        "csrf": csrf(form.text), "first_name": "Åsa", "last_name": "", "email": "ei-osoite", "language": "sv"})
    assert bad.status_code == 422
    for field in ("last_name", "email", "legal_basis", "purposes", "source"):
        assert f'id="{field}-error"' in bad.text and f'href="#{field}"' in bad.text
    assert 'value="Åsa"' in bad.text and 'value="ei-osoite"' in bad.text  # nothing typed is lost
    assert "Virhe" in bad.text.split("</title>")[0] and "Åsa" not in bad.text.split("</title>")[0]


def test_an_email_already_in_the_register_is_shown_at_its_field(desk_client, engine):
    other = committed(engine, lambda s: factories.contact(s))
    _sales(desk_client, engine)
    form = desk_client.get("/desk/contacts/new?lang=en")
    taken = desk_client.post("/desk/contacts/new?lang=en", data={
        "csrf": csrf(form.text), "first_name": "Ulla", "last_name": "Uusi", "email": other.email, "language": "fi",
        "confirm": "yes", **PROVENANCE})
    assert taken.status_code == 409 and 'id="email-error"' in taken.text and "already in the register" in taken.text


def test_an_edit_after_someone_elses_save_shows_both_values_and_overwrites_nothing(desk_client, engine):
    someone = committed(engine, lambda s: factories.contact(s, position="Myyntipäällikkö"))
    _sales(desk_client, engine)
    form = desk_client.get(f"/desk/contacts/{someone.id}/edit?lang=en")
    values = {**hidden_fields(form.text), "first_name": someone.first_name, "last_name": someone.last_name,
              "email": someone.email, "language": "fi", "position": "Toimitusjohtaja", **PROVENANCE}
    with Session(engine) as s:  # another session saves meanwhile
        row = s.get(Contact, someone.id)
        row.position, row.version = "Ostopäällikkö", row.version + 1
        s.add(row)
        s.commit()
    clash = desk_client.post(f"/desk/contacts/{someone.id}/edit?lang=en", data=values)
    assert clash.status_code == 409 and "Someone else saved this record" in clash.text
    assert "Toimitusjohtaja" in clash.text and "Ostopäällikkö" in clash.text
    with Session(engine) as s:
        assert s.get(Contact, someone.id).position == "Ostopäällikkö"
    again = desk_client.post(f"/desk/contacts/{someone.id}/edit?lang=en", follow_redirects=False,
                             data={**values, **hidden_fields(clash.text)})
    assert again.status_code == 303  # read anew: the reader's value is saved knowingly
    with Session(engine) as s:
        assert s.get(Contact, someone.id).position == "Toimitusjohtaja"
        change = s.exec(select(ChangeRecord).where(ChangeRecord.contact_id == someone.id,
                                                   ChangeRecord.field == "position")).all()
    assert [c.new_value for c in change][-1] == "Toimitusjohtaja"
    page = desk_client.get(f"/desk/contacts/{someone.id}?lang=en")
    assert "Toimitusjohtaja" in page.text and 'id="change_history"' in page.text


def test_an_edit_emptying_a_required_field_is_refused_at_the_field(desk_client, engine):
    someone = committed(engine, lambda s: factories.contact(s))
    _sales(desk_client, engine)
    form = desk_client.get(f"/desk/contacts/{someone.id}/edit?lang=en")
    values = {**hidden_fields(form.text), "first_name": "", "last_name": someone.last_name, "language": "fi",
              "email": someone.email, **PROVENANCE}
    bad = desk_client.post(f"/desk/contacts/{someone.id}/edit?lang=en", data=values)
    assert bad.status_code == 422 and 'id="first_name-error"' in bad.text


def test_interactions_and_feedback_are_added_from_the_page_and_the_read_is_logged(desk_client, engine):
    someone = committed(engine, lambda s: factories.contact(s, company=factories.company(s)))
    staff = _sales(desk_client, engine)
    page = desk_client.get(f"/desk/contacts/{someone.id}?lang=fi")
    assert page.status_code == 200 and 'id="web_events"' in page.text and 'id="subscriptions"' in page.text
    assert someone.last_name not in page.text.split("</title>")[0]
    token = csrf(page.text)
    bad = desk_client.post(f"/desk/contacts/{someone.id}/interactions?lang=fi",
                           data={"csrf": token, "interaction_kind": "call", "interaction_summary": "",
                                 "interaction_occurred_at": "huomenna"})
    assert bad.status_code == 422 and 'id="interaction_occurred_at-error"' in bad.text
    made = desk_client.post(f"/desk/contacts/{someone.id}/interactions?lang=fi", follow_redirects=False,
                            data={"csrf": token, "interaction_kind": "call", "interaction_summary": "Soitto tarjouksesta",
                                  "interaction_occurred_at": "2026-11-30 10:15"})
    assert made.status_code == 303
    rated = desk_client.post(f"/desk/contacts/{someone.id}/feedback?lang=fi", data={
        "csrf": token, "feedback_channel": "phone", "feedback_rating": "9", "feedback_text": "Hyvä palvelu"})
    assert rated.status_code == 422 and 'id="feedback_rating-error"' in rated.text
    given = desk_client.post(f"/desk/contacts/{someone.id}/feedback?lang=fi", follow_redirects=False, data={
        "csrf": token, "feedback_channel": "phone", "feedback_rating": "5", "feedback_text": "Hyvä palvelu"})
    assert given.status_code == 303
    shown = desk_client.get(f"/desk/contacts/{someone.id}?lang=fi")
    assert "Soitto tarjouksesta" in shown.text and "Hyvä palvelu" in shown.text
    with Session(engine) as s:
        assert s.exec(select(Interaction).where(Interaction.contact_id == someone.id)).one().kind == "call"
        assert s.exec(select(Feedback).where(Feedback.contact_id == someone.id)).one().rating == 5
        reads = s.exec(select(AccessRecord).where(AccessRecord.user_id == staff.id,
                                                  AccessRecord.route == "GET /desk/contacts/{contact_id}")).all()
    assert len(reads) >= 2 and all(r.contact_ids == [someone.id] for r in reads)


def test_the_privacy_officer_reads_but_does_not_edit_and_a_post_without_csrf_is_refused(desk_client, engine):
    someone = committed(engine, lambda s: factories.contact(s))
    _sales(desk_client, engine, Role.privacy)
    page = desk_client.get(f"/desk/contacts/{someone.id}?lang=en")
    assert page.status_code == 200 and f"/desk/contacts/{someone.id}/edit" not in page.text
    assert desk_client.get(f"/desk/contacts/{someone.id}/edit?lang=en").status_code == 403
    refused = desk_client.post(f"/desk/contacts/{someone.id}/feedback?lang=en",
                               data={"feedback_channel": "phone", "feedback_text": "x"})
    assert refused.status_code == 403
