"""The privacy notice on the desk: the draft beside the published version with the lines that
differ marked in words, publishing with a change note, nothing to publish said as such."""

from __future__ import annotations

from datetime import date

from desk_register_rows import committed
from desk_support import csrf, make_staff, sign_in
import register_rows
from shared.models import Role


def test_the_draft_shows_a_new_partner_and_is_published_once(desk_client, engine):
    officer = make_staff(engine, Role.privacy)
    sign_in(desk_client, officer)
    desk_client.get("/desk/notice?lang=en")  # the first version exists from startup
    partner = committed(engine, lambda s: register_rows.partner(s, agreement_signed_on=date(2026, 1, 1)))
    page = desk_client.get("/desk/notice?lang=en&notice_lang=sv")
    assert page.status_code == 200 and partner.name in page.text
    line = page.text[page.text.index(partner.name) - 300:page.text.index(partner.name)]
    assert "added: " in line  # said in words, not only by colour
    short = desk_client.post("/desk/notice?lang=en", data={"csrf": csrf(page.text), "changes": "x"})
    assert short.status_code == 422 and 'id="changes-error"' in short.text
    done = desk_client.post("/desk/notice?lang=en", data={"csrf": csrf(page.text), "changes": "Uusi kumppani"},
                            follow_redirects=False)
    assert done.status_code == 303 and "published=" in done.headers["location"]
    again = desk_client.post("/desk/notice?lang=en", data={"csrf": csrf(page.text), "changes": "Sama uudelleen"})
    assert again.status_code == 409 and "nothing to publish" in again.text
