"""The API's documentation pages, `/docs` (Swagger UI) and `/redoc` (ReDoc), working offline and
under `Content-Security-Policy: default-src 'self'`: their scripts and styles come from the
`fastapi-offline` package (served at /docs-assets), Swagger UI's start-up is a served file
(/static/swagger-init.js) instead of an inline script, and nothing is fetched from another host."""

from __future__ import annotations

import secrets
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"
ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"  # swagger-ui-bundle.js, swagger-ui.css, redoc…
# Nothing from another host. ReDoc injects its styles at run time: those of its components carry
# the response's nonce; two it injects while loading (an empty one, then a bundled stylesheet) are allowed by
# hash (a new fastapi-offline with another ReDoc may change them: tests/services/api/test_docs_offline.py
# then fails in the browser). Icons are data: images; ReDoc's footer logo from cdn.redoc.ly is
# refused by img-src and hidden.
DOCS_CSP = ("default-src 'self'; style-src 'self' 'nonce-{nonce}' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' "
            "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'")
DOCS_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter(include_in_schema=False)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} – {heading}</title>
<link rel="icon" href="{{root}}{{assets}}/favicon.png">{head}
</head>
<body>
{body}
</body>
</html>
"""
SWAGGER_PAGE = PAGE.format(heading="API documentation", head="""
<link rel="stylesheet" href="{root}{assets}/swagger-ui.css">""", body="""\
<main id="swagger-ui" data-openapi-url="{root}{openapi}"></main>
<script src="{root}{assets}/swagger-ui-bundle.js"></script>
<script src="{root}/static/swagger-init.js"></script>""")
REDOC_PAGE = PAGE.format(heading="API reference", head="", body="""\
<noscript>ReDoc needs JavaScript; /docs and {root}{openapi} describe the same API.</noscript>
<main id="redoc" data-openapi-url="{root}{openapi}" data-nonce="{nonce}"></main>
<script src="{root}{assets}/redoc.standalone.js"></script>
<script src="{root}/static/redoc-init.js"></script>""")


def _page(request: Request, template: str) -> HTMLResponse:
    """The page; ReDoc's styles are injected at run time, so they carry a nonce of this response."""
    app, nonce = request.app, secrets.token_urlsafe(16)
    html = template.format(title=app.title, root=request.scope.get("root_path", ""), assets=ASSETS_URL,
                           openapi=app.openapi_url, nonce=nonce)
    csp = DOCS_CSP.format(nonce=nonce)
    return HTMLResponse(html, headers={**DOCS_HEADERS, "Content-Security-Policy": csp})


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return _page(request, SWAGGER_PAGE)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return _page(request, REDOC_PAGE)


def install_docs(app: FastAPI) -> None:
    """Serve the documentation pages and their assets from the app (create FastAPI with
    docs_url=None and redoc_url=None)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
    app.include_router(router)
