"""The desk's register pages in a real Chromium against the real API process on PostgreSQL: the
privacy officer signs in, opens each page at desktop and phone width in fi, sv and en, and every
page is checked — axe-core finds nothing serious, Finnish and Swedish pages hold one language,
nothing is wider than the screen — then restricts a person by the form, as a person clicks it.
Screenshots desk-<page>-<size>.png go where REKISTERI_SCREENSHOTS says (docs/screenshots holds the
README's: `REKISTERI_SCREENSHOTS=docs/screenshots pytest …`), else to a temporary folder."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from desk_browser import SIZES, check_page, check_pages, desk_api, signed_in
import register_rows
from desk_register_rows import committed, person
from desk_support import make_staff
from shared.models import Contact, Role, utcnow

pytestmark = pytest.mark.e2e
# Names in the data and the controller's own: not words of another language.
NAMES = {"privacy", "Hei", "S",  # the test user's name (privacy-1a2b3c4d), shown beside the sign-out button
         "Jetmasters", "Oy", "Pakkastie", "Kajaani", "Maija", "Syyskampanja", "Kumppani", "Ok", "queued", "as", "X7",
         "Yritys", "Viesti", "Uutiskirje"}


@pytest.fixture(scope="module")
def system(pg_server, redis_url, tmp_path_factory):
    with desk_api(pg_server, redis_url, tmp_path_factory.mktemp("deskreg-logs"), "rekisteri_deskreg") as services:
        yield services


def _check(page, lang: str) -> None:
    check_page(page, lang, allowed=NAMES)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_register_page_is_clean_in_every_language(browser, system, size, tmp_path):
    shots = Path(os.environ.get("REKISTERI_SCREENSHOTS") or tmp_path)
    someone = person(system.engine)
    committed(system.engine, lambda s: (  # an agreement ending soon, an unknown outcome: the pages have rows
        register_rows.partner(s, agreement_expires_on=utcnow().date() + timedelta(days=20)),
        register_rows.message(s, to=s.get(Contact, someone.id), unknown=True, subject="Tilausvahvistus")))
    officer = make_staff(system.engine, Role.privacy)
    context, page = signed_in(browser, system, officer, size)
    pages = {"people": f"/desk/people?q={someone.last_name}", "person": f"/desk/people/{someone.id}",
             "partners": "/desk/partners", "transfer": "/desk/transfers/new", "disclosures": "/desk/disclosures",
             "retention": "/desk/retention", "breaches": "/desk/breaches", "notice": "/desk/notice",
             "outcomes": "/desk/mail-outcomes"}
    try:
        check_pages(page, pages, size=size, shots=shots, check=_check)
    finally:
        context.close()


def test_the_officer_restricts_a_person_by_the_form(browser, system):
    someone = person(system.engine)
    officer = make_staff(system.engine, Role.privacy)
    context, page = signed_in(browser, system, officer, "desktop")
    try:
        page.goto(f"/desk/people/{someone.id}?lang=fi")
        form = page.locator(f"form[action^='/desk/people/{someone.id}/restrict']")
        form.locator("select[name=channel]").select_option("letter")
        form.locator("input[name=verification_method]").fill("allekirjoitettu kirje")
        form.locator("button[type=submit]").click()  # no reason: shown again with the error at the field
        page.wait_for_selector("#reason-error")
        _check(page, "fi")
        assert page.locator("input[name=verification_method]").first.input_value() == "allekirjoitettu kirje"
        page.fill("#reason", "Kiistää tietojensa oikeellisuuden")
        page.locator(f"form[action^='/desk/people/{someone.id}/restrict'] button[type=submit]").click()
        page.wait_for_url("**/desk/requests/**")
    finally:
        context.close()
    with Session(system.engine) as s:
        assert s.get(Contact, someone.id).restricted_at is not None
