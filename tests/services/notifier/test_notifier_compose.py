"""What goes on the wire: the notifier's fast message bytes read as the email library writes
them, and DKIM signatures (services/notifier/signing.py: dkimpy's canonicalization, the RSA step
by `cryptography`) are byte for byte what dkimpy writes, verify, cover the opt-out headers, and
are on every message a real notifier sends to a real SMTP server."""

from __future__ import annotations

import base64
import email
import email.policy
import time
import uuid

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.notifier.compose import build_message, fast_bytes, message_bytes
from services.notifier.signing import DKIM_HEADERS, DkimSigner
from shared.outbox.service import ClaimedEmail
from shared.settings import Settings
from support import wait_until
from notifier_harness import RunningNotifier, bulk_audience, empty_outbox, notifier_settings, smtp_server, start_campaign  # noqa: F401

SELECTOR, DOMAIN = "rk2026", "jetmasters.example"


def _claimed(**fields) -> ClaimedEmail:
    values = dict(id=uuid.uuid4(), to_address="maija.meikalainen@example.fi",
                  from_address="Jetmasters Oy <markkinointi@jetmasters.example>", subject="Hei Maija",
                  body_text="Hei!\n.piste rivin alussa\n" + "pitkä rivi " * 120, body_html="<p>Hei <b>Maija</b></p>",
                  headers={"List-Unsubscribe": "<https://rekisteri.jetmasters.example/public/unsubscribe/"
                                               + "1" * 60 + ">",
                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Precedence": "bulk",
                           "List-Id": "<list-7.jetmasters.example>"},
                  message_id=f"<{uuid.uuid4().hex}@jetmasters.example>", request_id=None, attempt=1)
    return ClaimedEmail(**{**values, **fields})


@pytest.mark.parametrize("fields", [
    {},
    {"body_html": None},
    {"subject": "Syksyn uutiset – ääkköset ja € " * 4, "from_address": "Jetmästers Öy <markkinointi@jetmasters.example>"},
    {"body_text": "ascii only\n" * 10, "body_html": None, "subject": "x" * 300},
    {"headers": {"Reply-To": "Myynti Äyräs <myynti@jetmasters.example>", "X-Note": "ääkkönen"}},
])
def test_the_fast_bytes_read_as_the_email_library_writes_them(fields):
    claimed = _claimed(**fields)
    fast = email.message_from_bytes(fast_bytes(claimed), policy=email.policy.default)
    slow = email.message_from_bytes(bytes(build_message(claimed)), policy=email.policy.default)
    for name in ("From", "To", "Subject", "Message-ID", *claimed.headers):
        assert str(fast[name]) == str(slow[name]), name
    for kind in ("plain", "html"):
        part, expected = fast.get_body((kind,)), slow.get_body((kind,))
        assert (part and part.get_content().replace("\r\n", "\n")) == (expected and expected.get_content())
    raw = fast_bytes(claimed)
    assert b"\n" not in raw.replace(b"\r\n", b"") and all(len(line) <= 998 for line in raw.split(b"\r\n"))


@pytest.fixture(scope="module")
def dkim_key(tmp_path_factory) -> tuple[str, bytes]:
    """A throwaway RSA key in a PEM file (PKCS#1, as `openssl genrsa -traditional` writes it) and
    the p= value of its DNS record."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path_factory.mktemp("dkim") / "rekisteri.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    return str(path), base64.b64encode(public)


def _dns(public: bytes):
    def dnsfunc(name: bytes, timeout: int = 5) -> bytes | None:
        return b"v=DKIM1; k=rsa; p=" + public if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None
    return dnsfunc


def dkim_settings(path: str, **values) -> Settings:
    return Settings(_env_file=None, dkim_selector=SELECTOR, dkim_domain=DOMAIN, dkim_private_key_path=path, **values)


def test_dkim_signs_the_final_bytes_with_the_opt_out_headers(dkim_key):
    path, public = dkim_key
    assert DkimSigner.from_settings(Settings(_env_file=None, dkim_selector=SELECTOR, dkim_domain=DOMAIN)) is None
    signer = DkimSigner.from_settings(dkim_settings(path))
    assert signer is not None
    finished = message_bytes(_claimed(subject="Syksyn uutiset – ääkköset"))
    data = signer.sign(finished)
    assert data.startswith(b"DKIM-Signature:") and data.endswith(finished), "the signature wraps the finished bytes"
    assert dkim.verify(data, dnsfunc=_dns(public))
    assert {"from", "to", "subject", "message-id", "list-id", "list-unsubscribe", "list-unsubscribe-post"} <= signed(data)
    forged = data.replace(b"/public/unsubscribe/1111", b"/public/unsubscribe/2222")
    assert not dkim.verify(forged, dnsfunc=_dns(public)), "a changed opt-out link breaks the signature"
    dropped = data.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", b"")
    assert dropped != data and not dkim.verify(dropped, dnsfunc=_dns(public)), "so does a dropped one-click header"
    relisted = data.replace(b"<list-7.", b"<list-8.")
    assert relisted != data and not dkim.verify(relisted, dnsfunc=_dns(public)), "and a changed List-Id"


def signed(data: bytes) -> set[str]:
    """The header fields a message's DKIM signature covers (its h= tag)."""
    signature = email.message_from_bytes(data, policy=email.policy.default)["DKIM-Signature"]
    return {h.strip().lower() for h in signature.split("h=")[1].split(";")[0].replace("\r\n", "").split(":")}


@pytest.mark.parametrize("fields", [{}, {"body_html": None, "headers": {}},
                                    {"subject": "Ääkköset € " * 20, "body_text": "rivi  \t \n\n\n"}])
def test_the_signature_is_what_dkimpy_writes(dkim_key, fields):
    """The RSA step by `cryptography` changes nothing: the same field, byte for byte, as
    dkim.sign writes for the same message, key and moment."""
    path, _ = dkim_key
    signer = DkimSigner.from_settings(dkim_settings(path))
    data = message_bytes(_claimed(**fields))
    headers, _ = dkim.rfc822_parse(data)
    include = [h for h in DKIM_HEADERS if h in {name.lower() for name, _ in headers}]
    for _ in range(3):  # the t= tag is the current second: try again if a second boundary fell in between
        at = int(time.time())
        ours = signer.signature(data, now=at)
        theirs = dkim.sign(data, SELECTOR.encode(), DOMAIN.encode(), signer.private_key,
                           canonicalize=(b"relaxed", b"relaxed"), include_headers=include)
        if int(time.time()) == at:
            break
    assert ours == theirs


def test_a_key_that_does_not_load_stops_the_notifier_at_start(tmp_path):
    bad = tmp_path / "broken.pem"
    bad.write_bytes(b"-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n")
    with pytest.raises(ValueError):
        DkimSigner.from_settings(dkim_settings(str(bad)))


def test_the_notifier_sends_dkim_signed_mail_that_verifies(services_env, empty_outbox, smtp_server, dkim_key):  # noqa: F811
    path, public = dkim_key
    handler, port = smtp_server
    list_id, _ = bulk_audience(3)
    start_campaign(list_id)
    notifier = RunningNotifier(notifier_settings(port, dkim_selector=SELECTOR, dkim_domain=DOMAIN,
                                                 dkim_private_key_path=path, notifier_dkim_processes=1))
    try:
        wait_until(lambda: len(handler.accepted) == 3, timeout=30, message="the campaign")
    finally:
        notifier.stop()
    for _, _, content in handler.accepted:
        assert b"List-Unsubscribe:" in content and dkim.verify(content, dnsfunc=_dns(public))
        assert {"list-id", "list-unsubscribe", "list-unsubscribe-post"} <= signed(content)
