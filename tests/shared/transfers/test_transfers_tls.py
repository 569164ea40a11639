"""Delivery over HTTPS to a local partner with its own certificate authority: the CA is made in
the test with `cryptography`, the partner verifies every signature and can fail on purpose.
Verification is never turned off: the CA is trusted through REKISTERI_TRANSFER_CA_BUNDLE, and
without it (or for a certificate naming another host) the delivery fails at once, saying why."""

from __future__ import annotations

import ipaddress
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlmodel import select
from partner_endpoint import FAST, make_partner, make_person, rows_of, transfer_for  # noqa: F401
from partner_endpoint import Partner as PartnerEndpoint  # noqa: F401

from shared.models import Disclosure
from shared.settings import get_settings
from shared.transfers.service import run_transfer


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kumppani Oy (test)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: x509.Name, key, issuer: x509.Name, issuer_key, *, ca: bool,
                 names: list[x509.GeneralName]) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
               .not_valid_after(now + timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
            decipher_only=False), critical=True)
    else:
        builder = (builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(path: Path, *items) -> Path:
    path.write_bytes(b"".join(
        item.public_bytes(serialization.Encoding.PEM) if isinstance(item, x509.Certificate)
        else item.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()) for item in items))
    return path


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, Path]:
    """A throwaway CA; a server certificate for 127.0.0.1 and one for another host, both signed by it."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(_name("Kumppani Test CA"), ca_key, _name("Kumppani Test CA"), ca_key, ca=True, names=[])
    out = {"ca": _pem(folder / "ca.pem", ca)}
    for label, names in (("local", [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                         ("elsewhere", [x509.DNSName("kumppani.example")])):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(_name(label), key, ca.subject, ca_key, ca=False, names=names)
        out[label] = _pem(folder / f"{label}.pem", cert, key)
    return out


def _serve(certificate: Path):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate)
    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerEndpoint)
    server.socket = context.wrap_socket(server.socket, server_side=True)  # a failed handshake drops the connection
    server.lock, server.attempts, server.failures, server.failure_status, server.received = (
        threading.Lock(), 0, 0, 503, [])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"https://127.0.0.1:{server.server_address[1]}/rekisteri"
    return server


@pytest.fixture
def https_partner(pki):
    server = _serve(pki["local"])
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def trust(monkeypatch):
    def configure(bundle: Path | None) -> None:
        if bundle is None:
            monkeypatch.delenv("REKISTERI_TRANSFER_CA_BUNDLE", raising=False)
        else:
            monkeypatch.setenv("REKISTERI_TRANSFER_CA_BUNDLE", str(bundle))
        get_settings.cache_clear()

    yield configure
    monkeypatch.delenv("REKISTERI_TRANSFER_CA_BUNDLE", raising=False)
    get_settings.cache_clear()


def test_https_delivery_with_the_partners_ca_is_verified_and_retried(session, https_partner, pki, trust):
    trust(pki["ca"])
    https_partner.failures = 2  # the partner's failure mode: 503 twice, then it takes the file
    partner = make_partner(session, https_partner.url)
    person = make_person(session)
    transfer = transfer_for(session, partner, companies=[person.company_id])

    result = run_transfer(session, transfer_id=transfer.id, options=FAST)

    assert result["status"] == "delivered", result
    assert (https_partner.attempts, transfer.attempts) == (3, 3)
    [delivery] = https_partner.received  # its handler checked the body hash and the HMAC signature
    assert [row["email"] for row in rows_of(delivery)] == [person.email]
    disclosed = session.exec(select(Disclosure.contact_id).where(Disclosure.request_id == transfer.id)).all()
    assert disclosed == [person.id]


def test_an_untrusted_certificate_fails_at_once_and_says_why(session, https_partner, trust):
    trust(None)  # the system trust store alone does not know the partner's CA
    partner = make_partner(session, https_partner.url)
    person = make_person(session)
    transfer = transfer_for(session, partner, companies=[person.company_id])

    result = run_transfer(session, transfer_id=transfer.id, options=FAST)

    assert result["status"] == "failed"
    assert result["reason"] == "could not deliver: the partner's TLS certificate did not verify (tls; not retried)"
    assert transfer.attempts == 1
    assert https_partner.attempts == 0 and https_partner.received == []  # no byte of the file was sent
    assert session.exec(select(Disclosure).where(Disclosure.request_id == transfer.id)).all() == []


def test_a_certificate_for_another_host_fails_even_from_a_trusted_ca(session, pki, trust):
    trust(pki["ca"])
    server = _serve(pki["elsewhere"])
    try:
        partner = make_partner(session, server.url)
        person = make_person(session)
        result = run_transfer(session, transfer_id=transfer_for(session, partner, companies=[person.company_id]).id,
                              options=FAST)
        assert result["status"] == "failed" and "did not verify (tls; not retried)" in result["reason"], result
        assert server.received == []
    finally:
        server.shutdown()
        server.server_close()


def test_a_missing_ca_bundle_fails_the_delivery_clearly(session, https_partner, tmp_path, trust):
    trust(tmp_path / "missing.pem")
    partner = make_partner(session, https_partner.url)
    person = make_person(session)
    result = run_transfer(session, transfer_id=transfer_for(session, partner, companies=[person.company_id]).id,
                          options=FAST)
    assert (result["status"], result["reason"]) == (
        "failed", "REKISTERI_TRANSFER_CA_BUNDLE cannot be loaded (FileNotFoundError)")
    assert https_partner.attempts == 0
