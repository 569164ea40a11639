import pytest

from shared.common.validation import (
    business_id_check_digit,
    normalize_business_id,
    normalize_email,
    normalize_phone,
    normalize_website,
)


@pytest.mark.parametrize("value, expected", [
    ("1086291-5", "1086291-5"),  # Jetmasters Oy
    (" 0112038-9 ", "0112038-9"),  # Nokia Oyj
    ("112038-9", "0112038-9"),  # an old six-digit ID, padded
    ("2331972-7", "2331972-7"),
])
def test_valid_business_ids(value, expected):
    assert normalize_business_id(value) == expected


@pytest.mark.parametrize("value", ["1086291-4", "1086291", "10862915", "abcdefg-1", "1086291-55", ""])
def test_invalid_business_ids(value):
    with pytest.raises(ValueError):
        normalize_business_id(value)


def test_check_digit_rules():
    # remainder 0 -> 0
    assert business_id_check_digit("0000000") == 0
    # a remainder of 1 makes every check digit invalid
    digits = next(f"{n:07d}" for n in range(10_000) if sum(int(d) * w for d, w in zip(f"{n:07d}", (7, 9, 10, 5, 8, 4, 2))) % 11 == 1)
    assert business_id_check_digit(digits) is None
    for check in range(10):
        with pytest.raises(ValueError):
            normalize_business_id(f"{digits}-{check}")


@pytest.mark.parametrize("value, expected", [
    ("Matti.Meikalainen@Example.FI", "matti.meikalainen@example.fi"),
    ("  anna@jetmasters.fi ", "anna@jetmasters.fi"),
    ("pekka@Bücher.de", "pekka@bücher.de"),
])
def test_emails_are_normalized(value, expected):
    assert normalize_email(value) == expected


@pytest.mark.parametrize("value", ["not-an-email", "a@", "@b.fi", "a b@c.fi", "a@b"])
def test_invalid_emails_are_refused_without_echoing_them(value):
    with pytest.raises(ValueError) as raised:
        normalize_email(value)
    assert value.strip() not in str(raised.value) or len(value.strip()) < 3


@pytest.mark.parametrize("value, expected", [
    ("040 123 4567", "+358401234567"),
    ("+358 40 1234567", "+358401234567"),
    ("09 1234 5678", "+358912345678"),
    ("+46 8 123 456 78", "+46812345678"),
])
def test_phones_become_e164(value, expected):
    assert normalize_phone(value) == expected


@pytest.mark.parametrize("value", ["123", "phone", "+358 1", ""])
def test_invalid_phones_are_refused(value):
    with pytest.raises(ValueError):
        normalize_phone(value)


def test_websites_get_a_scheme():
    assert normalize_website("jetmasters.fi") == "https://jetmasters.fi"
    with pytest.raises(ValueError):
        normalize_website("not a site")
