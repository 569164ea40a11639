"""Server-side request forgery through a partner's endpoint (issue 13, item 3): internal
addresses are refused when the endpoint is saved (after DNS resolution) and again at every
delivery, which connects to the address it checked; plain http only to this machine in
development; a failure reason names a category, never the network error."""

from __future__ import annotations

import socket
import threading
import uuid

import pytest
from pydantic import ValidationError

from shared.partners import addresses
from shared.partners.schemas import PartnerCreate
from shared.settings import get_settings
from shared.transfers.service import run_transfer
from partner_endpoint import FAST, SECRET, make_partner, make_person, partner_server, transfer_for  # noqa: F401

BODY = {"name": "Kumppani Oy", "role": "recipient", "agreement_reference": "SOP-1", "agreement_signed_on": "2026-01-01",
        "purposes": ["billing"], "fields": ["email"], "delivery": "https", "secret": SECRET}
INTERNAL = ["https://169.254.169.254/latest/meta-data/", "https://10.0.0.5/", "https://[::1]/", "https://localhost/in",
            "http://localhost:6379/", "https://127.0.0.1:8443/", "https://100.64.0.1/", "https://224.0.0.1/",
            "https://192.168.1.10/", "https://172.16.0.1/", "https://[fe80::1]/", "https://[fd00::5]/",
            "https://0.0.0.0/", "https://240.0.0.1/", "https://[::ffff:10.0.0.5]/", "https://[::ffff:127.0.0.1]/",
            "https://127.0.0.1.nip.io/", "https://metadata.rebind.example/"]
REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture
def dns(monkeypatch):
    """The world's DNS for names this offline machine cannot look up: {name: address}."""
    names = {"127.0.0.1.nip.io": "127.0.0.1", "metadata.rebind.example": "169.254.169.254",
             "kumppani.example.com": "93.184.216.34"}

    def lookup(host, port, *args, **kwargs):
        if host in names:
            family = socket.AF_INET6 if ":" in names[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return names


@pytest.fixture
def no_loopback(monkeypatch):
    """Settings as in production: the tests' loopback allowance off."""
    monkeypatch.setenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("url", INTERNAL)
def test_an_endpoint_at_an_internal_address_is_refused(url, dns, no_loopback):
    with pytest.raises(ValidationError) as refused:
        PartnerCreate(**BODY, endpoint_url=url)
    [error] = refused.value.errors()
    assert error["loc"] == ("endpoint_url",) and ("address" in error["msg"] or "https://" in error["msg"])


@pytest.mark.parametrize("url", ["https://kumppani.example.com/in", "https://93.184.216.34/in",
                                 "https://not-yet-in-dns.example/in"])
def test_a_public_endpoint_is_accepted(url, dns, no_loopback):
    assert PartnerCreate(**BODY, endpoint_url=url).endpoint_url == url


def test_plain_http_and_loopback_only_with_the_development_allowance(dns, monkeypatch):
    get_settings.cache_clear()
    assert PartnerCreate(**BODY, endpoint_url="http://127.0.0.1:9/in").endpoint_url  # the tests' allowance
    with pytest.raises(ValidationError):
        PartnerCreate(**BODY, endpoint_url="http://kumppani.example.com/in")  # plain http elsewhere: never
    monkeypatch.setenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", "false")
    monkeypatch.setenv("REKISTERI_ENVIRONMENT", "development")
    get_settings.cache_clear()
    try:
        assert PartnerCreate(**BODY, endpoint_url="http://localhost:9/in").endpoint_url
    finally:
        get_settings.cache_clear()


def test_a_name_that_turns_internal_after_saving_is_refused_at_delivery(session, partner_server, dns, monkeypatch):
    """DNS rebinding: public when saved, 127.0.0.1 when delivering. Nothing reaches the address."""
    port = partner_server.server_address[1]
    partner = make_partner(session, f"https://kumppani.example.com:{port}/in")
    person = make_person(session)
    dns["kumppani.example.com"] = "127.0.0.1"
    monkeypatch.setenv("REKISTERI_TRANSFER_ALLOW_LOOPBACK", "false")
    get_settings.cache_clear()
    try:
        result = run_transfer(session, transfer_id=transfer_for(session, partner, purpose="billing",
                                                                companies=[person.company_id]).id, options=FAST)
    finally:
        get_settings.cache_clear()
    assert result["status"] == "failed"
    assert result["reason"] == ("could not deliver: the endpoint must not point at a loopback address "
                                "(refused address; not retried)")
    assert partner_server.attempts == 0


def test_delivery_connects_to_the_address_it_checked(session, partner_server, dns):
    """The name is resolved once per attempt and the connection goes to that address, with the
    name kept in the Host header (and in TLS, as the server name)."""
    port = partner_server.server_address[1]
    dns["partner.pinned.example"] = "127.0.0.1"
    partner = make_partner(session, f"http://partner.pinned.example:{port}/rekisteri")
    person = make_person(session)
    result = run_transfer(session, transfer_id=transfer_for(session, partner, purpose="billing",
                                                            companies=[person.company_id]).id, options=FAST)
    assert result["status"] == "delivered", result
    [delivered] = partner_server.received
    assert delivered["headers"]["Host"] == f"partner.pinned.example:{port}"
    pinned = addresses.pin(f"https://partner.pinned.example:{port}/x?y=1")
    assert (pinned.url, pinned.sni_hostname) == (f"https://127.0.0.1:{port}/x?y=1", "partner.pinned.example")


def _listener(answer: bytes | None) -> tuple[socket.socket, threading.Thread]:
    """A port that accepts and says `answer` (or nothing) before closing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            if answer:
                conn.recv(65536)
                conn.sendall(answer)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread


def test_a_failure_reason_does_not_tell_open_ports_from_closed_ones(session):
    """Closed, open but silent, open speaking another protocol: one reason for all three."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    silent, _ = _listener(None)
    redis_like, _ = _listener(b"-ERR unknown command\r\n")
    reasons = set()
    try:
        for port in (closed_port, silent.getsockname()[1], redis_like.getsockname()[1]):
            partner = make_partner(session, f"http://127.0.0.1:{port}/", name=f"Portti {uuid.uuid4().hex[:6]} Oy")
            person = make_person(session)
            result = run_transfer(session, transfer_id=transfer_for(session, partner, purpose="billing",
                                                                    companies=[person.company_id]).id, options=FAST)
            reasons.add(result["reason"])
    finally:
        silent.close()
        redis_like.close()
    assert reasons == {"could not deliver: no answer from the partner (network), after 3 attempts"}
