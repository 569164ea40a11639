"""shared/dedup/blocking.py: which pairs of a register of names and postal addresses are compared."""

from __future__ import annotations

from shared.dedup.blocking import CONTACT_KEYS, CONTACT_NEIGHBOURHOODS, candidate_pairs
from shared.dedup.normalize import contact_record


def person(id: int, first: str, last: str, street: str = "Ratakatu 33", postcode: str = "15180",
           city: str = "Lahti") -> object:
    return contact_record(id=id, first_name=first, last_name=last, street=street, postcode=postcode, city=city)


def compared(records) -> set[tuple[int, int]]:
    pairs, _ = candidate_pairs(records, CONTACT_KEYS, neighbourhoods=CONTACT_NEIGHBOURHOODS)
    return {(records[i].id, records[j].id) for i, j in pairs}


def test_one_street_address_is_a_key_whatever_the_names_say():
    # a typo in each name: no name's sound key is shared, and a crowd of neighbours in the sorted
    # order keeps the two apart there too
    crowd = [person(10 + n, f"Petr{chr(106 + n)}", f"Tanskan{chr(106 + n)}n", street=f"Pajatie {n + 1}")
             for n in range(6)]
    records = [person(1, "Petri", "Tanskanen"), person(2, "Pvetri", "Tasnkanen"), *crowd]
    assert (1, 2) in compared(records)
    # the town missing on one side, the postcode mistyped on the other: the other key still holds
    assert (1, 2) in compared([person(1, "Petri", "Tanskanen", city=""), person(2, "Pvetri", "Tasnkanen")])
    assert (1, 2) in compared([person(1, "Petri", "Tanskanen", postcode="15190"), person(2, "Pvetri", "Tasnkanen")])
    # another house number, or the same street in another town, is not this key
    alone, _ = candidate_pairs([person(1, "Petri", "Tanskanen"), person(2, "Pvetri", "Tasnkanen", street="Ratakatu 35",
                                                                       postcode="15200", city="Lahti"),
                                person(3, "Pvetri", "Tasnkanen", postcode="33100", city="Tampere")],
                               [f for f in CONTACT_KEYS if f[0] == "address"])
    assert alone == []


def test_records_at_a_company_have_no_address_key_of_their_own():
    at_work = [contact_record(id=n, first_name=f, last_name="Virtanen", company="Kone Oy", street="Ratakatu 33",
                              postcode="15180", city="Lahti") for n, f in ((1, "Aino"), (2, "Eero"))]
    alone, _ = candidate_pairs(at_work, [f for f in CONTACT_KEYS if f[0] == "address"])
    assert alone == []
