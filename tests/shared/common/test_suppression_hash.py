"""The suppression hash's fast path for plain addresses gives exactly what the validator's
normalization gives (shared/common/suppression.py normalized_for_hash)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from shared.common.suppression import _PLAIN_ADDRESS, email_hash, normalized_for_hash
from shared.common.validation import normalize_email

ADDRESSES = [
    "matti.virtanen@jetmasters.example", "  Matti.Virtanen+Uutiset@Jetmasters.EXAMPLE ", "o'brien@x.fi", "_@x.fi",
    "a..b@x.fi", ".a@x.fi", "a.@x.fi", "a@b", "a@-x.fi", "a@x-.fi", "a@x..fi", "a@x.fi.", "a@localhost",
    "a@x.local", "a@x.test", "a@x.123", "a@1.2.3.4", "x@xn--bcher-kva.example", "X@XN--BCHER-KVA.EXAMPLE",
    "äiti@esimerkki.fi", "a@bücher.example", '"a b"@x.fi', "a b@x.fi", "a@x.fi\n", "tab\t@x.fi",
    "verylonglocalpart" * 5 + "@x.fi", "a@" + "x" * 64 + ".fi", "a@" + ".".join(["abcdefghij"] * 30) + ".fi",
    "info@aaa-bbb.example", "a=b?c^d`e{f}g|h~i!j#k$l%m&n*o/p@x.fi", "@x.fi", "a@", "", "a@@x.fi",
]


def slow(address: str) -> str:
    try:
        return normalize_email(address)
    except ValueError:
        return address.strip().lower()


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_fast_path_normalizes_as_the_validator_does(address):
    assert normalized_for_hash(address) == slow(address)
    assert email_hash(address, key="k") == hmac.new(b"k", slow(address).encode(), hashlib.sha256).hexdigest()


def test_the_fast_path_is_taken_for_ordinary_addresses():
    assert _PLAIN_ADDRESS.match("matti.virtanen+uutiset@jetmasters.example")
    assert not _PLAIN_ADDRESS.match("äiti@esimerkki.fi") and not _PLAIN_ADDRESS.match("a b@x.fi")
