"""Unknown mail outcomes on the desk, marketing and transactional: each with what to look for in
the relay's log, resolved with a reason (errors next to the field), the read in the access log."""

from __future__ import annotations

from sqlmodel import Session, select

import factories
import register_rows
from desk_register_rows import committed
from desk_support import csrf, make_staff, sign_in
from shared.models import AccessRecord, EmailMessage, EmailStatus, Role


def _unknowns(engine):
    def make(s):
        someone = factories.contact(s)
        return (register_rows.message(s, to=someone, unknown=True),
                register_rows.campaign_message(s, to=someone, unknown=True), someone)
    return committed(engine, make)


def test_both_kinds_are_listed_and_resolved_with_a_reason(desk_client, engine):
    mail, campaign_mail, someone = _unknowns(engine)
    staff = make_staff(engine, Role.marketing)
    sign_in(desk_client, staff)
    page = desk_client.get("/desk/mail-outcomes?lang=en")
    assert page.status_code == 200 and mail.message_id.strip("<>") in page.text
    assert campaign_mail.message_id.strip("<>") in page.text
    assert f"/desk/mail-outcomes/transactional/{mail.id}" in page.text
    assert f"/desk/mail-outcomes/marketing/{campaign_mail.id}" in page.text
    bad = desk_client.post(f"/desk/mail-outcomes/transactional/{mail.id}?lang=en",
                           data={"csrf": csrf(page.text), "decision": "requeue", "reason": "ei"})
    assert bad.status_code == 422 and 'id="reason-error"' in bad.text
    done = desk_client.post(f"/desk/mail-outcomes/transactional/{mail.id}?lang=en", follow_redirects=False,
                            data={"csrf": csrf(page.text), "decision": "requeue",
                                  "reason": "Ei lokissa: status=deferred"})
    assert done.status_code == 303
    delivered = desk_client.post(f"/desk/mail-outcomes/marketing/{campaign_mail.id}?lang=en", follow_redirects=False,
                                 data={"csrf": csrf(page.text), "decision": "delivered",
                                       "reason": "Lokissa status=sent 250"})
    assert delivered.status_code == 303
    with Session(engine) as s:
        assert s.get(EmailMessage, mail.id).status == EmailStatus.pending
        assert s.get(EmailMessage, campaign_mail.id).status == EmailStatus.sent
        read = s.exec(select(AccessRecord).where(AccessRecord.user_id == staff.id,
                                                 AccessRecord.route == "GET /desk/mail-outcomes")).first()
    assert read is not None and someone.id in read.contact_ids


def test_sales_may_not_see_them(desk_client, engine):
    sign_in(desk_client, make_staff(engine, Role.sales))
    assert desk_client.get("/desk/mail-outcomes?lang=en").status_code == 403
