"""What the desk's browser tests share (not a test module): the API process on its own database,
signing in through the form in a fresh context, and the checks every page passes — axe-core finds
nothing serious, nothing is wider than the screen, a Finnish or Swedish page holds one language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine

from browser import DESKTOP, PHONE, serious_axe_violations
from language_check import assert_one_language, visible_text

SIZES = {"desktop": DESKTOP, "phone": PHONE}


@contextmanager
def desk_api(pg_server, redis_url, logs, database: str) -> Iterator[object]:
    """The API process on plain http at 127.0.0.1 (the browser keeps no Secure cookie there;
    production's is Secure, __Host-), with `base` and an `engine` on its database."""
    from support import Services

    env = {"REKISTERI_DATABASE_URL": pg_server.create(database), "REKISTERI_REDIS_URL": redis_url,
           "REKISTERI_DESK_SECURE_COOKIE": "false"}
    services = Services(env, logs)
    services.base = f"http://127.0.0.1:{services.api_port}"
    services.engine = create_engine(env["REKISTERI_DATABASE_URL"])
    try:
        services.start("api")
        yield services
    finally:
        services.stop_all()
        services.engine.dispose()


def signed_in(browser, system, staff, size: str = "desktop"):
    """A new browser context at `size`, signed in as `staff` through the form: (context, page)."""
    context = browser.new_context(viewport=SIZES[size], base_url=system.base)
    page = context.new_page()
    page.goto("/desk/signin?lang=en")
    page.fill("#email", staff.email)
    page.fill("#password", staff.password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/signin" not in page.url, (page.url, visible_text(page.content())[:600], system.logs()[-3000:])
    return context, page


def check_page(page, lang: str, *, allowed: set[str]) -> None:
    """The page is in `lang`, axe-clean, no wider than the screen, and (fi, sv) in one language;
    `allowed`: the names on it that are no words of another language."""
    assert "/signin" not in page.url and page.evaluate("document.documentElement.lang") == lang
    assert serious_axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url
    if lang != "en":
        assert_one_language(visible_text(page.content()), lang, allowed=allowed)


def check_pages(page, pages: dict[str, str], *, size: str, shots, check) -> None:
    """Each page in fi, sv and en through `check(page, lang)`, then its screenshot
    desk-<name>-<size>.png in `shots` (a Path)."""
    shots.mkdir(parents=True, exist_ok=True)
    for name, path in pages.items():
        for lang in ("fi", "sv", "en"):
            page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
            check(page, lang)
        page.screenshot(path=str(shots / f"desk-{name}-{size}.png"), full_page=True)
