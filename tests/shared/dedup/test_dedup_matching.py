"""The matcher in memory: normalization, blocking recall, explainable scores, the chain guard,
and accuracy on generated records with known duplicates."""

from __future__ import annotations

import pytest

from shared.dedup.blocking import COMPANY_KEYS, CONTACT_KEYS, candidate_pairs, recall
from shared.dedup.clustering import cluster, match_records, pair_metrics
from shared.dedup.normalize import (company_name_key, company_record, contact_record, email_key, fold, phone_key,
                                    website_domain)
from shared.dedup.scoring import CompanyScorer, ContactScorer, CountedFrequencies, FieldScore, PairScore, similarity
from testdata.synthetic import duplicates


class Few:
    """Frequencies of a register of a million where every value is rare unless told otherwise."""

    total = 1_000_000

    def __init__(self, **counts: int):
        self.counts = counts

    def count(self, field: str, value: str) -> int:
        return self.counts.get(value, 2)


def person(id: int, first: str = "Maija", last: str = "Mäkinen", **fields) -> object:
    fields = {"email": f"{fold(first)}.{fold(last)}@kone.fi", "phone": "+358401234567", "company": "Kajaanin Kone Oy",
              **fields}
    return contact_record(id=id, first_name=first, last_name=last, **fields)


@pytest.mark.parametrize("a, b", [
    ("Kajaanin Kone Oy", "KAJAANIN KONE OYJ"), ("Kajaanin Kone Oy", "Kajaanin  Kone, Ab"),
    ("Oy Kajaanin Kone Ab", "Kajaanin Kone Ltd"), ("Mäkinen Tmi", "Makinen Ky"), ("Nokia Inc.", "nokia"),
])
def test_company_names_lose_case_punctuation_diacritics_and_legal_forms(a, b):
    assert company_name_key(a) == company_name_key(b) != ""


def test_websites_become_domains_and_emails_are_compared_with_care():
    assert website_domain("https://www.Example.fi/yhteys?x=1") == website_domain("example.fi") == "example.fi"
    assert email_key("Maija.Makinen+news@Kone.FI").local == "maija.makinen"
    assert email_key("maija.makinen@gmail.com").local == email_key("MaijaMakinen@googlemail.com").local
    assert email_key("makinen.maija@kone.fi").local_words == email_key("maija.makinen@other.fi").local_words
    assert email_key("info@kone.fi").generic and not email_key("maija@kone.fi").generic
    assert phone_key("040 123 4567") == phone_key("+358401234567") == "+358401234567"


def test_diacritics_are_a_second_key_that_counts_a_little_less():
    scorer = ContactScorer(Few())
    exact = scorer.score(person(1), person(2, email=None, phone=None))
    folded = scorer.score(person(1), person(2, "Maija", "Makinen", email=None, phone=None))
    last = {f.field: f for f in folded.fields}["last_name"]
    assert last.level == "diacritics" and 0 < exact.weight - folded.weight <= 0.5


def test_swapped_first_and_last_names_still_agree():
    score = ContactScorer(Few()).score(person(1), person(2, "Mäkinen", "Maija", email=None))
    levels = {f.field: f.level for f in score.fields}
    assert levels["first_name"] == levels["last_name"] == "swapped_exact"
    assert score.probability > 0.99


def test_rare_values_count_for_more_than_common_ones():
    scorer = ContactScorer(Few(virtanen=8000, matti=9000))
    common = scorer.score(person(1, "Matti", "Virtanen", email=None, phone=None),
                          person(2, "Matti", "Virtanen", email=None, phone=None))
    rare = scorer.score(person(1, "Wilhelmiina", "Öhman", email=None, phone=None),
                        person(2, "Wilhelmiina", "Öhman", email=None, phone=None))
    weights = lambda s: {f.field: f.weight for f in s.fields}  # noqa: E731
    assert weights(rare)["last_name"] > weights(common)["last_name"] + 5
    assert rare.weight > common.weight


def test_the_explanation_names_every_field_and_its_weight_but_no_value():
    a, b = person(1, phone="040 765 4321"), person(2, "Maija", "Mäkinem", email="maija.makinen@gmail.com")
    explained = ContactScorer(Few()).score(a, b).explain()
    assert {f["field"]: f["level"] for f in explained["fields"]} == {
        "first_name": "exact", "last_name": "fuzzy", "email": "local_part", "phone": "different", "company": "exact"}
    total = explained["prior"] + sum(f["weight"] for f in explained["fields"])
    assert explained["match_weight"] == pytest.approx(total, abs=0.05)
    assert "Maija" not in str(explained) and "kone" not in str(explained).lower()


def test_similarity_is_jaro_winkler():
    assert similarity("martha", "marhta") == pytest.approx(0.9611, abs=1e-4)
    assert similarity("dixon", "dicksonx") == pytest.approx(0.8133, abs=1e-4)
    assert similarity("", "x") == 0.0 and similarity("abc", "abc") == 1.0


def test_two_different_business_ids_are_never_one_company():
    a = company_record(id=1, name="Kajaanin Kone Oy", business_id="1086291-5", website="kone.fi", city="Kajaani")
    b = company_record(id=2, name="Kajaanin Kone Oyj", business_id="0112038-9", website="kone.fi", city="Kajaani")
    c = company_record(id=3, name="Kajaanin Kone", website="kone.fi", city="Kajaani")
    scorer = CompanyScorer(Few())
    assert scorer.score(a, b).cannot_link and scorer.score(a, b).probability == 0
    assert scorer.score(a, c).probability > 0.99 and scorer.score(b, c).probability > 0.99
    result = match_records("companies", [a, b, c])
    assert [sorted(g.members) for g in result.groups] in ([[1, 3]], [[2, 3]])  # never 1 and 2 together


def _link(a: int, b: int, weight: float) -> PairScore:
    return PairScore(a, b, weight, (FieldScore("x", "exact", weight),), 0.0)


def test_a_weak_link_does_not_chain_two_people_together():
    # 1~2 and 3~4 strongly; 2~3 just above the threshold: connected components would make one group
    links = [_link(1, 2, 20), _link(3, 4, 20), _link(2, 3, 0.5), _link(1, 4, -10)]
    groups = cluster(links)
    assert sorted(sorted(g.members) for g in groups) == [[1, 2], [3, 4]]


def test_every_member_links_directly_to_the_centre():
    groups = cluster([_link(1, 2, 10), _link(1, 3, 9), _link(2, 3, 8), _link(3, 4, 2)])
    assert [sorted(g.members) for g in groups] == [[1, 2, 3]]
    assert groups[0].centre == 1 and groups[0].score == pytest.approx(_link(1, 3, 9).probability)


def test_blocking_is_near_linear_and_keeps_the_true_pairs():
    rows, truth = duplicates(3000, seed=11)
    records = [contact_record(id=r["id"], **{k: r[k] for k in ("first_name", "last_name", "email", "phone", "company",
                                                              "business_id", "position", "postcode")}) for r in rows]
    pairs, stats = candidate_pairs(records, CONTACT_KEYS)
    compared = [(records[i].id, records[j].id) for i, j in pairs]
    assert stats.pairs < 2 * len(records)
    assert recall(compared, truth) >= 0.95


def test_f1_on_a_few_thousand_generated_records():
    rows, truth = duplicates(4000, seed=5)
    records = [contact_record(id=r["id"], **{k: r[k] for k in ("first_name", "last_name", "email", "phone", "company",
                                                              "business_id", "position", "postcode")}) for r in rows]
    result = match_records("contacts", records)
    figures = pair_metrics(result.groups, truth)
    assert figures["f1"] >= 0.95 and figures["precision"] >= 0.98, figures


def test_company_duplicates_are_found_across_legal_forms_and_typos():
    rows = [company_record(id=1, name="Kajaanin Kone Oy", business_id="1086291-5", website="https://www.kone.fi",
                           street="Pajatie 4", postcode="87100", city="Kajaani"),
            company_record(id=2, name="KAJAANIN KONE OYJ", website="kone.fi", postcode="87100", city="Kajaani"),
            company_record(id=3, name="Kajaanin Koen Oy", street="Pajatie 4", postcode="87100", city="Kajaani"),
            company_record(id=4, name="Oulun Sähkö Oy", postcode="90100", city="Oulu")]
    groups = match_records("companies", rows).groups
    assert [sorted(g.members) for g in groups] == [[1, 2, 3]]
    assert {f.field for f in groups[0].links[0].fields} >= {"name", "city"}
    pairs, _ = candidate_pairs(rows, COMPANY_KEYS)
    assert (0, 3) not in pairs and CountedFrequencies(rows, {"city": lambda r: r.city}).count("city", "oulu") == 1


def test_records_found_clearly_different_never_share_a_group():
    # 2 links to 1 and to 3, but 1 and 3 were compared and are clearly two people
    links = [_link(2, 1, 10), _link(2, 3, 9)]
    assert [sorted(g.members) for g in cluster(links)] == [[1, 2, 3]]
    assert [sorted(g.members) for g in cluster(links, apart={(1 << 32) | 3})] == [[1, 2]]


def test_the_evaluation_command_on_a_csv_pair(tmp_path):
    import csv

    from typer.testing import CliRunner

    from shared.cli.dedup import dedup_app

    rows, truth = duplicates(2000, seed=21)
    columns = ["id", "first_name", "last_name", "email", "phone", "company", "business_id", "position", "street",
               "postcode", "city"]
    with (tmp_path / "records.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    (tmp_path / "pairs.csv").write_text("id_a,id_b\n" + "".join(f"{a},{b}\n" for a, b in sorted(truth)))
    result = CliRunner().invoke(dedup_app, ["evaluate", "--records", str(tmp_path / "records.csv"),
                                            "--truth", str(tmp_path / "pairs.csv")])
    assert result.exit_code == 0, result.output
    last = dict(part.split("=") for part in result.output.strip().splitlines()[-1].split())
    assert list(last) == ["precision", "recall", "f1", "seconds", "records"] and last["records"] == "2000"
    assert float(last["f1"]) >= 0.95


def test_nicknames_are_a_second_first_name_key():
    from shared.dedup.blocking import _names
    from shared.dedup.nicknames import nickname_key

    assert nickname_key("matti") == nickname_key("matias") and nickname_key("kalle") == nickname_key("karl")
    assert nickname_key("bill") == nickname_key("william") and nickname_key("eero") != nickname_key("matti")
    scorer = ContactScorer(Few())
    short = scorer.score(person(1, "Matias", "Korhonen"), person(2, "Matti", "Korhonen", email=None))
    other = scorer.score(person(1, "Matias", "Korhonen"), person(2, "Eero", "Korhonen", email=None))
    assert {f.field: f.level for f in short.fields}["first_name"] == "nickname"
    assert {f.field: f.level for f in other.fields}["first_name"] == "different"
    assert short.weight > other.weight + 5
    assert _names(person(1, "Matias", "Korhonen")) == _names(person(2, "Korhonen", "Matti"))  # blocked together
