"""Who may call what: the role matrix, as data, and the one dependency that enforces it.

Every route of the app must have a rule here; a route without one answers 403 to everybody
(and tests/services/api/test_role_matrix.py fails). Admins maintain the system; they may open a
route that shows personal data only with a reason in the `X-Access-Reason` header, which the
access log records. The desk's pages (`/desk`, rules made with `desk_page`) obey the same table:
they are signed in with the session cookie instead of a bearer token, and their dependency
(services/api/pages/desk/auth.py) asks `refusal` just as `authorize` does; an admin gives the
reason in a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.api.deps import SessionDep
from shared.audit.service import Actor
from shared.auth.service import AuthError, authenticate
from shared.models import Role, User

ACCESS_REASON_HEADER = "X-Access-Reason"
MIN_REASON_LENGTH = 10


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] = frozenset()
    public: bool = False  # no bearer token (health, public forms, site-key ingest)
    personal_data: bool = False  # admins may call it with a stated reason
    desk: bool = False  # a desk page: signed in with the session cookie, never a bearer token


def staff(*roles: Role, personal_data: bool = False) -> Rule:
    return Rule(roles=frozenset(roles), personal_data=personal_data)


def desk_page(*roles: Role, personal_data: bool = False) -> Rule:
    return Rule(roles=frozenset(roles), personal_data=personal_data, desk=True)


ROLE_REFUSED = "your role may not do this"
REASON_NEEDED = (f"admins open personal data only with a reason in {ACCESS_REASON_HEADER} "
                 f"({MIN_REASON_LENGTH}+ characters); it is logged")


def refusal(rule: Rule, *, role: Role, reason: str | None) -> str | None:
    """Why a signed-in user of `role` may not use a route under `rule` (ROLE_REFUSED, REASON_NEEDED),
    or None: the one check for the API and the desk."""
    if role in rule.roles:
        return None
    if rule.personal_data and role == Role.admin:
        return None if len((reason or "").strip()) >= MIN_REASON_LENGTH else REASON_NEEDED
    return ROLE_REFUSED


DESK_EVERYONE = desk_page(Role.admin, Role.sales, Role.marketing, Role.privacy)
DESK_PRIVACY = desk_page(Role.privacy)
# the register's pages for sales and marketing: the rules of the API's REGISTER_READ / _WRITE and DEDUP
DESK_REGISTER_READ = desk_page(Role.sales, Role.marketing, Role.privacy, personal_data=True)
DESK_REGISTER_WRITE = desk_page(Role.sales, Role.marketing, personal_data=True)
DESK_DEDUP = desk_page(Role.sales, Role.marketing, Role.privacy)


PUBLIC = Rule(public=True)
ADMIN = staff(Role.admin)
EVERYONE = staff(Role.admin, Role.sales, Role.marketing, Role.privacy)
REGISTER_READ = staff(Role.sales, Role.marketing, Role.privacy, personal_data=True)
REGISTER_WRITE = staff(Role.sales, Role.marketing, personal_data=True)
PRIVACY = staff(Role.privacy)
PRIVACY_ADMIN = staff(Role.privacy, Role.admin)
DEDUP = staff(Role.sales, Role.marketing, Role.privacy)

ROUTE_RULES: dict[tuple[str, str], Rule] = {
    # operations
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/docs"): PUBLIC,  # the API documentation (services/api/docs.py)
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/v1/me"): EVERYONE,
    # jobs: admins see all; other staff see the jobs they started (imports)
    ("POST", "/v1/jobs/selftest"): ADMIN,
    ("GET", "/v1/jobs"): ADMIN,
    ("GET", "/v1/jobs/{job_id}"): EVERYONE,
    ("POST", "/v1/jobs/{job_id}/cancel"): ADMIN,
    ("POST", "/v1/emails/test"): ADMIN,
    # users and tokens
    ("GET", "/v1/users"): ADMIN,
    ("POST", "/v1/users"): ADMIN,
    ("PATCH", "/v1/users/{user_id}"): ADMIN,
    ("POST", "/v1/users/{user_id}/desk-link"): ADMIN,
    ("GET", "/v1/users/{user_id}/history"): ADMIN,
    ("GET", "/v1/users/{user_id}/tokens"): ADMIN,
    ("POST", "/v1/users/{user_id}/tokens"): ADMIN,
    ("DELETE", "/v1/tokens/{token_id}"): ADMIN,
    ("GET", "/v1/emails/{email_id}"): ADMIN,
    # companies
    ("GET", "/v1/companies"): REGISTER_READ,
    ("POST", "/v1/companies"): REGISTER_WRITE,
    ("GET", "/v1/companies/{company_id}"): REGISTER_READ,
    ("PATCH", "/v1/companies/{company_id}"): REGISTER_WRITE,
    ("DELETE", "/v1/companies/{company_id}"): REGISTER_WRITE,
    ("GET", "/v1/companies/{company_id}/history"): REGISTER_READ,
    # contacts
    ("GET", "/v1/contacts"): REGISTER_READ,
    ("POST", "/v1/contacts"): REGISTER_WRITE,
    ("GET", "/v1/contacts/{contact_id}"): REGISTER_READ,
    ("PATCH", "/v1/contacts/{contact_id}"): REGISTER_WRITE,
    ("DELETE", "/v1/contacts/{contact_id}"): REGISTER_WRITE,
    ("GET", "/v1/contacts/{contact_id}/history"): REGISTER_READ,
    ("POST", "/v1/contacts/{contact_id}/consents"): REGISTER_WRITE,
    ("POST", "/v1/contacts/{contact_id}/consents/{consent_id}/withdraw"): REGISTER_WRITE,
    ("GET", "/v1/contacts/{contact_id}/access-log"): staff(Role.privacy),
    ("POST", "/v1/contacts/{contact_id}/restriction/notice"): staff(Role.privacy),
    ("POST", "/v1/contacts/{contact_id}/restriction/lift"): staff(Role.privacy),
    # mailing lists and subscriptions
    ("GET", "/v1/lists"): REGISTER_READ,
    ("POST", "/v1/lists"): REGISTER_WRITE,
    ("GET", "/v1/lists/{list_id}"): REGISTER_READ,
    ("PATCH", "/v1/lists/{list_id}"): REGISTER_WRITE,
    ("DELETE", "/v1/lists/{list_id}"): REGISTER_WRITE,
    ("GET", "/v1/lists/{list_id}/subscriptions"): REGISTER_READ,
    ("POST", "/v1/lists/{list_id}/subscriptions"): REGISTER_WRITE,
    ("PATCH", "/v1/subscriptions/{subscription_id}"): REGISTER_WRITE,
    ("DELETE", "/v1/subscriptions/{subscription_id}"): REGISTER_WRITE,
    # interactions
    ("GET", "/v1/interactions"): REGISTER_READ,
    ("POST", "/v1/interactions"): REGISTER_WRITE,
    ("GET", "/v1/interactions/{interaction_id}"): REGISTER_READ,
    ("PATCH", "/v1/interactions/{interaction_id}"): REGISTER_WRITE,
    ("DELETE", "/v1/interactions/{interaction_id}"): REGISTER_WRITE,
    # feedback
    ("GET", "/v1/feedback"): REGISTER_READ,
    ("POST", "/v1/feedback"): REGISTER_WRITE,
    ("GET", "/v1/feedback/{feedback_id}"): REGISTER_READ,
    ("PATCH", "/v1/feedback/{feedback_id}"): REGISTER_WRITE,
    ("DELETE", "/v1/feedback/{feedback_id}"): REGISTER_WRITE,
    ("POST", "/v1/feedback/{feedback_id}/handle"): REGISTER_WRITE,
    # web behaviour: websites send events with a site key (checked by the route), not a token
    ("POST", "/v1/web-events"): PUBLIC,
    ("OPTIONS", "/v1/web-events"): PUBLIC,  # the CORS preflight, for origins a site key names
    ("GET", "/v1/web-events"): REGISTER_READ,
    ("POST", "/v1/web-events/identify"): REGISTER_WRITE,
    ("GET", "/v1/site-keys"): ADMIN,
    ("POST", "/v1/site-keys"): ADMIN,
    ("DELETE", "/v1/site-keys/{key_id}"): ADMIN,
    # data subjects: public, no login
    ("POST", "/public/requests"): PUBLIC,
    ("GET", "/public/verify/{token}"): PUBLIC,
    ("POST", "/public/verify/{token}"): PUBLIC,
    ("GET", "/public/exports/{export_id}"): PUBLIC,  # signed, expiring link
    # the privacy officer's desk
    ("GET", "/v1/subject-requests"): PRIVACY,
    ("POST", "/v1/subject-requests"): PRIVACY,
    ("GET", "/v1/subject-requests/{request_id}"): PRIVACY,
    ("POST", "/v1/subject-requests/{request_id}/verify"): PRIVACY,
    ("POST", "/v1/subject-requests/{request_id}/approve"): PRIVACY,
    ("POST", "/v1/subject-requests/{request_id}/repeat-decision"): PRIVACY,
    ("POST", "/v1/subject-requests/{request_id}/reject"): PRIVACY,
    ("POST", "/v1/subject-requests/{request_id}/extend"): PRIVACY,
    ("POST", "/v1/subject-requests/{request_id}/cancel"): PRIVACY,
    # campaigns (marketing); privacy may follow them
    ("GET", "/v1/campaigns"): staff(Role.marketing, Role.privacy),
    ("POST", "/v1/campaigns"): staff(Role.marketing),
    ("GET", "/v1/campaigns/{campaign_id}"): staff(Role.marketing, Role.privacy),
    ("PATCH", "/v1/campaigns/{campaign_id}"): staff(Role.marketing),
    ("GET", "/v1/campaigns/{campaign_id}/preview"): staff(Role.marketing, personal_data=True),
    ("POST", "/v1/campaigns/{campaign_id}/test-send"): staff(Role.marketing),
    ("POST", "/v1/campaigns/{campaign_id}/schedule"): staff(Role.marketing),
    ("POST", "/v1/campaigns/{campaign_id}/start"): staff(Role.marketing),
    ("POST", "/v1/campaigns/{campaign_id}/pause"): staff(Role.marketing),
    ("POST", "/v1/campaigns/{campaign_id}/resume"): staff(Role.marketing),
    ("POST", "/v1/campaigns/{campaign_id}/cancel"): staff(Role.marketing),
    ("GET", "/v1/campaigns/{campaign_id}/stats"): staff(Role.marketing, Role.privacy),
    ("GET", "/v1/campaigns/{campaign_id}/recipients"): staff(Role.marketing, Role.privacy, personal_data=True),
    # unknown SMTP outcomes: marketing and privacy staff review and resolve them
    ("GET", "/v1/campaigns/{campaign_id}/unknown-outcomes"): staff(Role.marketing, Role.privacy, personal_data=True),
    ("GET", "/v1/unknown-outcomes"): staff(Role.marketing, Role.privacy, personal_data=True),
    ("POST", "/v1/unknown-outcomes/{email_id}/resolve"): staff(Role.marketing, Role.privacy),
    ("GET", "/public/unsubscribe/{token}"): PUBLIC,
    ("POST", "/public/unsubscribe/{token}"): PUBLIC,
    # deduplication and merges
    ("POST", "/v1/dedup/runs"): DEDUP,
    ("GET", "/v1/dedup/runs/{run_id}"): DEDUP,
    ("GET", "/v1/dedup/candidates"): staff(Role.sales, Role.marketing, Role.privacy, personal_data=True),
    ("POST", "/v1/dedup/candidates/{group_id}/dismiss"): DEDUP,
    ("POST", "/v1/dedup/merges"): DEDUP,
    ("POST", "/v1/dedup/merges/{merge_id}/undo"): DEDUP,
    # partners, transfers, disclosures (privacy; admins maintain partners)
    ("GET", "/v1/partners"): PRIVACY_ADMIN,
    ("POST", "/v1/partners"): PRIVACY_ADMIN,
    ("GET", "/v1/partners/{partner_id}"): PRIVACY_ADMIN,
    ("PATCH", "/v1/partners/{partner_id}"): PRIVACY_ADMIN,
    # transfers put people's data in a file: admins only with a reason, logged per person
    ("GET", "/v1/transfers"): staff(Role.privacy, personal_data=True),
    ("POST", "/v1/transfers"): staff(Role.privacy, personal_data=True),
    ("GET", "/v1/transfers/{transfer_id}"): staff(Role.privacy, personal_data=True),
    ("GET", "/v1/disclosures"): staff(Role.privacy, personal_data=True),
    ("POST", "/v1/disclosures"): PRIVACY,
    ("GET", "/public/transfers/{transfer_id}/file"): PUBLIC,  # signed, expiring link
    # retention and legal holds
    ("GET", "/v1/retention/policy"): PRIVACY_ADMIN,
    ("GET", "/v1/retention/plan"): PRIVACY_ADMIN,
    ("GET", "/v1/retention/runs"): PRIVACY_ADMIN,
    ("POST", "/v1/retention/runs"): PRIVACY_ADMIN,
    ("GET", "/v1/legal-holds"): PRIVACY,
    ("POST", "/v1/legal-holds"): PRIVACY,
    ("POST", "/v1/legal-holds/{hold_id}/release"): PRIVACY,
    # the published privacy notice, records of processing, breaches
    ("GET", "/public/privacy-notice"): PUBLIC,
    ("GET", "/public/privacy-notice/versions"): PUBLIC,
    # the privacy centre: pages for data subjects (services/api/pages), no login; links are signed
    ("GET", "/privacy"): PUBLIC,
    ("GET", "/brand.css"): PUBLIC,
    ("GET", "/public/requests"): PUBLIC,  # the address earlier notices published: redirects to /privacy
    ("GET", "/privacy/requests/{kind}"): PUBLIC,
    ("POST", "/privacy/requests/{kind}"): PUBLIC,
    ("GET", "/privacy/requests/{kind}/sent"): PUBLIC,
    ("GET", "/privacy/verify/{token}"): PUBLIC,
    ("POST", "/privacy/verify/{token}"): PUBLIC,
    ("GET", "/privacy/status/{request_id}"): PUBLIC,
    ("GET", "/privacy/exports/{export_id}"): PUBLIC,
    ("GET", "/privacy/exports/{export_id}/answer"): PUBLIC,
    ("GET", "/privacy/preferences/{token}"): PUBLIC,
    ("POST", "/privacy/preferences/{token}"): PUBLIC,
    ("GET", "/privacy/preferences/{token}/join/{list_id}"): PUBLIC,
    ("POST", "/privacy/preferences/{token}/join/{list_id}"): PUBLIC,
    ("POST", "/v1/privacy-notice/versions"): PRIVACY,
    ("GET", "/v1/privacy-notice/draft"): PRIVACY_ADMIN,
    ("GET", "/v1/records-of-processing"): PRIVACY_ADMIN,
    ("GET", "/v1/breaches"): PRIVACY_ADMIN,
    ("POST", "/v1/breaches"): PRIVACY_ADMIN,
    ("GET", "/v1/breaches/{breach_id}"): PRIVACY_ADMIN,
    ("PATCH", "/v1/breaches/{breach_id}"): PRIVACY_ADMIN,
    ("POST", "/v1/breaches/{breach_id}/estimate"): PRIVACY_ADMIN,
    # bulk import (a job on the bulk queue)
    ("POST", "/v1/imports"): REGISTER_WRITE,
    # the desk (services/api/pages/desk): signing in needs no session; every other page does
    ("GET", "/desk/signin"): PUBLIC,
    ("POST", "/desk/signin"): PUBLIC,
    ("GET", "/desk/password/{token}"): PUBLIC,
    ("POST", "/desk/password/{token}"): PUBLIC,
    ("GET", "/desk/forgot"): PUBLIC,
    ("POST", "/desk/forgot"): PUBLIC,
    ("GET", "/desk"): DESK_EVERYONE,
    ("GET", "/desk/signin/code"): DESK_EVERYONE,
    ("POST", "/desk/signin/code"): DESK_EVERYONE,
    ("POST", "/desk/signout"): DESK_EVERYONE,
    ("POST", "/desk/reason"): DESK_EVERYONE,
    ("GET", "/desk/account"): DESK_EVERYONE,
    ("POST", "/desk/account/password"): DESK_EVERYONE,
    ("POST", "/desk/account/sessions/{session_id}/end"): DESK_EVERYONE,
    ("GET", "/desk/account/totp"): DESK_EVERYONE,
    ("POST", "/desk/account/totp"): DESK_EVERYONE,
    ("POST", "/desk/account/totp/off"): DESK_EVERYONE,
    ("POST", "/desk/account/recovery-codes"): DESK_EVERYONE,
    # the privacy officer's requests: the same role as /v1/subject-requests
    ("GET", "/desk/requests"): DESK_PRIVACY,
    ("GET", "/desk/requests/new"): DESK_PRIVACY,
    ("POST", "/desk/requests/new"): DESK_PRIVACY,
    ("GET", "/desk/requests/{request_id}"): DESK_PRIVACY,
    ("POST", "/desk/requests/{request_id}/{action}"): DESK_PRIVACY,
    # the register's pages: each with the rule of the API route it mirrors
    ("GET", "/desk/people"): desk_page(Role.privacy, personal_data=True),
    ("GET", "/desk/people/{contact_id}"): desk_page(Role.privacy, personal_data=True),
    ("POST", "/desk/people/{contact_id}/{action}"): DESK_PRIVACY,
    ("GET", "/desk/partners"): desk_page(Role.privacy, Role.admin),
    ("GET", "/desk/transfers/new"): desk_page(Role.privacy, personal_data=True),
    ("POST", "/desk/transfers/new"): desk_page(Role.privacy, personal_data=True),
    ("GET", "/desk/disclosures"): desk_page(Role.privacy, personal_data=True),
    ("GET", "/desk/retention"): desk_page(Role.privacy, Role.admin),
    ("POST", "/desk/retention/run"): desk_page(Role.privacy, Role.admin),
    ("POST", "/desk/retention/holds"): desk_page(Role.privacy),
    ("POST", "/desk/retention/holds/{hold_id}/release"): desk_page(Role.privacy),
    ("GET", "/desk/breaches"): desk_page(Role.privacy, Role.admin),
    ("POST", "/desk/breaches"): desk_page(Role.privacy, Role.admin),
    ("GET", "/desk/breaches/{breach_id}"): desk_page(Role.privacy, Role.admin),
    ("POST", "/desk/breaches/{breach_id}"): desk_page(Role.privacy, Role.admin),
    ("POST", "/desk/breaches/{breach_id}/estimate"): desk_page(Role.privacy, Role.admin),
    ("GET", "/desk/notice"): desk_page(Role.privacy, Role.admin),
    ("POST", "/desk/notice"): DESK_PRIVACY,
    ("GET", "/desk/mail-outcomes"): desk_page(Role.marketing, Role.privacy, personal_data=True),
    ("POST", "/desk/mail-outcomes/{kind}/{email_id}"): desk_page(Role.marketing, Role.privacy),
    # imports: the rule of POST /v1/imports; a job's page as GET /v1/jobs/{job_id} (own jobs; admins any)
    ("GET", "/desk/imports"): DESK_REGISTER_WRITE,
    ("POST", "/desk/imports"): DESK_REGISTER_WRITE,
    ("GET", "/desk/imports/{job_id}"): DESK_REGISTER_WRITE,
    ("GET", "/desk/imports/{job_id}/rejected.csv"): DESK_REGISTER_WRITE,
    # campaigns: each page with the rule of the API route it mirrors (privacy follows them)
    ("GET", "/desk/campaigns"): desk_page(Role.marketing, Role.privacy),
    ("GET", "/desk/campaigns/new"): desk_page(Role.marketing),
    ("POST", "/desk/campaigns/new"): desk_page(Role.marketing),
    ("GET", "/desk/campaigns/{campaign_id}"): desk_page(Role.marketing, Role.privacy),
    ("GET", "/desk/campaigns/{campaign_id}/edit"): desk_page(Role.marketing),
    ("POST", "/desk/campaigns/{campaign_id}/edit"): desk_page(Role.marketing),
    ("GET", "/desk/campaigns/{campaign_id}/preview"): desk_page(Role.marketing, personal_data=True),
    ("POST", "/desk/campaigns/{campaign_id}/test-send"): desk_page(Role.marketing),
    ("POST", "/desk/campaigns/{campaign_id}/schedule"): desk_page(Role.marketing),
    ("POST", "/desk/campaigns/{campaign_id}/{action}"): desk_page(Role.marketing),
    ("GET", "/desk/campaigns/{campaign_id}/recipients"): desk_page(Role.marketing, Role.privacy, personal_data=True),
    # sales and marketing: search, companies, contacts, lists, duplicates (the API's rules for the same)
    ("GET", "/desk/search"): DESK_REGISTER_READ,
    ("GET", "/desk/companies/new"): DESK_REGISTER_WRITE,
    ("POST", "/desk/companies/new"): DESK_REGISTER_WRITE,
    ("GET", "/desk/companies/{company_id}"): DESK_REGISTER_READ,
    ("GET", "/desk/companies/{company_id}/edit"): DESK_REGISTER_WRITE,
    ("POST", "/desk/companies/{company_id}/edit"): DESK_REGISTER_WRITE,
    ("GET", "/desk/contacts/new"): DESK_REGISTER_WRITE,
    ("POST", "/desk/contacts/new"): DESK_REGISTER_WRITE,
    ("GET", "/desk/contacts/{contact_id}"): DESK_REGISTER_READ,
    ("GET", "/desk/contacts/{contact_id}/edit"): DESK_REGISTER_WRITE,
    ("POST", "/desk/contacts/{contact_id}/edit"): DESK_REGISTER_WRITE,
    ("POST", "/desk/contacts/{contact_id}/interactions"): DESK_REGISTER_WRITE,
    ("POST", "/desk/contacts/{contact_id}/feedback"): DESK_REGISTER_WRITE,
    ("GET", "/desk/lists"): DESK_REGISTER_READ,
    ("POST", "/desk/lists"): DESK_REGISTER_WRITE,
    ("GET", "/desk/lists/{list_id}"): DESK_REGISTER_READ,
    ("POST", "/desk/lists/{list_id}/members"): DESK_REGISTER_WRITE,
    ("POST", "/desk/subscriptions/{subscription_id}/{action}"): DESK_REGISTER_WRITE,
    ("GET", "/desk/duplicates"): desk_page(Role.sales, Role.marketing, Role.privacy, personal_data=True),
    ("GET", "/desk/duplicates/{group_id}"): desk_page(Role.sales, Role.marketing, Role.privacy, personal_data=True),
    ("POST", "/desk/duplicates/{group_id}/merge"): DESK_DEDUP,
    ("POST", "/desk/duplicates/{group_id}/dismiss"): DESK_DEDUP,
    ("POST", "/desk/merges/{merge_id}/undo"): DESK_DEDUP,
}


def route_rule(request: Request) -> Rule | None:
    """The rule of the route a request matched (None: a route without one)."""
    return ROUTE_RULES.get((request.method, getattr(request.scope.get("route"), "path", "")))


_bearer = HTTPBearer(auto_error=False, description="A token from `rekisteri tokens create`")


def authorize(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    """Apply the route's rule: None for public routes, the user otherwise (401/403 if not)."""
    rule = route_rule(request)
    if rule is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="this route has no access rule")
    if rule.public or rule.desk:  # a desk page's own dependency applies the rule to the session's user
        return None
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    try:
        user = authenticate(session, token=credentials.credentials)
    except AuthError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"}) from None
    reason = (request.headers.get(ACCESS_REASON_HEADER) or "").strip()
    if refused := refusal(rule, role=user.role, reason=reason):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=refused)
    request.state.actor = Actor.user(user.id, reason=reason[:500] or None,
                                     request_id=getattr(request.state, "request_id", None))
    return user


CurrentUser = Annotated[User, Depends(authorize)]


def current_actor(request: Request, user: CurrentUser) -> Actor:
    return request.state.actor


StaffActor = Annotated[Actor, Depends(current_actor)]
