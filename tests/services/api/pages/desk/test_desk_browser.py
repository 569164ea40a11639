"""The desk as the staff use it: a real Chromium against the real processes (api, worker, notifier
on PostgreSQL and Redis) and an SMTP server (aiosmtpd) whose `.eml` files hold what people get.

Invitation → password → sign in → the queue; a rectification filed on the privacy centre and
approved in part on the desk, the person's mail saying what was and was not changed; extend and
reject; a sales user refused; a session ended by the idle timeout (a second API with a short one);
a form posted without its CSRF token refused; TOTP sign-in; axe-core on every desk page at desktop
and phone width, Finnish pages in Finnish. With REKISTERI_SCREENSHOTS set to a folder, the
screenshot test writes the README's pictures (docs/screenshots/desk-*.png) there.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import Session, select

from browser import DESKTOP, PHONE, serious_axe_violations
from desk_support import make_staff
from language_check import assert_one_language, visible_text
from support import running_system, wait_until

pytestmark = pytest.mark.e2e
SIZES = {"desktop": DESKTOP, "phone": PHONE}
NAMES = {"Jetmasters", "Oy", "Sanna", "Kajaani", "Pakkastie", "Asiakas", "Korhonen", "HeadlessChrome", "Mozilla",
         "AppleWebKit", "KHTML", "like", "Gecko", "Chrome", "Safari", "Linux", "X11", "Windows", "Mobile"}


@pytest.fixture(scope="module")
def system(pg_server, redis_url, tmp_path_factory, request):
    env = {"REKISTERI_NOTIFIER_POLL_SECONDS": "0.2", "REKISTERI_PUBLIC_REQUESTS_PER_CLIENT_PER_HOUR": "1000",
           "REKISTERI_PUBLIC_CALLS_PER_CLIENT_PER_MINUTE": "100000",
           "REKISTERI_DESK_SECURE_COOKIE": "false"}  # plain http to 127.0.0.1 in the test
    with running_system(pg_server, redis_url, tmp_path_factory, request, name="desk",
                        processes=("api", "worker-d", "notifier"), env=env) as services:
        yield services


def t(key: str, lang: str, **values) -> str:
    from shared.i18n import t as text

    return text(key, lang, **values)


def mails_to(system, address: str) -> list[email.message.EmailMessage]:
    found = []
    for caught in system.catcher.messages:
        parsed = email.message_from_bytes(Path(caught.path).read_bytes(), policy=email.policy.default)
        if parsed["To"] == address:
            found.append(parsed)
    return found


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


@contextmanager
def staff_browser(browser, size: str = "desktop"):
    context = browser.new_context(viewport=SIZES[size], locale="fi-FI")
    try:
        yield context.new_page()
    finally:
        context.close()


WIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                 .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 60))"""
# The reader's language only: parts marked with another language (a mail previewed in Swedish, the
# language switcher, codes marked lang="zxx") are left out of the language check.
OWN_TEXT = """(lang) => { const c = document.body.cloneNode(true);
                 c.querySelectorAll('[lang]').forEach(e => { if (e.lang !== lang) e.remove(); });
                 c.querySelectorAll('script, style').forEach(e => e.remove()); return c.textContent; }"""


def check(page, lang: str = "fi") -> str:
    """What every desk page must be; returns its visible text."""
    assert page.locator("html").get_attribute("lang") == lang
    assert serious_axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.evaluate(WIDE)
    if lang in ("fi", "sv"):
        assert_one_language(" ".join(page.evaluate(OWN_TEXT, lang).split()), lang, allowed=NAMES)
    return visible_text(page.content())


def sign_in(page, system, staff, *, lang: str = "fi") -> None:
    page.goto(f"{system.base}/desk/signin?lang={lang}&next=/desk/account")
    page.get_by_label(t("desk.signin.email", lang)).fill(staff.email)
    page.get_by_label(t("desk.signin.password", lang), exact=True).fill(staff.password)
    page.get_by_role("button", name=t("desk.signin.submit", lang)).click()
    if staff.totp_secret:
        page.wait_for_url("**/desk/signin/code**")
        page.get_by_label(t("desk.code.label", lang)).fill(staff.code())
        page.get_by_role("button", name=t("desk.code.submit", lang)).click()


def file_rectification(system, *, address: str, language: str) -> None:
    """The person asks on the privacy centre and confirms the emailed link."""
    from support import wait_until as wait

    with system.client() as public:
        sent = public.post(f"/privacy/requests/rectification?lang={language}", follow_redirects=False,
                           data={"email": address, "language": language, "change_last_name": "Korhonen",
                                 "change_phone": "+358409999999", "free_text": "Nimi ja numero muuttuivat"})
        assert sent.status_code == 303
        link = wait(lambda: next((re.search(r"(/privacy/verify/[\w-]+)", body(m)).group(1)
                                  for m in mails_to(system, address) if "/privacy/verify/" in body(m)), None),
                    timeout=60, message="the verification mail")
        assert public.post(link, follow_redirects=False).status_code == 303


def make_person(system, *, language: str) -> dict:
    from shared.models import Company, Contact

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
        s.commit()
        return {"id": contact.id, "email": contact.email, "last_name": contact.last_name}


def open_request(page, system, address: str):
    from shared.models import SubjectRequest

    with Session(system.engine) as s:
        request_id = s.exec(select(SubjectRequest.id).where(SubjectRequest.email == address)
                            .order_by(SubjectRequest.received_at.desc())).first()
    page.goto(f"{system.base}/desk/requests?lang=fi")
    page.locator(f'a[href="/desk/requests/{request_id}?lang=fi"]').click()
    page.wait_for_url(f"**/desk/requests/{request_id}?lang=fi")
    return request_id


# -- the flows ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_invitation_password_sign_in_and_the_queue(system, browser, size):
    name = {"desktop": "tietosuoja-tyopoyta", "phone": "tietosuoja-puhelin"}[size]
    made = system.cli("users", "create", "--name", name, "--role", "privacy", "--email", f"{name}@jetmasters.example")
    assert made.returncode == 0, made.stderr
    link = re.search(r"(http://\S+/desk/password/[\w-]+)", made.stdout).group(1)
    with staff_browser(browser, size) as page:
        page.goto(link + "?lang=fi")
        check(page)
        page.get_by_label(t("desk.password.new", "fi"), exact=True).fill("salasana123")
        page.get_by_label(t("desk.password.again", "fi")).fill("salasana123")
        page.get_by_role("button", name=t("desk.password.submit", "fi")).click()
        assert page.locator("#password-error").is_visible()  # too short
        check(page)
        password = "Hilla-suolla-syksyllä-77"
        page.get_by_label(t("desk.password.new", "fi"), exact=True).fill(password)
        page.get_by_label(t("desk.password.again", "fi")).fill(password)
        page.get_by_role("button", name=t("desk.password.submit", "fi")).click()
        page.wait_for_url("**/desk/signin?done=1**")
        assert t("desk.signin.note.password_set", "fi") in check(page)
        page.get_by_label(t("desk.signin.email", "fi")).fill(f"{name}@jetmasters.example")
        page.get_by_label(t("desk.signin.password", "fi"), exact=True).fill(password)
        page.get_by_role("button", name=t("desk.signin.submit", "fi")).click()
        page.wait_for_url("**/desk/requests?lang=fi")
        text = check(page)
        assert t("desk.requests.title", "fi") in text and name in text
        cookie = next(c for c in page.context.cookies() if c["name"] == "rekisteri_desk")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        page.goto(link)  # the link was used
        assert t("desk.link_invalid.title", "fi") in check(page)


def test_a_rectification_from_the_centre_approved_in_part_on_the_desk(system, browser):
    person = make_person(system, language="sv")
    file_rectification(system, address=person["email"], language="sv")
    officer = make_staff(system.engine, "privacy", name="tietosuojavastaava")
    with staff_browser(browser) as page:
        sign_in(page, system, officer)
        page.wait_for_url("**/desk/account")
        open_request(page, system, person["email"])
        text = check(page)
        assert person["last_name"] in text and "Korhonen" in text and "+358501234567" in text  # side by side
        page.locator("#decision_last_name").check()
        page.locator('input[name="decision_phone"][value="refuse"]').check()
        page.get_by_role("button", name=t("desk.act.preview", "fi")).first.click()
        assert page.locator("#reason_phone-error").is_visible()  # a refusal needs its reason
        check(page)
        page.locator("#decision_last_name").check()
        page.locator('input[name="decision_phone"][value="refuse"]').check()
        page.locator("#reason_phone").fill("numero on työnantajan vaihde")
        page.get_by_role("button", name=t("desk.act.preview", "fi")).first.click()
        preview = page.locator("#mail-preview-1").inner_text()
        assert "Efternamn" in preview and "Telefon" in preview and "numero on työnantajan vaihde" in preview
        check(page)
        page.get_by_role("button", name=t("desk.preview.send", "fi")).click()
        page.wait_for_url("**note=approve**")
        assert t("desk.request.note.approve", "fi") in check(page)
    mail = wait_until(lambda: next((m for m in mails_to(system, person["email"])
                                    if "Efternamn" in body(m) and "numero on" in body(m)), None),
                      timeout=60, message="the rectification's answer")
    text = body(mail)
    changed, _, refused = text.partition("Telefon")
    assert "Efternamn" in changed and "vaihde" in text  # what was changed, what was not, and why
    from shared.models import Contact
    with Session(system.engine) as s:
        contact = s.get(Contact, person["id"])
        assert contact.last_name == "Korhonen" and contact.phone == "+358501234567"


def test_extend_then_reject(system, browser):
    """A rectification by letter (it waits for the officer), extended, then refused."""
    person = make_person(system, language="fi")
    address = person["email"]
    officer = make_staff(system.engine, "privacy", name="tietosuojavastaava")
    with staff_browser(browser, "phone") as page:
        sign_in(page, system, officer)
        page.wait_for_url("**/desk/account")
        page.goto(f"{system.base}/desk/requests/new?lang=fi")
        check(page)
        page.get_by_label(t("desk.new.kind", "fi")).select_option("rectification")
        page.get_by_label(t("desk.new.channel", "fi")).select_option("letter")
        page.get_by_label(t("desk.new.email", "fi")).fill(address)
        page.locator("#change_position").fill("Toimitusjohtaja")
        page.get_by_label(t("desk.new.verification", "fi")).fill("allekirjoitettu kirje ja henkilökortin kopio")
        page.get_by_role("button", name=t("desk.new.submit", "fi")).click()
        page.wait_for_url("**note=created**")
        check(page)
        page.locator("#extend_months").check()
        page.locator("#extend_reason").fill("Arkisto on paperilla toisessa toimipisteessä")
        page.locator("section[aria-labelledby=act-extend]").get_by_role("button").click()
        assert "Arkisto on paperilla" in page.locator("#mail-preview-1").inner_text()
        check(page)
        page.get_by_role("button", name=t("desk.preview.send", "fi")).click()
        page.wait_for_url("**note=extend**")
        check(page)
        assert page.locator("section[aria-labelledby=act-extend]").count() == 0
        page.locator("#reject_reason").fill("Kirjanpitolaki velvoittaa säilyttämään tiedot")
        page.locator("section[aria-labelledby=act-reject]").get_by_role("button").click()
        check(page)
        page.get_by_role("button", name=t("desk.preview.send", "fi")).click()
        page.wait_for_url("**note=reject**")
        text = check(page)
        assert t("desk.request.note.reject", "fi") in text
    subjects = wait_until(lambda: (lambda got: got if len(got) >= 3 else None)(mails_to(system, address)),
                          timeout=60, message="three mails: received, extended, refused")
    bodies = " ".join(body(m) for m in subjects)
    assert "Arkisto on paperilla" in bodies and "Kirjanpitolaki velvoittaa" in bodies


def test_a_sales_user_is_refused_the_queue(system, browser):
    seller = make_staff(system.engine, "sales", name="myyja")
    with staff_browser(browser) as page:
        sign_in(page, system, seller)
        response = page.goto(f"{system.base}/desk/requests?lang=fi")
        assert response.status == 403
        text = check(page)
        assert t("desk.refused.role.title", "fi") in text and "table" not in page.content().split("<main")[1][:2000]


def test_a_form_without_its_csrf_token_is_refused(system, browser):
    staff = make_staff(system.engine, "marketing", name="markkinoija")
    with staff_browser(browser) as page:
        sign_in(page, system, staff)
        page.wait_for_url("**/desk/account")
        page.evaluate("document.querySelectorAll('.desk-signout input[name=csrf]').forEach(e => e.remove())")
        with page.expect_response(lambda r: r.url.endswith("/desk/signout?lang=fi")) as answer:
            page.locator(".desk-signout button").click()
        assert answer.value.status == 403
        assert t("desk.refused.csrf.title", "fi") in check(page)
        page.goto(f"{system.base}/desk/account?lang=fi")
        assert page.url.endswith("/desk/account?lang=fi")  # still signed in: nothing happened


def test_the_idle_timeout_ends_a_session(system, browser, tmp_path):
    """A second API on the same database with a five-second idle timeout."""
    from support import Services

    short = Services({**system.env, "REKISTERI_DESK_IDLE_SECONDS": "5"}, tmp_path)
    base = f"http://127.0.0.1:{short.api_port}"
    short.start("api")
    try:
        staff = make_staff(system.engine, "privacy", name="tietosuojavastaava")
        with staff_browser(browser) as page:
            page.goto(f"{base}/desk/signin?lang=fi&next=/desk/account")
            page.get_by_label(t("desk.signin.email", "fi")).fill(staff.email)
            page.get_by_label(t("desk.signin.password", "fi"), exact=True).fill(staff.password)
            page.get_by_role("button", name=t("desk.signin.submit", "fi")).click()
            page.wait_for_url("**/desk/account")
            page.goto(f"{base}/desk/account?lang=fi")  # used within the time: still open
            assert page.url.endswith("/desk/account?lang=fi")
            time.sleep(6.5)
            page.goto(f"{base}/desk/account?lang=fi")
            assert "/desk/signin" in page.url and "ended=1" in page.url
            assert t("desk.signin.note.ended", "fi") in check(page)
    finally:
        short.stop_all()


@pytest.mark.parametrize("size", SIZES)
def test_totp_sign_in_and_every_account_page(system, browser, size):
    staff = make_staff(system.engine, "admin", name="paakayttaja")
    with staff_browser(browser, size) as page:
        sign_in(page, system, staff)
        page.wait_for_url("**/desk/account")
        check(page)
        page.get_by_role("link", name=t("desk.account.totp_start", "fi")).click()
        check(page)
        import pyotp
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label(t("desk.code.label", "fi")).fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name=t("desk.totp.submit", "fi")).click()
        assert page.locator("#recovery-codes li").count() == 10
        check(page)
        page.get_by_role("button", name=t("desk.signout", "fi")).click()
        page.wait_for_url("**/desk/signin**")
        check(page)
        staff.totp_secret = secret
        sign_in(page, system, staff)  # password, then the code
        page.wait_for_url("**/desk/account")
        assert t("desk.account.totp_on", "fi", n=10) in check(page)
        page.goto(f"{system.base}/desk/forgot?lang=fi")
        check(page)


@pytest.mark.parametrize("size", SIZES)
def test_every_request_page_is_accessible(system, browser, size):
    person = make_person(system, language="fi")
    file_rectification(system, address=person["email"], language="fi")
    officer = make_staff(system.engine, "privacy", name="tietosuojavastaava")
    with staff_browser(browser, size) as page:
        sign_in(page, system, officer)
        page.goto(f"{system.base}/desk/requests?lang=fi")
        check(page)
        for status in ("all", "verified", "completed"):
            page.goto(f"{system.base}/desk/requests?status={status}&kind=rectification&lang=fi")
            check(page)
        open_request(page, system, person["email"])
        check(page)
        page.locator("#reject_reason").fill("Tiedot ovat jo oikein")
        page.locator("section[aria-labelledby=act-reject]").get_by_role("button").click()
        check(page)
        page.goto(f"{system.base}/desk/signin/code?lang=fi")  # a full session skips the code page
        page.goto(f"{system.base}/desk/requests/new?lang=fi")
        page.get_by_role("button", name=t("desk.new.submit", "fi")).click()
        assert page.locator(".error-summary").is_visible()
        check(page)


def test_screenshots(system, browser, tmp_path):
    """Finnish, desktop and phone: the README's pictures (written where REKISTERI_SCREENSHOTS says)."""
    folder = Path(os.environ.get("REKISTERI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    person = make_person(system, language="fi")
    file_rectification(system, address=person["email"], language="fi")
    officer = make_staff(system.engine, "privacy", name="tietosuojavastaava")
    for size in SIZES:
        with staff_browser(browser, size) as page:
            page.goto(f"{system.base}/desk/signin?lang=fi")
            page.screenshot(path=folder / f"desk-signin-{size}.png", full_page=True)
            sign_in(page, system, officer)
            page.goto(f"{system.base}/desk/requests?lang=fi")
            page.screenshot(path=folder / f"desk-queue-{size}.png", full_page=True)
            open_request(page, system, person["email"])
            page.screenshot(path=folder / f"desk-request-{size}.png", full_page=True)
            page.locator("#decision_last_name").check()
            page.locator('input[name="decision_phone"][value="refuse"]').check()
            page.locator("#reason_phone").fill("numero on työnantajan vaihde")
            page.get_by_role("button", name=t("desk.act.preview", "fi")).first.click()
            page.screenshot(path=folder / f"desk-preview-{size}.png", full_page=True)
    written = [folder / f"desk-{name}-{size}.png" for name in ("signin", "queue", "request", "preview") for size in SIZES]
    assert all(path.stat().st_size > 10_000 for path in written)  # each picture written, none blank
