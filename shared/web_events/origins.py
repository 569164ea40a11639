"""The web origins a site key may be used from: a website's own JavaScript sends its events from
the visitor's browser, so /v1/web-events answers the CORS preflight for the origins of the
active keys, and a POST from a browser is accepted only from an origin its key names."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import any_, literal
from sqlmodel import Session, select

from shared.models import SiteKey

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(value: str) -> str:
    """`https://www.jetmasters.fi` as a browser sends it in `Origin`: scheme, host, and a port
    only when it is not the scheme's default; no path, query or user. ValueError otherwise."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise ValueError("an origin is scheme://host[:port], e.g. https://www.jetmasters.fi") from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        raise ValueError("an origin is http(s)://host[:port], e.g. https://www.jetmasters.fi")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("an origin has no path, query or fragment: only scheme://host[:port]")
    if not parts.hostname.isascii():
        raise ValueError("write an international domain name in its xn-- form, as browsers send it")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname.lower()
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else "")


def origin_allowed(session: Session, *, origin: str) -> bool:
    """Whether some active site key names this origin (the preflight carries no key)."""
    query = select(SiteKey.id).where(SiteKey.revoked_at.is_(None), literal(origin) == any_(SiteKey.origins)).limit(1)
    return session.exec(query).first() is not None


def key_allows(site_key: SiteKey, *, origin: str) -> bool:
    return origin in site_key.origins
