"""The API documentation works without internet and under a strict content security policy:
/docs and /redoc reference only the app's own files, every one of them answers, and in a real
browser that may reach nothing but the app both pages draw the API with no policy violation."""

from __future__ import annotations

import re

import pytest

from support import Services

PAGES = ("/docs", "/redoc")
CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png", ".json": "application/json"}


def _references(html: str) -> list[str]:
    return re.findall(r'(?:src|href|data-openapi-url)="([^"]+)"', html)


@pytest.mark.parametrize("page", PAGES)
def test_docs_pages_reference_only_the_apps_own_files(api, page):
    response = api.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert csp.startswith("default-src 'self';") and "unsafe-inline" not in csp and "http" not in csp
    html = response.text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts), "an inline script"
    assert "<style" not in html and "style=" not in html
    references = _references(html)
    assert any(ref.endswith("-init.js") for ref in references), references  # the start-up is a served file
    for ref in references:
        assert ref.startswith("/") and not ref.startswith("//"), f"{page} references another host: {ref}"
        asset = api.get(ref)
        assert asset.status_code == 200, ref
        suffix = re.search(r"\.\w+$", ref).group(0)
        assert CONTENT_TYPES[suffix] in asset.headers["content-type"], (ref, asset.headers["content-type"])
        assert len(asset.content) > 100, ref


def test_docs_pages_render_in_a_browser_that_reaches_only_the_app(browser, services_env, tmp_path):
    services = Services(services_env, tmp_path)
    origin = f"http://127.0.0.1:{services.api_port}"
    try:
        services.start("api")
        for page_path, drawn in (("/docs", ".opblock"), ("/redoc", "#redoc h1")):
            page = browser.new_page()
            elsewhere, console = [], []
            page.route(re.compile(r"^(?!" + re.escape(origin) + r"[/?#]|data:|blob:).*"),
                       lambda route: (elsewhere.append(route.request.url), route.abort()))
            page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
            page.goto(origin + page_path)
            page.wait_for_selector(drawn, timeout=90_000)
            if page_path == "/docs":
                assert page.locator(".opblock").count() > 50  # every operation drawn
                assert "/v1/me" in page.locator("#swagger-ui").inner_text()
            else:
                assert "Rekisteri" in page.locator("#redoc h1").first.inner_text()
                assert "/v1/me" in page.locator("#redoc").text_content()
            page.wait_for_timeout(500)
            # ReDoc's footer logo is the one thing that points elsewhere: the policy refuses it
            refused = [m for m in console if "Content Security Policy" in m and "cdn.redoc.ly/redoc/logo-mini.svg" not in m]
            assert refused == [], f"{page_path}: {refused}"
            assert [m for m in console if "Content Security Policy" not in m] == [], page_path
            assert elsewhere == [], f"{page_path} asked another host: {elsewhere}"
            page.close()
    finally:
        services.stop_all()
