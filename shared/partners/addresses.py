"""Where a partner's endpoint may point: public addresses only, checked when the endpoint is
saved and again at every delivery, which connects to the very address that was checked.

Refused, after the name is resolved (every address it resolves to must pass): loopback, private
(10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 — cloud metadata — and fe80::/10),
shared (100.64/10), multicast, unspecified and reserved addresses, also when wrapped in IPv6
(::ffff:10.0.0.5, 6to4, Teredo). Loopback (127/8, ::1, `localhost`) and plain `http://` to it
are allowed only in development (REKISTERI_ENVIRONMENT=development) or where a test sets
REKISTERI_TRANSFER_ALLOW_LOOPBACK (refused in production). No redirects are followed.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from shared.settings import Environment, get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
SHARED = ipaddress.ip_network("100.64.0.0/10")


class AddressRefused(ValueError):
    """The endpoint points where deliveries may not go (`category` names the kind, for reasons)."""

    def __init__(self, message: str, category: str):
        super().__init__(message)
        self.category = category


def loopback_allowed() -> bool:
    settings = get_settings()
    return settings.environment is Environment.development or settings.transfer_allow_loopback


def _unwrapped(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        return ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None) or ip
    return ip


def kind_of(ip: IPAddress) -> str | None:
    """What makes this address off-limits (None: a public address, or loopback where allowed)."""
    ip = _unwrapped(ip)
    if ip.is_loopback:
        return None if loopback_allowed() else "loopback"
    if ip.is_link_local:
        return "link-local"
    if isinstance(ip, ipaddress.IPv4Address) and ip in SHARED:
        return "shared"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name resolves to (the name itself if it is an address); [] if none."""
    if (ip := _literal(host)) is not None:
        return [ip]
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))


def check(addresses: list[IPAddress]) -> None:
    for ip in addresses:
        if (kind := kind_of(ip)) is not None:
            raise AddressRefused(f"must not point at a {kind} address", kind)


def check_endpoint(url: str) -> str:
    """For the partner registry: refuse an endpoint that resolves to a refused address now. A name
    that does not resolve yet is accepted: every delivery resolves and checks it again."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("must be an https:// URL")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials: the shared secret signs each delivery")
    addresses = resolve(parts.hostname, parts.port or 443)
    if parts.scheme == "http" and not (loopback_allowed() and addresses
                                        and all(_unwrapped(ip).is_loopback for ip in addresses)):
        raise ValueError("must be an https:// URL (plain http only to this machine, in development)")
    try:
        check(addresses)
    except AddressRefused as exc:
        raise ValueError(str(exc)) from None
    return url


@dataclass(frozen=True)
class Pinned:
    """A request to the checked address: the URL names the address, Host and TLS name the host."""

    url: str
    host_header: str
    sni_hostname: str | None


def pin(url: str) -> Pinned:
    """Resolve the endpoint, check every address, and aim the request at the first one. Raises
    AddressRefused ('dns' when the name does not resolve)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not addresses:
        raise AddressRefused("the partner's host name does not resolve", "dns")
    check(addresses)
    if parts.scheme == "http" and not all(_unwrapped(ip).is_loopback for ip in addresses):
        raise AddressRefused("plain http only to this machine", "refused address")
    ip = addresses[0]
    shown = f"[{ip}]" if ip.version == 6 else str(ip)
    netloc = f"{shown}:{port}"
    host_header = parts.netloc.rpartition("@")[2]
    sni = None if _literal(host) is not None else host
    return Pinned(url=urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
                  host_header=host_header, sni_hostname=sni)
