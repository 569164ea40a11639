"""The breach register on the desk: a breach recorded with the 72-hour countdown, a bad time shown
next to its field, a stale form refused (the version as If-Match), notifications made, an estimate."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from desk_support import csrf, hidden_fields, make_staff, sign_in
from shared.i18n import HELSINKI
from shared.models import Role, utcnow
from shared.models.partners import Breach


def test_a_breach_is_recorded_counted_down_and_reported(desk_client, engine):
    sign_in(desk_client, make_staff(engine, Role.privacy))
    page = desk_client.get("/desk/breaches?lang=en")
    token = csrf(page.text)
    bad = desk_client.post("/desk/breaches?lang=en", data={"csrf": token, "summary": "Kadonnut kannettava",
                                                          "description": "Myyjän kone", "discovered_at": "eilen"})
    assert bad.status_code == 422 and 'id="discovered_at-error"' in bad.text and 'value="Kadonnut kannettava"' in bad.text
    known = (utcnow() - timedelta(hours=2)).astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M")
    made = desk_client.post("/desk/breaches?lang=en", follow_redirects=False, data={
        "csrf": token, "summary": f"Kadonnut kannettava {known}", "description": "Myyjän kone", "discovered_at": known})
    assert made.status_code == 303
    detail = desk_client.get(made.headers["location"])
    assert " h " in detail.text and "min left" in detail.text
    stale = {**hidden_fields(detail.text), "etag": '"0.0"', "authority_notified_at": known, "status": "open"}
    assert desk_client.post(made.headers["location"], data=stale).status_code == 412
    fresh = {**hidden_fields(detail.text), "authority_notified_at": known, "status": "open"}
    saved = desk_client.post(made.headers["location"], data=fresh, follow_redirects=False)
    assert saved.status_code == 303
    assert "Reported" in desk_client.get(made.headers["location"]).text
    since = (utcnow() - timedelta(days=1)).astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M")
    counted = desk_client.post(made.headers["location"].split("?")[0] + "/estimate?lang=en", follow_redirects=False,
                               data={"csrf": token, "since": since, "until": known})
    assert counted.status_code == 303
    with Session(engine) as s:
        breach = s.exec(select(Breach).where(Breach.summary == f"Kadonnut kannettava {known}")).one()
    assert breach.authority_notified_at is not None and breach.computed["people"] >= 0 and breach.version == 3


def test_sales_may_not_see_breaches(desk_client, engine):
    sign_in(desk_client, make_staff(engine, Role.sales))
    assert desk_client.get("/desk/breaches?lang=en").status_code == 403
