"""shared/dedup/scoring.py: the prior and how a pair's score depends on the register's size."""

from __future__ import annotations

from shared.dedup.normalize import contact_record
from shared.dedup.scoring import MAX_POPULATION, MIN_POPULATION, ContactScorer, prior_bits


class Shares:
    """A register of `total` records in which every value holds the same share of it, whatever
    its size: what a bigger register of the same kind of people looks like to the scorer."""

    SHARE = {"first_name": 1 / 150, "last_name": 1 / 200, "street": 1 / 500, "house_number": 1 / 40,
             "postcode": 1 / 3000, "city": 1 / 50}

    def __init__(self, total: int):
        self.total = total

    def count(self, field: str, value: str) -> int | None:
        share = self.SHARE.get(field)
        return None if share is None else round(share * self.total)


def person(id: int, first: str, street: str, postcode: str = "40100") -> object:
    return contact_record(id=id, first_name=first, last_name="Järvinen", street=street, postcode=postcode,
                          city="Jyväskylä")


def test_the_prior_is_held_between_the_smallest_and_the_largest_population():
    assert prior_bits(500) == prior_bits(MIN_POPULATION)
    assert prior_bits(MIN_POPULATION) > prior_bits(15_000) > prior_bits(MAX_POPULATION)
    assert prior_bits(100_000) == prior_bits(1_000_000) == prior_bits(MAX_POPULATION)


def test_a_near_agreement_links_in_a_million_as_it_does_in_twenty_thousand():
    # a typo in the first name, another house number and a postcode one digit off: one person
    # who moved within the street, the kind of pair a directory holds; blocking found it either way
    a, b = person(1, "Aino", "Koulukatu 12 A 3"), person(2, "Ainl", "Koulukatu 14", postcode="40190")
    small, large = ContactScorer(Shares(20_000)).score(a, b), ContactScorer(Shares(1_000_000)).score(a, b)
    assert small.probability > 0.5
    # the same evidence, a register fifty times bigger: the prior no longer drops it under the threshold
    assert large.prior == small.prior
    assert abs(large.weight - small.weight) < 0.1 and large.probability > 0.5
    # uncapped, log2(0.2 / 1,000,000) would have taken 5.6 bits off
    assert small.weight - 5.6 < 0
