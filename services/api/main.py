"""The API service: FastAPI app factory. Run with `rekisteri api`."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from services.api.authz import authorize
from services.api.docs import install_docs
from services.api.middleware import RequestIdMiddleware
from services.api.errors import install_error_handlers
from services.api import ratelimit
from services.api.openapi import document_errors
from services.api.pages import desk, preferences as preference_pages, privacy_centre, request_links
from services.api.pages.rendering import STATIC_DIR
from services.api.routes import (
    breaches,
    campaigns,
    companies,
    contacts,
    dedup,
    emails,
    feedback,
    health,
    imports,
    interactions,
    jobs,
    lists,
    me,
    notice,
    partners,
    public_exports,
    public_requests,
    retention,
    subject_requests,
    transfers,
    unknown_outcomes,
    unsubscribe,
    users,
    web_events,
)
from shared.logging import configure_logging
from shared.settings import get_settings


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(service="api", level=settings.log_level, fmt=settings.effective_log_format)
    # No uvicorn access log (configure_logging silences it: its request line carries tokens).
    app = FastAPI(
        title="Rekisteri",
        version="0.1.0",
        description="Customer and marketing register with data-subject rights automated end to end.",
        # Every route goes through the role matrix (services/api/authz.py).
        dependencies=[Depends(authorize)],
        max_body_size=settings.max_body_bytes,  # 413 beyond it (imports set their own)
        docs_url=None, redoc_url=None,  # served by install_docs, from the app's own files
    )
    app.add_middleware(ratelimit.PublicRateLimitMiddleware, per_minute=settings.public_calls_per_client_per_minute,
                       redis_url=settings.redis_url)
    app.add_middleware(RequestIdMiddleware)  # outermost: the request id and metrics also on a 429
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")  # the pages' own assets
    install_docs(app)  # /docs and /redoc offline
    for module in (health, me, users, jobs, emails, companies, contacts, lists, interactions, feedback,
                   web_events, imports, public_requests, public_exports, subject_requests, campaigns,
                   unsubscribe, dedup, partners, transfers, retention, notice, breaches, unknown_outcomes,
                   privacy_centre, request_links, preference_pages,  # the privacy centre's pages
                   desk):  # the staff desk's pages
        app.include_router(module.router)
    desk.install(app)
    document_errors(app, rate_limited=ratelimit.applies)  # 429 in the docs
    return app


app = create_app()
