"""shared/dedup/scoring.py: the prior and how a pair's score depends on the register's size."""

from __future__ import annotations

from shared.dedup.normalize import contact_record
from shared.dedup.scoring import MAX_POPULATION, MIN_POPULATION, ContactScorer, Learned, prior_bits


class Shares:
    """A register of `total` records in which every value holds the same share of it, whatever
    its size: what a bigger register of the same kind of people looks like to the scorer."""

    SHARE = {"first_name": 1 / 150, "last_name": 1 / 200, "street": 1 / 20, "house_number": 1 / 40,  # streets recur town to town
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
    # a typo in the first name, the street left out: the kind of pair a directory holds (the last
    # name and the postcode agree); blocking found it either way
    a, b = person(1, "Aino", "Koulukatu 12 A 3"), person(2, "Ainl", "")
    small, large = ContactScorer(Shares(20_000)).score(a, b), ContactScorer(Shares(1_000_000)).score(a, b)
    assert small.probability > 0.5
    # the same evidence, a register fifty times bigger: the prior no longer drops it under the threshold
    assert large.prior == small.prior
    assert abs(large.weight - small.weight) < 0.1 and large.probability > 0.5
    # uncapped, log2(0.2 / 1,000,000) would have taken 5.6 bits off
    assert small.weight - 5.6 < 0


class Rare:
    """A register of a million where every value is rare."""

    total = 1_000_000

    def count(self, field: str, value: str) -> int:
        return 2


def at(id: int, first: str = "Aino", last: str = "Järvinen", street: str = "Koulukatu 12 A 3",
       postcode: str = "40100", city: str = "Jyväskylä") -> object:
    return contact_record(id=id, first_name=first, last_name=last, street=street, postcode=postcode, city=city)


def levels(score) -> dict[str, str]:
    return {f.field: f.level for f in score.fields}


def weights(score) -> dict[str, float]:
    return {f.field: f.weight for f in score.fields}


def test_a_house_number_one_keystroke_off_counts_less_against_than_another_number():
    scorer = ContactScorer(Rare())
    other = scorer.score(at(1), at(2, street="Koulukatu 47"))
    for typo in ("Koulukatu 13", "Koulukatu 21", "Koulukatu 122", "Koulukatu 2"):
        near = scorer.score(at(1), at(2, street=typo))
        assert levels(near)["house_number"] == "one_digit", typo
        assert weights(other)["house_number"] < weights(near)["house_number"] < 0
    assert levels(other)["house_number"] == "different"


def test_two_swapped_digits_of_a_postcode_are_one_keystroke_off():
    scorer = ContactScorer(Rare())
    assert levels(scorer.score(at(1), at(2, postcode="41000")))["postcode"] == "one_digit"
    assert levels(scorer.score(at(1), at(2, postcode="40910")))["postcode"] == "different"


def test_the_town_adds_nothing_where_the_postcode_already_agrees():
    scorer = ContactScorer(Rare())
    both = scorer.score(at(1, street=""), at(2, street=""))
    assert (levels(both)["postcode"], levels(both)["city"], weights(both)["city"]) == ("exact", "with_postcode", 0.0)
    no_postcode = scorer.score(at(1, street="", postcode=""), at(2, street=""))
    assert levels(no_postcode)["city"] == "exact" and weights(no_postcode)["city"] > 0
    moved = scorer.score(at(1, street=""), at(2, street="", postcode="40250"))
    assert levels(moved)["city"] == "exact" and weights(moved)["postcode"] < 0


def test_a_lone_name_is_compared_with_both_names_of_the_other_record():
    scorer = ContactScorer(Rare())
    # a surname written in the first-name box, the last-name box left empty
    surname = scorer.score(at(1, first="Järvinen", last=""), at(2))
    assert levels(surname) == {**levels(surname), "last_name": "swapped_exact"} and "first_name" not in levels(surname)
    assert surname.probability > 0.5
    # a first name in the last-name box, with a typo
    given = scorer.score(at(1, first="", last="Ainl"), at(2))
    assert levels(given)["first_name"] == "swapped_fuzzy" and "last_name" not in levels(given)
    # a lone name that agrees where it stands stays there
    straight = scorer.score(at(1, first="", last="Järvinen"), at(2))
    assert levels(straight)["last_name"] == "exact"
    # a lone name that agrees with neither is no swap
    neither = scorer.score(at(1, first="Eero", last=""), at(2))
    assert levels(neither)["first_name"] == "different"
    assert neither.probability < 0.5 < surname.probability


def test_one_street_name_in_two_towns_is_no_agreement_of_the_address():
    scorer = ContactScorer(Rare())
    elsewhere = scorer.score(at(1), at(2, postcode="33100", city="Tampere"))
    assert levels(elsewhere)["street"] == "other_town" and weights(elsewhere)["street"] == 0
    assert "house_number" not in levels(elsewhere) and levels(elsewhere)["city"] == "different"
    here = scorer.score(at(1), at(2, postcode="33100"))  # a postcode wrong beyond a typo, the town the same
    assert levels(here)["street"] == "exact" and weights(here)["street"] > 0


def test_a_namesake_elsewhere_in_town_is_not_linked_but_a_typo_of_the_address_is():
    # the same first and last name in one town: another street and postcode, or another house on
    # the street and another postcode, is another person; a keystroke off in each is the same one
    scorer = ContactScorer(Shares(20_000))  # common names: namesakes are many
    other_street = scorer.score(at(1), at(2, street="Pajatie 3", postcode="40320"))
    other_house = scorer.score(at(1), at(2, street="Koulukatu 47", postcode="40320"))
    typo = scorer.score(at(1), at(2, street="Koulukatu 13", postcode="40190"))
    assert levels(other_street)["street"] == "different" and levels(other_house)["postcode"] == "different"
    assert other_street.probability < 0.5 and other_house.probability < 0.5 < typo.probability


def test_learnt_weights_do_not_count_the_town_again_nor_a_street_of_another_town():
    # EM sees the town agree whenever the postcode does and would learn it as evidence of its own
    learned = Learned(prior=prior_bits(20_000), m={},
                      levels={("city", "with_postcode"): 3.0, ("street", "other_town"): -3.0, ("city", "different"): -2.0})
    scorer = ContactScorer(Rare(), learned)
    assert weights(scorer.score(at(1), at(2)))["city"] == 0.0
    elsewhere = scorer.score(at(1), at(2, postcode="33100", city="Tampere"))
    assert weights(elsewhere)["street"] == 0.0 and weights(elsewhere)["city"] == -2.0  # the rest is learnt


def test_every_level_of_an_address_or_a_lone_name_reads_in_fi_sv_and_en():
    from shared.i18n.table import t

    scorer = ContactScorer(Rare())
    pairs = [(at(1), at(2)), (at(1), at(2, street="Koulukatu 13", postcode="41000")),
             (at(1), at(2, postcode="33100", city="Tampere")), (at(1), at(2, street="Pajatie 3 A 1", postcode="40320")),
             (at(1, first="Järvinen", last=""), at(2)), (at(1, first="", last="Ainl"), at(2))]
    found = {f.level for a, b in pairs for f in scorer.score(a, b).fields}
    assert {"with_postcode", "other_town", "one_digit", "swapped_exact", "swapped_fuzzy"} <= found
    for level in found:
        base = level.removeprefix("swapped_")
        for language in ("fi", "sv", "en"):
            assert t(f"sales.dedup.level.{base}", language)


def test_a_numbered_mailbox_at_another_provider_links_a_copy_without_its_first_name():
    # 'anton.lehtonen1987' at Gmail and at Outlook: few namesakes choose the same name and number
    shares = Shares(20_000)
    scorer = ContactScorer(shares)

    def web(id: int, first: str, email: str) -> object:
        return contact_record(id=id, first_name=first, last_name="Lehtonen", email=email)

    moved = scorer.score(web(1, "Anton", "anton.lehtonen1987@gmail.com"), web(2, "", "anton.lehtonen1987@outlook.com"))
    assert levels(moved)["email"] == "local_part_tagged" and moved.probability > 0.5
    plain = scorer.score(web(1, "Anton", "anton.lehtonen@gmail.com"), web(2, "", "anton.lehtonen@outlook.com"))
    assert levels(plain)["email"] == "local_part" and plain.probability < 0.5  # no number: a namesake's too
