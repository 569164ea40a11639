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
