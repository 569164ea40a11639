"""The README's snippet, on a page of another origin, in a real browser: the key made with the
README's command (`site-keys create --origin`) lets that page's JavaScript send its event through
the CORS preflight; a page of an origin the key does not name cannot."""

from __future__ import annotations

import re
import threading
import uuid
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from sqlmodel import Session, select

from readme_runner import ROOT
from shared.models import WebEvent
from support import Services, wait_until


def readme_snippet() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Web-behaviour events"):]
    return re.search(r"```html\n(.*?)```", section, re.S).group(1)


class Website:
    """A website on its own port (its own origin) serving one page."""

    def __init__(self, folder, html: str):
        (folder / "index.html").write_text(f"<!DOCTYPE html><html lang=\"fi\"><head><title>Tuotteet</title></head>"
                                           f"<body><h1>Tuotteet</h1>{html}</body></html>")
        handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _events_from(engine, origin: str) -> list[WebEvent]:
    with Session(engine) as s:
        return list(s.exec(select(WebEvent).where(WebEvent.page.startswith(origin))).all())


def test_readme_snippet_sends_events_from_the_keys_origin_only(browser, services_env, engine, tmp_path):
    services = Services(services_env, tmp_path / "logs")
    (tmp_path / "logs").mkdir()
    api = f"http://127.0.0.1:{services.api_port}"
    sites = []
    try:
        services.start("api")
        for name in ("own", "other"):
            (tmp_path / name).mkdir()
            sites.append(Website(tmp_path / name, ""))
        own, other = sites
        made = services.cli("site-keys", "create", "--site", f"www-{uuid.uuid4().hex[:6]}.jetmasters.fi",
                            "--origin", own.origin)  # the README's command, with this test's origin
        assert made.returncode == 0, made.stderr
        key = made.stdout.strip()
        assert key.startswith("sk_") and "\n" not in key
        assert own.origin in services.cli("site-keys", "list").stdout
        snippet = readme_snippet().replace("https://rekisteri.jetmasters.fi", api).replace("sk_…", key)
        for site in sites:
            (tmp_path / ("own" if site is own else "other") / "index.html").write_text(
                f"<!DOCTYPE html><html lang=\"fi\"><head><title>Tuotteet</title></head><body>{snippet}</body></html>")

        page = browser.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(own.origin + "/index.html?kampanja=syksy")
        [event] = wait_until(lambda: _events_from(engine, own.origin), timeout=30, message="the page's event")
        assert event.page == own.origin + "/index.html?kampanja=syksy"
        assert event.visitor_id == page.evaluate("localStorage.getItem('rekisteri_visitor')")
        assert not [m for m in console if "CORS" in m], console

        with page.expect_console_message(lambda m: "blocked by CORS policy" in m.text, timeout=30_000):
            page.goto(other.origin + "/index.html")  # the preflight is refused: the POST is never sent
        page.wait_for_timeout(500)
        assert _events_from(engine, other.origin) == []
        page.close()
    finally:
        for site in sites:
            site.close()
        services.stop_all()
