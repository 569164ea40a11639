"""The desk's one search box: what its text is (an email address, a business ID, a phone number,
else the start of a name), and the phone filter finding a person by any way of writing the number."""

from __future__ import annotations

import pytest

import factories
from shared.common.errors import InvalidInput
from shared.contacts.search import one_box, search_contacts


def test_the_text_is_read_as_what_it_is():
    assert one_box(" Maija.Maki@Example.FI ") == {"email": "maija.maki@example.fi"}
    assert one_box("1086291-5") == {"business_id": "1086291-5"}
    assert one_box("040 123 4567") == {"phone": "+358401234567"}
    assert one_box("+46 70 123 45 67") == {"phone": "+46701234567"}
    assert one_box("mäki") == {"q": "mäki"}
    assert one_box("Anna-Liisa Mäki") == {"q": "Anna-Liisa Mäki"}
    with pytest.raises(InvalidInput):
        one_box("maija@")


def test_a_phone_number_finds_its_person(session):
    person = factories.contact(session, phone="+358457654321")
    factories.contact(session, phone="+358457654322")
    found, _ = search_contacts(session, **one_box("045 765 4321"))
    assert [c.id for c in found] == [person.id]
