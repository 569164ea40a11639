"""The privacy centre as a person uses it: a real Chromium against the real processes (api,
worker, notifier on PostgreSQL and Redis) and an SMTP server (aiosmtpd) whose `.eml` files hold
the links. Every page visited is checked: `lang` matches, axe-core finds nothing serious, Finnish
and Swedish pages hold one language, nothing is wider than the screen.

Cheap checks run in fi, sv and en at desktop and phone widths; the full flows are split across
the languages and widths (each kind of request once), so one running system serves them all.
With REKISTERI_SCREENSHOTS set to a folder, the screenshot test writes the README's pictures there.
"""

from __future__ import annotations

import email
import email.policy
import io
import os
import re
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import Session, select

from browser import DESKTOP, PHONE, serious_axe_violations
from language_check import assert_one_language, visible_text
from support import running_system, wait_until

pytestmark = pytest.mark.e2e
SIZES = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
KINDS = ("access", "rectification", "erasure", "restriction", "objection")
NAMES = {"Jetmasters", "Oy", "Kari", "Lahtinen", "Pakkastie", "Kajaani", "Rantanen", "Sanna", "Uutiskirje",
         "Tapahtumat", "Asiakas"}


@pytest.fixture(scope="module")
def system(pg_server, redis_url, tmp_path_factory, request):
    env = {"REKISTERI_NOTIFIER_POLL_SECONDS": "0.2", "REKISTERI_PUBLIC_REQUESTS_PER_CLIENT_PER_HOUR": "1000",
           "REKISTERI_PUBLIC_CALLS_PER_CLIENT_PER_MINUTE": "100000"}
    with running_system(pg_server, redis_url, tmp_path_factory, request, name="centre",
                        processes=("api", "worker-c", "notifier"), env=env) as services:
        yield services


@pytest.fixture(scope="module")
def marketing_token(system) -> str:
    assert system.cli("users", "create", "--name", "centre-marketing", "--role", "marketing").returncode == 0
    return system.cli("tokens", "create", "--user", "centre-marketing").stdout.strip()


def make_person(system, *, language: str = "fi", lists: int = 0) -> dict:
    """A committed contact (with consent and `lists` mailing lists) in the running system's database."""
    from shared.models import Channel, Company, Consent, Contact, MailingList, Purpose, Subscription

    tag = uuid.uuid4().hex[:8]
    with Session(system.engine) as s:
        company = Company(name=f"Asiakas {tag} Oy", legal_basis="customer_relationship", purposes=["sales_marketing"],
                          source="data_subject")
        s.add(company)
        s.flush()
        contact = Contact(first_name="Sanna", last_name=f"Rantanen{tag}", email=f"sanna.{tag}@kajaaninkone.example",
                          language=language, company_id=company.id, legal_basis="customer_relationship",
                          purposes=["sales_marketing"], source="data_subject", phone="+358501234567")
        s.add(contact)
        s.flush()
        list_ids = []
        for name in ("Uutiskirje", "Tapahtumat")[:lists]:
            mailing_list = MailingList(name=f"{name} {tag}")
            s.add(mailing_list)
            s.flush()
            s.add(Subscription(list_id=mailing_list.id, contact_id=contact.id, source="data_subject"))
            list_ids.append(mailing_list.id)
        s.add(Consent(contact_id=contact.id, purpose=Purpose.sales_marketing, channel=Channel.web, evidence="form"))
        s.commit()
        return {"id": contact.id, "email": contact.email, "last_name": contact.last_name, "list_ids": list_ids,
                "tag": tag}


def mail_link(system, address: str, path: str, *, after: int = 0, subject: str | None = None) -> str:
    """The first link to `path…` in a message to `address` that arrived after `after`, read from its .eml."""
    def find():
        for caught in system.catcher.messages[after:]:
            parsed = email.message_from_bytes(Path(caught.path).read_bytes(), policy=email.policy.default)
            if parsed["To"] != address or (subject and subject not in parsed["Subject"]):
                continue
            body = parsed.get_body(("plain",)).get_content()
            found = re.search(re.escape(system.base) + re.escape(path) + r"\S*", body)
            if found:
                return found.group(0)
        return None

    return wait_until(find, timeout=90, message=f"a mail to {address} linking to {path}")


@contextmanager
def person_browser(browser, lang: str, size: str):
    context = browser.new_context(viewport=SIZES[size], locale=LOCALES[lang], accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def check(page, lang: str) -> str:
    """What every page must be; returns its visible text."""
    assert page.locator("html").get_attribute("lang") == lang
    assert serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "wider than the screen"
    text = visible_text(page.content())
    if lang in ("fi", "sv"):
        assert_one_language(text, lang, allowed=NAMES)
    return text


def t(key: str, lang: str, **values) -> str:
    from shared.i18n import t as text

    return text(key, lang, **values)


# -- cheap checks: every page of the home and the forms, all languages and widths ------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ("fi", "sv", "en"))
def test_home_and_every_form(system, browser, lang, size):
    with person_browser(browser, lang, size) as page:
        page.goto(f"{system.base}/public/requests")  # the address earlier notices published
        assert page.url.endswith(f"/privacy?lang={lang}")  # … and the browser's language chose this one
        text = check(page, lang)
        for fact in ("Jetmasters Oy", "Pakkastie 5, 87100 Kajaani", "1086291-5", "Kari Lahtinen"):
            assert fact in text
        for kind in KINDS:
            page.goto(f"{system.base}/privacy?lang={lang}")
            page.get_by_role("link", name=t(f"centre.right.{kind}.link", lang), exact=True).click()
            page.wait_for_url(f"**/privacy/requests/{kind}?lang={lang}")
            check(page, lang)
            assert page.get_by_label(t("centre.form.email", lang)).is_visible()
        other = "sv" if lang != "sv" else "en"
        page.get_by_role("link", name=t("common.language_name", other)).click()  # the switcher keeps the page
        page.wait_for_url(f"**/privacy/requests/objection?lang={other}")
        assert page.locator("h1").inner_text() == t("centre.right.objection.link", other)


@pytest.mark.parametrize(("lang", "size"), [("fi", "phone"), ("sv", "desktop"), ("en", "phone")])
def test_a_form_with_bad_input_shows_the_errors_and_keeps_the_values(system, browser, lang, size):
    with person_browser(browser, lang, size) as page:
        page.goto(f"{system.base}/privacy/requests/objection?lang={lang}")
        page.get_by_label(t("centre.form.email", lang)).fill("sanna(at)example")
        page.get_by_role("button", name=t("centre.form.submit", lang)).click()
        assert page.title().startswith(t("common.error_title_prefix", lang) + ":")
        summary = page.locator(".error-summary")
        assert summary.is_visible() and t("centre.error.email", lang) in summary.inner_text()
        assert page.locator("#email-error").inner_text().endswith(t("centre.error.email", lang))
        assert page.get_by_label(t("centre.form.email", lang)).input_value() == "sanna(at)example"
        check(page, lang)
        summary.get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.id") == "email"
        page.get_by_label(t("centre.form.email", lang)).fill("sanna@kajaaninkone.example")
        page.get_by_role("button", name=t("centre.form.submit", lang)).click()  # the scope is still missing
        assert page.locator("#objection_scope-error").is_visible()
        assert page.get_by_label(t("centre.form.email", lang)).input_value() == "sanna@kajaaninkone.example"
        check(page, lang)


# -- the full flows: each kind once, across languages and widths ---------------------------------

def file_request(page, system, *, kind: str, lang: str, address: str) -> None:
    """From the home page, as a person: choose the right, fill in the form, send it."""
    page.goto(f"{system.base}/privacy?lang={lang}")
    page.get_by_role("link", name=t(f"centre.right.{kind}.link", lang), exact=True).click()
    page.get_by_label(t("centre.form.email", lang)).fill(address)
    if kind == "objection":
        page.get_by_label(t("centre.scope.both", lang)).check()
    if kind == "rectification":
        page.get_by_label(t("centre.form.field.last_name", lang)).fill("Korhonen")
        page.get_by_label(t("centre.form.explanation", lang)).fill("Sukunimi muuttui.")
    page.get_by_label(t("centre.form.language", lang)).select_option(lang)
    page.get_by_role("button", name=t("centre.form.submit", lang)).click()
    page.wait_for_url(f"**/privacy/requests/{kind}/sent?lang={lang}")
    text = check(page, lang)
    assert t("centre.sent.once", lang, hours=24) in text


def confirm_from_mail(page, system, *, lang: str, person: dict, kind: str, seen: int) -> str:
    """Open the emailed link, check what it says, press the one button; the link, for later."""
    link = mail_link(system, person["email"], "/privacy/verify/", after=seen)
    assert link.endswith(f"?lang={lang}")
    page.goto(link)
    text = check(page, lang)
    masked = person["email"][0] + "•••@kajaaninkone.example"
    assert masked in text and person["email"] not in text and t(f"centre.kind.{kind}", lang) in text
    assert page.get_by_role("button").count() == 1
    page.get_by_role("button", name=t("centre.verify.button", lang)).click()
    page.wait_for_url("**/privacy/status/**")
    text = check(page, lang)
    assert t("centre.status.confirmed", lang) in text and masked in text
    return link


FLOWS = [("objection", "sv", "phone", "done"), ("restriction", "fi", "phone", "done"),
         ("erasure", "en", "desktop", None), ("rectification", "sv", "desktop", "waiting_officer")]


@pytest.mark.parametrize(("kind", "lang", "size", "phase"), FLOWS)
def test_a_request_from_the_home_page_to_its_status(system, browser, kind, lang, size, phase):
    person = make_person(system, language=lang)
    seen = len(system.catcher.messages)
    with person_browser(browser, lang, size) as page:
        file_request(page, system, kind=kind, lang=lang, address=person["email"])
        link = confirm_from_mail(page, system, lang=lang, person=person, kind=kind, seen=seen)
        if phase:
            assert page.locator("#phase").inner_text() == t(f"centre.status.phase.{phase}", lang)
        if phase == "waiting_officer":
            assert "202" in page.locator("main").inner_text()  # the due date, with its year
        page.goto(link)  # a used link says so, offers a new request, and has no button
        text = check(page, lang)
        assert t("centre.invalid.title", lang) in text and page.get_by_role("button").count() == 0
        page.get_by_role("link", name=t("centre.invalid.again", lang)).click()
        page.wait_for_url(f"**/privacy?lang={lang}")
        if kind == "erasure":  # the worker erases; the mail about it links to the status page
            status = mail_link(system, person["email"], "/privacy/status/", after=seen, subject="erased")
            page.goto(status)
            text = check(page, lang)
            assert t("centre.status.phase.done", lang) in text


def test_access_answer_downloaded_and_read_in_the_browser(system, browser):
    lang, person = "fi", make_person(system, language="fi")
    seen = len(system.catcher.messages)
    with person_browser(browser, lang, "desktop") as page:
        file_request(page, system, kind="access", lang=lang, address=person["email"])
        confirm_from_mail(page, system, lang=lang, person=person, kind="access", seen=seen)
        download_page = mail_link(system, person["email"], "/privacy/exports/", after=seen)
        page.goto(download_page)
        text = check(page, lang)
        assert "answer.html" in text and "data.json" in text and t("centre.export.until", lang, date="")[:12] in text
        with page.expect_download() as caught:
            page.get_by_role("link", name=re.compile(t("centre.export.download", lang, size="")[:20])).click()
        archive = zipfile.ZipFile(io.BytesIO(Path(caught.value.path()).read_bytes()))
        assert {"data.json", "answer.html", "README.txt"} <= set(archive.namelist())
        assert person["last_name"] in archive.read("data.json").decode()
        page.get_by_role("link", name=t("centre.export.view", lang)).click()
        page.wait_for_url("**/answer?**")
        assert person["last_name"] in page.locator("body").inner_text()
        assert page.locator("html").get_attribute("lang") == "fi"
        status = mail_link(system, person["email"], "/privacy/status/", after=seen, subject="ladattavissa")
        page.goto(status)
        assert t("centre.status.phase.done", lang) in check(page, lang)


@pytest.mark.parametrize(("lang", "size"), [("fi", "desktop"), ("en", "phone")])
def test_preferences_leave_join_again_with_double_opt_in_and_object(system, browser, marketing_token, lang, size):
    from shared.models import Contact, Subscription

    person = make_person(system, language=lang, lists=2)
    seen = len(system.catcher.messages)
    body = {"name": f"Syksy {person['tag']}", "category": "marketing", "list_ids": person["list_ids"][:1],
            "sender_name": "Jetmasters Oy", "sender_email": "markkinointi@jetmasters.example",
            "sender_postal_address": "Pakkastie 5, 87100 Kajaani",
            "templates": {"fi": {"subject": "Hei {first_name}", "body_text": "Uutta meiltä."},
                          "en": {"subject": "Hello {first_name}", "body_text": "News from us."}}}
    with system.client(marketing_token) as staff:
        campaign = staff.post("/v1/campaigns", json=body)
        assert campaign.status_code == 201, campaign.text
        assert staff.post(f"/v1/campaigns/{campaign.json()['id']}/start").status_code == 200
    link = mail_link(system, person["email"], "/privacy/preferences/", after=seen)
    assert link.endswith(f"?lang={lang}")
    first, second = (f"{name} {person['tag']}" for name in ("Uutiskirje", "Tapahtumat"))
    with person_browser(browser, lang, size) as page:
        page.goto(link)
        text = check(page, lang)
        assert "Jetmasters Oy" in text and person["email"][0] + "•••@kajaaninkone.example" in text
        assert first in text and second in text
        page.get_by_role("button", name=t("centre.prefs.leave", lang, list=first)).click()
        assert t("centre.prefs.done.leave", lang) in check(page, lang)
        seen = len(system.catcher.messages)
        page.get_by_role("button", name=t("centre.prefs.join", lang, list=first)).click()
        assert t("centre.prefs.done.join", lang) in check(page, lang)
        assert t("centre.prefs.status.pending", lang) in page.locator("table").inner_text()
        page.goto(mail_link(system, person["email"], "/privacy/preferences/", after=seen, subject=first))
        check(page, lang)
        page.get_by_role("button", name=t("centre.join.button", lang)).click()
        assert t("centre.prefs.done.joined", lang) in check(page, lang)
        page.get_by_role("button", name=re.compile(re.escape(t("centre.prefs.withdraw", lang, purpose="")))).click()
        assert t("centre.prefs.done.withdraw", lang) in check(page, lang)
        page.get_by_role("button", name=t("centre.prefs.object_marketing", lang)).click()
        text = check(page, lang)
        assert t("centre.prefs.done.object_marketing", lang) in text and t("centre.prefs.objected_marketing", lang) in text
    with Session(system.engine) as s:
        statuses = {sub.list_id: sub.status for sub in s.exec(
            select(Subscription).where(Subscription.contact_id == person["id"]))}
        contact = s.get(Contact, person["id"])
    assert statuses == {person["list_ids"][0]: "subscribed", person["list_ids"][1]: "subscribed"}
    assert contact.objects_direct_marketing_at is not None


def test_the_notice_and_its_earlier_versions_from_home(system, browser):
    from shared.models.partners import PrivacyNoticeVersion

    with Session(system.engine) as s:  # an earlier version, as if published long ago
        if s.exec(select(PrivacyNoticeVersion)).first() is None:
            s.add(PrivacyNoticeVersion(version=1, changes="first", sha256="0" * 64,
                                       markdown={lang: "# 1" for lang in LOCALES},
                                       html={lang: f'<!doctype html><html lang="{lang}"><title>1</title><h1>1</h1></html>'
                                             for lang in LOCALES}))
            s.commit()
    assert system.cli("users", "create", "--name", "centre-privacy", "--role", "privacy").returncode == 0
    token = system.cli("tokens", "create", "--user", "centre-privacy").stdout.strip()
    with system.client(token) as officer:
        assert officer.post("/v1/privacy-notice/versions", json={"changes": "Tietosuojakeskus"}).status_code == 201
    with person_browser(browser, "sv", "phone") as page:
        page.goto(f"{system.base}/privacy")
        check(page, "sv")
        page.get_by_role("link", name=re.compile(r"\(utgåva 2, ")).click()
        assert "/public/privacy-notice?lang=sv" in page.url and page.locator("html").get_attribute("lang") == "sv"
        assert "Jetmasters Oy" in page.locator("body").inner_text()
        page.go_back()
        page.get_by_role("link", name=re.compile("Utgåva 1, publicerad")).click()
        assert "version=1" in page.url


def shoot(browser, folder: Path, pages: dict[str, str]) -> list[Path]:
    """Each page in Finnish at both widths, whole: `{name}-{desktop|phone}.png`."""
    written = []
    for size in SIZES:
        with person_browser(browser, "fi", size) as page:
            for name, url in pages.items():
                page.goto(url)
                written.append(folder / f"{name}-{size}.png")
                page.screenshot(path=written[-1], full_page=True)
    return written


def test_screenshots_of_the_main_pages(system, browser, tmp_path):
    """Finnish, desktop and phone: the README's pictures (written where REKISTERI_SCREENSHOTS says)."""
    folder = Path(os.environ.get("REKISTERI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    person = make_person(system, language="fi", lists=2)
    seen = len(system.catcher.messages)
    with system.client() as public:
        assert public.post("/public/requests", json={"kind": "access", "email": person["email"],
                                                     "language": "fi"}).status_code == 202
    verify = mail_link(system, person["email"], "/privacy/verify/", after=seen)
    pages = {"home": f"{system.base}/privacy?lang=fi", "form": f"{system.base}/privacy/requests/rectification?lang=fi",
             "verify": verify}
    written = shoot(browser, folder, pages)
    with person_browser(browser, "fi", "desktop") as page:
        page.goto(verify)
        page.get_by_role("button").click()
        page.wait_for_url("**/privacy/status/**")
        status = page.url
    later = {"status": status, "download": mail_link(system, person["email"], "/privacy/exports/", after=seen)}
    with system.client() as public:  # a preference page: the link a marketing message carries
        from shared.campaigns.unsubscribe import sign_token

        later["preferences"] = (f"{system.base}/privacy/preferences/"
                                f"{sign_token(campaign_id=0, contact_id=person['id'], list_id=person['list_ids'][0])}"
                                "?lang=fi")
        assert public.get(later["preferences"]).status_code == 200
    written += shoot(browser, folder, later)
    assert all(path.stat().st_size > 5000 for path in written)
