"""One way to render a page: the template, the reader's language, the controller, safe headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from shared.i18n import LANGUAGES, choose_language, format_date, format_datetime, has_label, label, t
from shared.notice.config import JETMASTERS

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(t=t, label=label, has_label=has_label, format_date=format_date, format_datetime=format_datetime,
                             LANGUAGES=LANGUAGES)

# Pages carry tokens in their URLs (verification, exports, preferences): no referrer, no framing,
# nothing from another host.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def page_language(request: Request) -> str:
    """The reader's language: `?lang=`, else Accept-Language, else Finnish."""
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def language_links(request: Request) -> dict[str, str]:
    """The same page in each language: this path and its query (a token, a signature) with `lang` set."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {code: f"{request.url.path}?{urlencode([*query, ('lang', code)])}" for code in LANGUAGES}


def render(request: Request, template: str, *, lang: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` in `lang`; `errors` (field -> message) and `values` re-show a form."""
    context.setdefault("errors", {})
    context.setdefault("values", {})
    response = templates.TemplateResponse(
        request, template,
        {"lang": lang, "controller": JETMASTERS.controller, "language_links": language_links(request), **context},
        status_code=status_code)
    response.headers.update(PAGE_HEADERS)
    return response
