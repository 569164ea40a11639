"""Imports and campaigns on the desk in a real Chromium against the real processes (api, a Celery
worker, the notifier on PostgreSQL and Redis) and an SMTP server (aiosmtpd):

- a marketer uploads a CSV file with bad rows, follows the import's progress bar (the page refreshes
  itself, no script) to the summary and the rejected rows with their line numbers, and downloads them;
- composes a campaign (a missing list shown at its field first), sees the count before starting with
  the objectors who would be left out, previews it as a chosen person, sends a test message, starts
  it and follows the live statistics to completion: the eligible people get it, the objectors are
  counted as skipped with their reason, and the recipient log lists them all;
- every page in fi, sv and en at desktop and phone width: axe-core finds nothing serious, nothing is
  wider than the screen, a Finnish or Swedish page holds one language (parts marked with another
  language — a message previewed in Swedish — left out). Screenshots desk-<page>-<size>.png go where
  REKISTERI_SCREENSHOTS says (docs/screenshots for the README), else to a temporary folder."""

from __future__ import annotations

import csv
import email
import email.policy
import os
import re
import time
import uuid
from pathlib import Path

import pytest
from sqlmodel import Session

from browser import DESKTOP, PHONE, serious_axe_violations
from desk_support import make_staff
from language_check import assert_one_language
from shared.i18n import t
from shared.models import Company, Consent, Contact, MailingList, Purpose, Subscription, utcnow
from support import wait_until

pytestmark = pytest.mark.e2e
SIZES = {"desktop": DESKTOP, "phone": PHONE}
NAMES = {"marketing", "Jetmasters", "Oy", "Pakkastie", "Kajaani", "Maija", "Syyskampanja", "Uutiskirje", "Asiakas",
         "Meikäläinen", "Esimerkki", "Ok", "queued", "as", "CSV", "UTF", "HTML"}
# The reader's language only: parts marked with another language (a message previewed in Swedish,
# placeholders marked lang="zxx") and what staff wrote into a text box are left out.
OWN_TEXT = """(lang) => { const c = document.body.cloneNode(true);
                 c.querySelectorAll('[lang], textarea').forEach(e => { if (e.lang !== lang) e.remove(); });
                 c.querySelectorAll('script, style').forEach(e => e.remove()); return c.textContent; }"""
MADE: dict[str, object] = {}  # what the flows made, for the page tour


@pytest.fixture(scope="module")
def system(pg_server, redis_url, tmp_path_factory, request):
    from support import FAST, running_system

    # plain http to 127.0.0.1 in the test: the browser keeps no Secure cookie there
    with running_system(pg_server, redis_url, tmp_path_factory, request, name="deskcamp",
                        processes=("api", "worker-c", "notifier"),
                        env={**FAST, "REKISTERI_DESK_SECURE_COOKIE": "false"}) as services:
        yield services


@pytest.fixture(scope="module")
def marketer(system):
    return make_staff(system.engine, "marketing")


def signed_in(browser, system, staff, size: str = "desktop"):
    context = browser.new_context(viewport=SIZES[size], base_url=system.base, locale="fi-FI")
    page = context.new_page()
    page.goto("/desk/signin?lang=fi")
    page.fill("#email", staff.email)
    page.fill("#password", staff.password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/signin" not in page.url, page.url
    return context, page


def check(page, lang: str = "fi") -> str:
    """What every page must be; its text in the reader's language."""
    assert "/signin" not in page.url and page.evaluate("document.documentElement.lang") == lang
    assert serious_axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url
    text = " ".join(page.evaluate(OWN_TEXT, lang).split())
    if lang != "en":
        assert_one_language(text, lang, allowed=NAMES)
    return text


def _settled(page, selector: str, timeout: float = 120) -> str:
    """Wait, without touching the page, until its own refreshes show `selector`; then check it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.locator(selector).count():
                return check(page)
        except Exception:  # between two documents
            pass
        time.sleep(0.2)
    raise AssertionError(f"{selector} never appeared on {page.url}")


def _csv_file(folder: Path, rows: int) -> tuple[Path, dict[int, str]]:
    """A contacts file of `rows` good rows with three bad ones among them: {line: what is wrong}."""
    tag = uuid.uuid4().hex[:8]
    lines = ["first_name,last_name,email,phone"]
    bad = {}
    for i in range(rows):
        lines.append(f"Maija,Mäki{i},maija.{i}.{tag}@example.fi,")
        line = len(lines)
        if i == 10:
            lines.append(f"Pekka,Puro,ei-osoite-{tag},")
            bad[line + 1] = t("imp.row.invalid", "fi", field="Sähköposti")
        elif i == 20:
            lines.append(f"Liisa,,liisa.{tag}@example.fi,")
            bad[line + 1] = t("imp.row.required", "fi", field="Sukunimi")
        elif i == 30:
            lines.append(f"Maija,Mäki0,maija.0.{tag}@example.fi,")
            bad[line + 1] = t("imp.row.duplicate", "fi", field="Sähköposti", n=2)
    path = folder / "asiakkaat.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, bad


def test_an_import_with_bad_rows_followed_through_its_progress(system, browser, marketer, tmp_path):
    path, bad = _csv_file(tmp_path, rows=40_000)
    context, page = signed_in(browser, system, marketer)
    try:
        page.goto("/desk/imports?lang=fi")
        check(page)
        page.locator("#kind-contacts").check()
        page.click(f"text={t('imp.upload', 'fi')}")  # no file: the form again, the error at the field
        page.wait_for_selector("#file-error")
        check(page)
        page.locator("#kind-contacts").check()
        page.set_input_files("#file", str(path))
        page.select_option("#legal_basis", "consent")
        page.locator("#purposes-sales_marketing").check()
        page.select_option("#source", "data_subject")
        with page.expect_navigation():
            page.click(f"text={t('imp.upload', 'fi')}")
        assert re.search(r"/desk/imports/[0-9a-f-]{36}\?lang=fi$", page.url), page.url  # the job's id only
        MADE["import"] = page.url.split("?")[0].removeprefix(system.base)
        assert page.locator("progress#import-progress").count() == 1  # waiting or running: the bar
        assert page.locator('meta[http-equiv="refresh"]').count() == 1
        text = _settled(page, "#summary")
        assert page.locator('[data-count="rejected"]').inner_text() == "3"
        assert page.locator('[data-count="inserted"]').inner_text() == "40000"
        rows = page.locator("table.rejected tbody tr")
        assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == [str(n) for n in sorted(bad)]
        for reason in bad.values():
            assert reason in text
        with page.expect_download() as download:
            page.click(f"text={t('imp.download', 'fi')}")
        content = Path(download.value.path()).read_text(encoding="utf-8-sig")
        got = list(csv.reader(content.splitlines()))
        assert got[0] == [t("imp.csv.line", "fi"), t("imp.csv.field", "fi"), t("imp.csv.why", "fi")]
        assert {int(r[0]): r[2] for r in got[1:]} == bad
    finally:
        context.close()


def _audience(system, *, eligible: int, objectors: int) -> tuple[int, list[Contact], list[Contact]]:
    tag = uuid.uuid4().hex[:6]
    with Session(system.engine, expire_on_commit=False) as s:
        mailing_list = MailingList(name=f"Uutiskirje {tag}")
        company = Company(name=f"Asiakas {tag} Oy", legal_basis="customer_relationship",
                          purposes=["sales_marketing"], source="data_subject")
        s.add_all([mailing_list, company])
        s.flush()
        people = []
        for i in range(eligible + objectors):
            person = Contact(first_name="Maija", last_name=f"Mäki{tag}{i}",
                             email=f"maija.{i}.{tag}@kajaaninkone.example",
                             language="sv" if i == 0 else "fi", company_id=company.id, legal_basis="consent",
                             purposes=["sales_marketing"], source="data_subject",
                             objects_direct_marketing_at=utcnow() if i >= eligible else None)
            s.add(person)
            s.flush()
            s.add_all([Consent(contact_id=person.id, purpose=Purpose.sales_marketing, channel="web",
                               evidence="lomake"),
                       Subscription(list_id=mailing_list.id, contact_id=person.id, source="data_subject",
                                    status="subscribed")])
            people.append(person)
        s.commit()
        return mailing_list.id, people[:eligible], people[eligible:]


def _mails_to(system, address: str) -> list:
    return [email.message_from_bytes(Path(m.path).read_bytes(), policy=email.policy.default)
            for m in system.catcher.messages
            if email.message_from_bytes(Path(m.path).read_bytes(), policy=email.policy.default)["To"] == address]


def test_a_campaign_composed_previewed_started_and_followed_to_completion(system, browser, marketer):
    list_id, eligible, objectors = _audience(system, eligible=3, objectors=2)
    context, page = signed_in(browser, system, marketer)
    try:
        page.goto("/desk/campaigns?lang=fi")
        check(page)
        page.click(f"text={t('camp.new', 'fi')}")
        page.wait_for_url("**/desk/campaigns/new?lang=fi")
        check(page)
        page.fill("#name", "Syyskampanja")
        page.fill("#fi_subject", "Hei {first_name}")
        page.fill("#fi_body_text", "Syksyn uutuudet, {full_name}.")
        page.fill("#sv_subject", "Hej {first_name}")
        page.fill("#sv_body_text", "Höstens nyheter, {full_name}.")
        page.click(f"text={t('camp.save', 'fi')}")  # no list chosen: the error at its field
        page.wait_for_selector("#list_ids-error")
        check(page)
        assert page.input_value("#fi_subject") == "Hei {first_name}"  # nothing written is lost
        page.locator(f"#list_ids-{list_id}").check()
        with page.expect_navigation():
            page.click(f"text={t('camp.save', 'fi')}")
        campaign_path = page.url.split("?")[0].removeprefix(system.base)
        assert page.locator("progress#count-progress").count() == 1  # the count runs on the worker
        text = _settled(page, '[data-count="eligible"]')
        assert page.locator('[data-count="audience"]').inner_text() == "5"
        assert page.locator('[data-count="eligible"]').inner_text() == "3"
        assert page.locator('[data-skip="objected_direct_marketing"]').inner_text() == "2"
        assert t("camp.skip.objected_direct_marketing", "fi") in text

        page.click(f"text={t('camp.preview', 'fi')}")
        page.select_option("#contact_id", str(eligible[0].id))
        page.click(f"text={t('camp.show', 'fi')}")
        page.wait_for_url(f"**contact_id={eligible[0].id}**")
        MADE["preview"] = f"{campaign_path}/preview?contact_id={eligible[0].id}"
        check(page)
        assert f"Hej {eligible[0].first_name}" in page.locator('dd[lang="sv"]').inner_text()
        assert f"Syksyn uutuudet, Maija {eligible[0].last_name}." in page.inner_text("body")
        page.goto(f"{campaign_path}?lang=fi")

        page.fill("#to", "testaaja@jetmasters.example")
        page.select_option("#language", "fi")
        with page.expect_navigation():
            page.click(f"text={t('camp.send_test', 'fi')}")
        check(page)
        wait_until(lambda: _mails_to(system, "testaaja@jetmasters.example"), timeout=60, message="the test message")

        with page.expect_navigation():
            page.click(f"button:text('{t('camp.start', 'fi')}')")
        assert page.locator('meta[http-equiv="refresh"]').count() == 1
        text = _settled(page, f'#state:text-is("{t("camp.status.completed", "fi")}")')
        MADE["campaign"] = campaign_path
        assert page.locator('[data-count="sent"]').inner_text() == "3"
        assert page.locator('[data-count="skipped"]').inner_text() == "2"
        assert page.locator('[data-skip="objected_direct_marketing"]').inner_text() == "2"
        assert page.locator('progress#campaign-progress').get_attribute("value") == "5"
        assert page.locator('meta[http-equiv="refresh"]').count() == 0  # done: no more refreshing
        for person in eligible:
            got = _mails_to(system, person.email)
            assert len(got) == 1 and got[0]["Subject"].startswith("Hej" if person.language == "sv" else "Hei")
        for person in objectors:
            assert _mails_to(system, person.email) == []

        page.click(f"text={t('camp.recipients_link', 'fi')}")
        MADE["recipients"] = page.url.split("?")[0].removeprefix(system.base)
        text = check(page)
        assert page.locator("table.recipients tbody tr").count() == 5
        assert text.count(t("camp.skip.objected_direct_marketing", "fi")) == 2

        # a second draft, for the page tour: counted by its button
        with Session(system.engine) as s:
            from shared.models.campaigns import Campaign
            draft = Campaign(name="Syyskampanja", category="marketing", list_ids=[list_id],
                             sender_name="Jetmasters Oy", sender_email="markkinointi@jetmasters.example",
                             sender_postal_address="Pakkastie 5, 87100 Kajaani", fallback_language="fi",
                             templates={"fi": {"subject": "Hei {first_name}", "body_text": "Terve"}})
            s.add(draft)
            s.commit()
            MADE["draft"] = f"/desk/campaigns/{draft.id}"
        page.goto(f"{MADE['draft']}?lang=fi")
        assert t("camp.not_counted", "fi") in check(page)
        with page.expect_navigation():
            page.click(f"button:text('{t('camp.count', 'fi')}')")
        _settled(page, '[data-count="eligible"]')
        assert page.locator('[data-count="audience"]').inner_text() == "5"
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_import_and_campaign_page_is_clean_in_every_language(system, browser, marketer, size, tmp_path):
    if len(MADE) < 5:
        pytest.skip("the flows above make the pages' rows")
    shots = Path(os.environ.get("REKISTERI_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    pages = {"imports": "/desk/imports", "import": MADE["import"], "campaigns": "/desk/campaigns",
             "campaign-new": "/desk/campaigns/new", "campaign-draft": MADE["draft"], "campaign-edit": f"{MADE['draft']}/edit",
             "campaign": MADE["campaign"],
             "campaign-preview": MADE["preview"], "campaign-recipients": MADE["recipients"]}
    context, page = signed_in(browser, system, marketer, size)
    try:
        for name, path in pages.items():
            for lang in ("en", "sv", "fi"):
                page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
                check(page, lang)
            page.screenshot(path=str(shots / f"desk-{name}-{size}.png"), full_page=True)
    finally:
        context.close()
