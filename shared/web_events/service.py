"""Behaviour on Jetmasters' websites: site keys, event ingest, linking visitors to contacts.

High volume: a batch of events is one multi-row INSERT; visitors already identified get their
contact at ingest, and identifying a visitor back-fills the events that were not linked yet.
Site keys are stored like user tokens: the clear key is shown once, only its SHA-256 hash is
kept (256 random bits, so an unsalted hash found by an index lookup is enough).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import unquote_plus

import structlog
from sqlalchemy import DateTime, Insert, String, bindparam, cast, func, insert, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, select

from shared.audit.service import OPERATOR, Actor, record, record_revoked
from shared.models import Contact, SiteKey, VisitorLink, WebEvent, utcnow
from shared.pagination import Sort
from shared.web_events.schemas import WebEventIn

log = structlog.get_logger(__name__)

SITE_KEY_PREFIX = "sk_"
_MAX_KEY_LENGTH = 200
# Query parameters whose value is personal data by their name alone ("-" counts as "_").
PERSONAL_PARAMS = frozenset({"email", "e_mail", "phone", "name", "first_name", "last_name", "token"})


class UnknownContact(LookupError):
    """The contact to link a visitor to does not exist."""


# --- site keys ---------------------------------------------------------------------------

def hash_site_key(key: str) -> str:
    """The SHA-256 hex digest stored for a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_site_key(session: Session, *, site: str, actor: Actor = OPERATOR) -> tuple[str, SiteKey]:
    """Create a key for a website; the clear key is returned once and never stored."""
    key = SITE_KEY_PREFIX + secrets.token_urlsafe(32)
    site_key = SiteKey(site=site, key_hash=hash_site_key(key))
    session.add(site_key)
    session.flush()
    record(session, entity=site_key, action="create", actor=actor, field="site", new=site)
    log.info("site_key.created", site_key_id=site_key.id)
    return key, site_key


def revoke_site_key(session: Session, *, key_id: int, actor: Actor = OPERATOR) -> SiteKey | None:
    """Revoke a key (idempotent); None if there is no such key."""
    key = session.get(SiteKey, key_id)
    if key is not None and record_revoked(session, entity=key, actor=actor):
        session.flush()
        log.info("site_key.revoked", site_key_id=key.id)
    return key


def list_site_keys(session: Session, *, include_revoked: bool = True) -> list[SiteKey]:
    """Every site key, oldest first."""
    query = select(SiteKey).order_by(SiteKey.id)
    if not include_revoked:
        query = query.where(SiteKey.revoked_at.is_(None))
    return list(session.exec(query).all())


def site_for_key(session: Session, *, key: str) -> str | None:
    """The site a valid, unrevoked key belongs to; None for anything else."""
    if not key.startswith(SITE_KEY_PREFIX) or len(key) > _MAX_KEY_LENGTH:
        return None
    digest = hash_site_key(key)
    found = session.exec(select(SiteKey).where(SiteKey.key_hash == digest)).first()
    if found is None or found.revoked_at is not None or not hmac.compare_digest(found.key_hash, digest):
        return None
    return found.site


# --- URL scrubbing -----------------------------------------------------------------------

def _personal(param: str) -> bool:
    name = param.partition("=")[0]
    if "%" in name or "+" in name:
        name = unquote_plus(name)
    lowered = param.lower()  # '@' as sent, percent-encoded once or twice
    return (name.strip().lower().replace("-", "_") in PERSONAL_PARAMS
            or "@" in lowered or "%40" in lowered or "%2540" in lowered)


def _scrub_params(params: str) -> str:
    return "&".join(p for p in params.split("&") if p and not _personal(p))


def scrub_url(url: str) -> str:
    """Drop obvious personal data from a page or referrer URL, keeping the rest byte for byte.

    Removed: query (and `#a=b&c=d` fragment) parameters named email, e-mail, phone, name,
    first_name, last_name or token (any case, `-` or `_`), every parameter whose decoded
    text contains an '@' (an email address as a value), and `user:password@` before the host.
    Other parameters (utm_*, ids, search terms) stay as sent, so the URL can only get shorter.
    """
    if "?" not in url and "#" not in url and "@" not in url:
        return url
    rest, has_fragment, fragment = url.partition("#")
    base, has_query, query = rest.partition("?")
    scheme, sep, after = base.partition("://")
    if sep:
        authority, slash, path = after.partition("/")
        base = scheme + sep + authority.rpartition("@")[2] + slash + path
    if has_query and (query := _scrub_params(query)):
        base += "?" + query
    if has_fragment:
        fragment = _scrub_params(fragment) if "=" in fragment else fragment
        base += ("#" + fragment) if fragment else ""
    return base


# --- ingest, identify, read --------------------------------------------------------------

def _ingest_statement() -> Insert:
    """INSERT … SELECT FROM unnest(column arrays) LEFT JOIN visitor_links: a whole batch, its
    visitor links included, in one statement of five parameters (compiled and prepared once)."""
    text_array, links = ARRAY(String), VisitorLink.__table__
    events = func.unnest(
        cast(bindparam("pages"), text_array), cast(bindparam("referrers"), text_array),
        cast(bindparam("times"), ARRAY(DateTime(timezone=True))), cast(bindparam("visitors"), text_array),
    ).table_valued("page", "referrer", "occurred_at", "visitor_id", with_ordinality="n").render_derived()
    rows = (
        select(cast(bindparam("event_site"), String), events.c.page, events.c.referrer, events.c.occurred_at,
               events.c.visitor_id, links.c.contact_id)
        .select_from(events.outerjoin(links, links.c.visitor_id == events.c.visitor_id))
        .order_by(events.c.n)  # ids in the order sent
    )
    columns = ["site", "page", "referrer", "occurred_at", "visitor_id", "contact_id"]
    return insert(WebEvent.__table__).from_select(columns, rows)


_INGEST = _ingest_statement()


def ingest_events(session: Session, *, site: str, events: Sequence[WebEventIn],
                  now: datetime | None = None) -> int:
    """Store a site's batch in one INSERT: URLs scrubbed of personal data (`scrub_url`), known visitors linked."""
    if not events:
        return 0
    now = now or utcnow()
    inserted = session.exec(_INGEST, params={
        "event_site": site,
        "pages": [scrub_url(event.page) for event in events],
        "referrers": [(scrub_url(event.referrer) or None) if event.referrer else None for event in events],
        "times": [event.occurred_at or now for event in events],
        "visitors": [event.visitor_id for event in events],
    }, execution_options={"preserve_rowcount": True}).rowcount
    log.debug("web_events.ingested", site=site, count=inserted)
    return inserted


def identify_visitor(session: Session, *, visitor_id: str, contact_id: int, actor: Actor) -> int:
    """Link a visitor to a contact and back-fill its unlinked events; returns how many."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise UnknownContact("no such contact")
    previous = session.exec(
        select(VisitorLink.contact_id).where(VisitorLink.visitor_id == visitor_id).with_for_update()
    ).first()
    link = pg_insert(VisitorLink.__table__).values(visitor_id=visitor_id, contact_id=contact_id, linked_at=utcnow())
    session.exec(link.on_conflict_do_update(
        index_elements=["visitor_id"],
        set_={"contact_id": link.excluded.contact_id, "linked_at": link.excluded.linked_at},
    ))
    linked = session.exec(
        update(WebEvent.__table__)
        .where(WebEvent.visitor_id == visitor_id, WebEvent.contact_id.is_(None))
        .values(contact_id=contact_id)
    ).rowcount
    if previous != contact_id:
        if previous is not None and (old := session.get(Contact, previous)) is not None:
            record(session, entity=old, action="update", field="web_visitor", old=visitor_id, actor=actor)
        record(session, entity=contact, action="update", field="web_visitor", new=visitor_id, actor=actor)
    log.info("web_events.visitor_linked", contact_id=contact_id, linked_events=linked,
             relinked_from=previous if previous != contact_id else None)
    return linked


def list_events(session: Session, *, contact_id: int | None = None, visitor_id: str | None = None,
                cursor: str | None = None, limit: int = 100) -> tuple[list[WebEvent], str | None]:
    """A contact's or visitor's events, newest first, one keyset page at a time."""
    if contact_id is None and visitor_id is None:
        raise ValueError("give contact_id or visitor_id")
    order = Sort(WebEvent.occurred_at, WebEvent.id, descending=True)
    query = order.select(WebEvent)
    if contact_id is not None:
        query = query.where(WebEvent.contact_id == contact_id)
    if visitor_id is not None:
        query = query.where(WebEvent.visitor_id == visitor_id)
    rows = session.exec(order.apply(query, cursor=cursor, limit=limit)).all()
    return Sort.page(rows, limit=limit)
