"""One search box over companies and people (sales, marketing; privacy reads): the API's own
searches (shared/contacts/search.py, shared/companies/service.py) by the start of a name, case
and diacritics aside, or by an email address, a business ID or a phone number; each list paged
with the API's keyset cursors. The text travels as a GET parameter, as it does to the API; the
page title never holds it. The people found are in the access log, as the API logs a search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.api.deps import SessionDep
from services.api.pages.desk.auth import DeskUser
from services.api.pages.desk.forms import may
from services.api.pages.rendering import render
from shared.audit.service import record_access
from shared.common.errors import InvalidInput
from shared.companies.service import search_companies
from shared.contacts.search import one_box, search_contacts
from shared.i18n import t

router = APIRouter(include_in_schema=False)
PAGE = 20


@router.get("/desk/search", response_class=HTMLResponse)
def search(request: Request, session: SessionDep, desk: DeskUser) -> HTMLResponse:
    params = request.query_params
    query = (params.get("q") or "").strip()[:200]
    companies, contacts, errors, cursors = [], [], {}, {}
    if query:
        try:
            filters = one_box(query)
            if "email" not in filters and "phone" not in filters:  # companies have neither
                companies, cursors["companies"] = search_companies(
                    session, q=filters.get("q"), business_id=filters.get("business_id"),
                    cursor=params.get("companies_after") or None, limit=PAGE)
            contacts, cursors["contacts"] = search_contacts(session, cursor=params.get("contacts_after") or None,
                                                            limit=PAGE, **filters)
        except InvalidInput as bad:  # an email address that is not one, a cursor not of ours
            companies, contacts = [], []
            errors = {"q": t("sales.error.email" if "@" in query else "sales.error.value", desk.lang)}
    record_access(session, actor=desk.actor, contact_ids=[c.id for c in contacts], route="GET /desk/search")
    return render(request, "desk/search.html", lang=desk.lang, desk=desk, query=query, companies=companies,
                  contacts=contacts, cursors=cursors, errors=errors, values={"q": query},
                  status_code=422 if errors else 200,
                  can_write=may(desk, "POST", "/desk/contacts/new"))
