"""Behaviour on Jetmasters' websites: site keys, event ingest, linking visitors to contacts.

High volume: a batch of events is one COPY; visitors already identified get their
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
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, select

from shared.audit.service import OPERATOR, Actor, record, record_revoked
from shared.models import Contact, SiteKey, VisitorLink, WebEvent, utcnow
from shared.pagination import Sort
from shared.common.errors import NotAuthenticated, NotFound
from shared.web_events.schemas import WebEventIn

log = structlog.get_logger(__name__)

SITE_KEY_PREFIX = "sk_"
_MAX_KEY_LENGTH = 200
# Query parameters whose value is personal data by their name alone ("-" counts as "_").
PERSONAL_PARAMS = frozenset({"email", "e_mail", "phone", "name", "first_name", "last_name", "token"})


class UnknownContact(NotFound):
    """The contact to link a visitor to does not exist."""


class UnknownSiteKey(NotFound):
    """No site key has this id."""


class InvalidSiteKey(NotAuthenticated):
    """The X-Site-Key header is missing, unknown or revoked."""


# --- site keys ---------------------------------------------------------------------------

def hash_site_key(key: str) -> str:
    """The SHA-256 hex digest stored for a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_site_key(session: Session, *, site: str, origins: Sequence[str] = (),
                    actor: Actor = OPERATOR) -> tuple[str, SiteKey]:
    """Create a key for a website (and the web origins its pages send events from, normalized);
    the clear key is returned once and never stored."""
    key = SITE_KEY_PREFIX + secrets.token_urlsafe(32)
    site_key = SiteKey(site=site, key_hash=hash_site_key(key), origins=list(dict.fromkeys(origins)))
    session.add(site_key)
    session.flush()
    record(session, entity=site_key, action="create", actor=actor, field="site", new=site)
    log.info("site_key.created", site_key_id=site_key.id)
    return key, site_key


def revoke_site_key(session: Session, *, key_id: int, actor: Actor = OPERATOR) -> SiteKey:
    """Revoke a key (idempotent, with its history row); UnknownSiteKey if there is no such key."""
    key = session.get(SiteKey, key_id)
    if key is None:
        raise UnknownSiteKey("no such site key")
    if record_revoked(session, entity=key, actor=actor):
        session.flush()
        log.info("site_key.revoked", site_key_id=key.id)
    return key


def list_site_keys(session: Session, *, include_revoked: bool = True) -> list[SiteKey]:
    """Every site key, oldest first."""
    query = select(SiteKey).order_by(SiteKey.id)
    if not include_revoked:
        query = query.where(SiteKey.revoked_at.is_(None))
    return list(session.exec(query).all())


def active_site_key(session: Session, *, key: str) -> SiteKey | None:
    """The valid, unrevoked key; None for anything else."""
    if not key.startswith(SITE_KEY_PREFIX) or len(key) > _MAX_KEY_LENGTH:
        return None
    digest = hash_site_key(key)
    found = session.exec(select(SiteKey).where(SiteKey.key_hash == digest)).first()
    if found is None or found.revoked_at is not None or not hmac.compare_digest(found.key_hash, digest):
        return None
    return found


def site_for_key(session: Session, *, key: str) -> str | None:
    """The site a valid, unrevoked key belongs to; None for anything else."""
    found = active_site_key(session, key=key)
    return found.site if found else None


def require_site(session: Session, *, key: str | None) -> str:
    """The site of a valid key; InvalidSiteKey (and nothing more) for anything else."""
    site = site_for_key(session, key=key) if key else None
    if site is None:
        raise InvalidSiteKey("a valid site key is required")
    return site


# --- URL scrubbing -----------------------------------------------------------------------

def _personal(param: str) -> bool:
    name = param.partition("=")[0]
    if "%" in name or "+" in name:
        name = unquote_plus(name)
    lowered = param.lower()  # '@' as sent, percent-encoded once or twice
    return (name.strip().lower().replace("-", "_") in PERSONAL_PARAMS
            or "@" in lowered or "%40" in lowered or "%2540" in lowered)


_NAME_PARTS = ("mail", "phone", "name", "token")  # every PERSONAL_PARAMS name holds one of these


def _scrub_params(params: str) -> str:
    lowered = params.lower()
    if "%" in params or "+" in params or "@" in params or any(part in lowered for part in _NAME_PARTS):
        return "&".join(p for p in params.split("&") if p and not _personal(p))
    return "&".join(p for p in params.split("&") if p)  # no parameter can be personal: the common case


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

_COLUMNS = ("site", "page", "referrer", "occurred_at", "visitor_id", "contact_id")
_COPY = f"COPY {WebEvent.__tablename__} ({', '.join(_COLUMNS)}) FROM STDIN"
_LINKS = f"SELECT visitor_id, contact_id FROM {VisitorLink.__tablename__} WHERE visitor_id = ANY(%s)"


def ingest_events(session: Session, *, site: str, events: Sequence[WebEventIn],
                  now: datetime | None = None) -> int:
    """Store a site's batch with one COPY (ids in the order sent): URLs scrubbed of personal data
    (`scrub_url`), visitors already identified linked to their contact (one lookup for the batch)."""
    if not events:
        return 0
    now = now or utcnow()
    session.flush()
    visitors = sorted({event.visitor_id for event in events})
    with session.connection().connection.driver_connection.cursor() as cursor:
        links = dict(cursor.execute(_LINKS, [visitors]).fetchall())
        with cursor.copy(_COPY) as copy:
            for event in events:
                copy.write_row((site, scrub_url(event.page),
                                (scrub_url(event.referrer) or None) if event.referrer else None,
                                event.occurred_at or now, event.visitor_id, links.get(event.visitor_id)))
        inserted = cursor.rowcount
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
