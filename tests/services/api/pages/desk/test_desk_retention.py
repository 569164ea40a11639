"""Retention on the desk: the plan per rule, a sweep run now only with a reason (kept on its job),
past runs, and the legal holds for the roles the table lets see them."""

from __future__ import annotations

from sqlmodel import Session, select

from desk_support import csrf, make_staff, sign_in
from shared.jobs import kinds
from shared.models import Job, Role


def test_the_plan_and_a_sweep_run_with_a_reason(desk_client, engine):
    officer = make_staff(engine, Role.privacy)
    sign_in(desk_client, officer)
    page = desk_client.get("/desk/retention?lang=en")
    assert page.status_code == 200 and "Contact persons of prospects" in page.text and "Legal holds" in page.text
    short = desk_client.post("/desk/retention/run?lang=en", data={"csrf": csrf(page.text), "reason": "x"})
    assert short.status_code == 422 and 'id="reason-error"' in short.text
    done = desk_client.post("/desk/retention/run?lang=en", data={"csrf": csrf(page.text), "reason": "Auditointi 12/2026"},
                            follow_redirects=False)
    assert done.status_code == 303 and "note=queued" in done.headers["location"]
    with Session(engine) as s:
        job = s.exec(select(Job).where(Job.kind == kinds.RETENTION_SWEEP, Job.created_by == officer.id)).one()
    assert job.payload == {"trigger": "desk", "reason": "Auditointi 12/2026"}


def test_an_admin_sees_the_plan_but_not_the_holds(desk_client, engine):
    sign_in(desk_client, make_staff(engine, Role.admin))
    page = desk_client.get("/desk/retention?lang=en")
    assert page.status_code == 200 and "Plan" in page.text and "Legal holds" not in page.text


def test_a_legal_hold_placed_with_its_errors_at_the_fields_then_released(desk_client, engine):
    from desk_register_rows import person
    from shared.models import Contact, LegalHold

    someone = person(engine)
    sign_in(desk_client, make_staff(engine, Role.privacy))
    page = desk_client.get("/desk/retention?lang=fi")
    token = csrf(page.text)
    neither = desk_client.post("/desk/retention/holds?lang=fi", data={"csrf": token, "hold_reason": "Kirjanpitolaki 2:10"})
    assert neither.status_code == 422 and 'id="contact_id-error"' in neither.text
    assert "Kirjanpitolaki 2:10" in neither.text  # what was typed is kept
    bad = desk_client.post("/desk/retention/holds?lang=fi", data={"csrf": token, "contact_id": str(someone.id),
                                                                  "hold_reason": "x", "until": "ensi vuonna"})
    assert bad.status_code == 422 and 'id="hold_reason-error"' in bad.text and 'id="until-error"' in bad.text
    assert "VVVV-KK-PP" in bad.text
    nobody = desk_client.post("/desk/retention/holds?lang=fi", data={"csrf": token, "contact_id": "999999999",
                                                                     "hold_reason": "Kirjanpitolaki 2:10"})
    assert nobody.status_code == 422 and "Tällä numerolla ei löydy ketään" in nobody.text
    placed = desk_client.post("/desk/retention/holds?lang=fi", follow_redirects=False,
                              data={"csrf": token, "contact_id": str(someone.id), "hold_reason": "Riita-asia 4/2026",
                                    "until": "2027-06-30"})
    assert placed.status_code == 303 and "note=placed" in placed.headers["location"]
    with Session(engine) as s:
        hold = s.exec(select(LegalHold).where(LegalHold.contact_id == someone.id)).one()
        assert s.get(Contact, someone.id).restricted_at is not None
    assert str(hold.until) == "2027-06-30" and hold.reason == "Riita-asia 4/2026"
    listed = desk_client.get("/desk/retention?lang=fi")
    assert "Riita-asia 4/2026" in listed.text and f"/desk/retention/holds/{hold.id}/release" in listed.text
    released = desk_client.post(f"/desk/retention/holds/{hold.id}/release?lang=fi", data={"csrf": token},
                                follow_redirects=False)
    assert released.status_code == 303
    again = desk_client.post(f"/desk/retention/holds/{hold.id}/release?lang=fi", data={"csrf": token})
    assert again.status_code == 409
    with Session(engine) as s:
        assert s.get(LegalHold, hold.id).released_at is not None
        assert s.get(Contact, someone.id).restricted_at is None


def test_holds_are_placed_only_by_the_privacy_officer(desk_client, engine):
    sign_in(desk_client, make_staff(engine, Role.admin))
    page = desk_client.get("/desk/retention?lang=en")
    assert "/desk/retention/holds" not in page.text
    refused = desk_client.post("/desk/retention/holds?lang=en", data={"csrf": csrf(page.text), "contact_id": "1",
                                                                      "hold_reason": "Kirjanpitolaki 2:10"})
    assert refused.status_code == 403
