"""The matcher on registers of other shapes than our own (issue 18): string ids, records without
email, phone or company, names' sound keys, postal addresses, a typo in a name's first letters,
weights learnt from the data, and accuracy on the directory and web-form profiles."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from shared.cli.dedup import dedup_app
from shared.dedup.blocking import CONTACT_KEYS, CONTACT_NEIGHBOURHOODS, candidate_pairs
from shared.dedup.clustering import match_records
from shared.dedup.evaluation import EvaluationError, evaluate_rows
from shared.dedup.learning import learn
from shared.dedup.normalize import contact_record
from shared.dedup.phonetic import sound_key, street_parts
from shared.dedup.scoring import ContactScorer, CountedFrequencies, CONTACT_FREQUENCY_FIELDS, Learned
from testdata.synthetic_profiles import COLUMNS, PROFILES, profile, write_profile


class Rare:
    """A register of a million where every value is rare."""

    total = 1_000_000

    def count(self, field: str, value: str) -> int:
        return 2


def levels(score) -> dict[str, str]:
    return {f.field: f.level for f in score.fields}


@pytest.mark.parametrize("a, b", [
    ("Järvinen", "Jarwinen"), ("Lindqvist", "Lindquist"), ("Christina", "Kristiina"), ("Mikael", "Michael"),
    ("Carl", "Karl"), ("Sjöberg", "Schöberg"), ("Hjalmar", "Jalmar"), ("Mäkinen", "Mäkkinen"), ("Wikström", "Vikström"),
])
def test_the_sound_key_joins_finnish_swedish_and_english_spellings(a, b):
    assert sound_key(a) == sound_key(b) != ""


@pytest.mark.parametrize("a, b", [("Virtanen", "Virtala"), ("Järvinen", "Järvi"), ("Aino", "Eino")])
def test_the_sound_key_keeps_different_names_apart(a, b):
    assert sound_key(a) != sound_key(b)


@pytest.mark.parametrize("address, parts", [
    ("Mannerheimintie 12 B 5", ("mannerheimintie", "12", "b5")), ("Hämeenk. 3", ("hameenkatu", "3", "")),
    ("Koivukj. 7 as. 4", ("koivukuja", "7", "4")), ("Rantatie 5a", ("rantatie", "5", "a")), ("", ("", "", "")),
])
def test_a_street_address_splits_into_street_house_number_and_flat(address, parts):
    assert street_parts(address) == parts


def at(id: int, first: str = "Aino", last: str = "Järvinen", street: str = "Koulukatu 12 A 3",
       postcode: str = "40100", city: str = "Jyväskylä") -> object:
    return contact_record(id=id, first_name=first, last_name=last, street=street, postcode=postcode, city=city)


def test_the_address_is_scored_street_and_house_number_apart_with_levels():
    scorer = ContactScorer(Rare())
    same = scorer.score(at(1), at(2, street="Koulukatu 12 a 3"))
    assert levels(same) == {"first_name": "exact", "last_name": "exact", "street": "exact", "house_number": "exact",
                            "postcode": "exact", "city": "with_postcode"}  # the postcode names the town
    moved = scorer.score(at(1), at(2, street="Koulukatu 47", postcode="33700"))
    assert levels(moved)["house_number"] == "different" and levels(moved)["postcode"] == "different"
    typo = scorer.score(at(1), at(2, street="Koulukatu 12 A 4", postcode="40190", city="Jyvaskyla"))
    assert (levels(typo)["house_number"], levels(typo)["postcode"]) == ("other_flat", "one_digit")
    assert levels(typo)["city"] == "exact"  # folded
    assert same.weight > typo.weight > moved.weight
    assert "Koulukatu" not in str(same.explain()) and "40100" not in str(same.explain())


def test_a_relative_at_one_address_is_not_a_duplicate_but_a_typo_is():
    rows, _ = profile("directory", 3000, seed=2)  # a register's frequencies of names, streets and towns
    register = [contact_record(id=n, **{k: v for k, v in r.items() if k != "id"}) for n, r in enumerate(rows, 1)]
    scorer = ContactScorer(CountedFrequencies([*register, at(1)], CONTACT_FREQUENCY_FIELDS))
    assert scorer.score(at(1), at(2, first="Eero")).probability < 0.5
    assert scorer.score(at(1), at(2, first="Ainl")).probability > 0.9
    assert scorer.score(at(1), at(2, first="Vino")).probability > 0.9  # one edit at the first letter


def test_records_with_only_names_and_an_address_are_compared():
    records = [at(1), at(2, last="Jarwinen", postcode=""), at(3, first="Eero", last="Virtanen", street="Pajatie 3"),
               contact_record(id=4, first_name="Aino", last_name="Härvinen"), contact_record(id=5, first_name="Aino",
                                                                                            last_name="Järvinen")]
    pairs, _ = candidate_pairs(records, CONTACT_KEYS, neighbourhoods=CONTACT_NEIGHBOURHOODS)
    ids = {(records[i].id, records[j].id) for i, j in pairs}
    assert (1, 2) in ids  # a sound key and the address
    assert (4, 5) in ids  # a typo in the first letter: side by side in a sorted neighbourhood
    alone, _ = candidate_pairs(records, [f for f in CONTACT_KEYS if f[0] == "sound+address"])
    assert (0, 1) in alone and (0, 2) not in alone  # the street and house number with a name's sound


def test_a_nickname_folded_diacritics_and_one_phone_at_one_firm_are_grouped_in_a_run():
    def desk(id: int, first: str, last: str) -> object:
        return contact_record(id=id, first_name=first, last_name=last, phone="+358401234567", company="Kone Oy",
                              email=f"{first.lower()}.jarvinen@kone.fi")
    result = match_records("contacts", [desk(1, "Jussi", "Järvinen"), desk(2, "Juhani", "Jarvinen")])
    [group] = result.groups
    assert sorted(group.members) == [1, 2]
    assert levels(group.links[0]).items() >= {"first_name": "nickname", "last_name": "diacritics",
                                              "email": "nickname"}.items()


def test_a_numbered_mailbox_moved_or_mistyped_still_agrees():
    scorer = ContactScorer(Rare())
    def web(id: int, email: str) -> object:
        return contact_record(id=id, first_name="Anton", last_name="Lehtonen", email=email)
    moved = scorer.score(web(1, "anton.lehtonen1987@gmail.com"), web(2, "anton.lehtonen1987@outlook.com"))
    typo = scorer.score(web(1, "anton.lehtonen1987@gmail.com"), web(2, "anton.lehtoenn1987@gmail.com"))
    namesake = scorer.score(web(1, "anton.lehtonen1987@gmail.com"), web(2, "anton.lehtonen2011@gmail.com"))
    assert levels(moved)["email"] == "local_part_tagged" and levels(typo)["email"] == "fuzzy_tagged"
    assert levels(namesake)["email"] == "different"


def test_the_evaluation_takes_string_ids_and_missing_columns():
    rows = [{"id": "a-1", "first_name": "Aino", "last_name": "Järvinen", "street": "Koulukatu 12", "postcode": "40100"},
            {"id": "b-7", "first_name": "Aino", "last_name": "Jarvinen", "street": "Koulukatu 12", "postcode": "40100"},
            {"id": "c-3", "first_name": "Eero", "last_name": "Virtanen"}]
    f = evaluate_rows(rows, [{"id_a": "b-7", "id_b": "a-1"}])
    assert (f["precision"], f["recall"], f["blocking_recall"], f["true_pairs"]) == (1.0, 1.0, 1.0, 1)
    with pytest.raises(EvaluationError, match="x-9"):
        evaluate_rows(rows, [{"id_a": "a-1", "id_b": "x-9"}])
    with pytest.raises(EvaluationError, match="twice"):
        evaluate_rows(rows + rows[:1], [])


def test_the_profiles_are_deterministic_with_string_ids_and_the_truth():
    for name in PROFILES:
        rows, truth = profile(name, 1000, seed=4)
        assert (rows, truth) == profile(name, 1000, seed=4) and truth
        ids = {r["id"] for r in rows}
        assert len(ids) == 1000 and all(isinstance(i, str) for i in ids)
        assert all(a < b and a in ids and b in ids for a, b in truth)
    directory, _ = profile("directory", 1000, seed=4)
    assert set(COLUMNS["directory"]) == {"id", "first_name", "last_name", "street", "postcode", "city"}
    assert not any(r.get("email") or r.get("phone") or r.get("company") for r in directory)


@pytest.mark.parametrize("name, f1", [("directory", 0.94), ("web_form", 0.92), ("mixed", 0.97)])
def test_the_evaluation_command_on_each_profile(tmp_path, name, f1):
    records, truth = write_profile(tmp_path, name, 3000, seed=5)
    with records.open() as handle:
        assert next(csv.reader(handle)) == list(COLUMNS[name])
    result = CliRunner().invoke(dedup_app, ["evaluate", "--records", str(records), "--truth", str(truth)])
    assert result.exit_code == 0, result.output
    first, last = result.output.strip().splitlines()[-2:]
    figures = dict(part.split("=") for part in last.split())
    assert float(figures["f1"]) >= f1 and figures["records"] == "3000", result.output
    assert float(first.split("blocking recall ")[1].split(",")[0]) >= 0.95


def test_an_unknown_id_in_the_truth_is_refused_by_the_command(tmp_path):
    records, truth = write_profile(tmp_path, "directory", 50, seed=1)
    truth.write_text("id_a,id_b\nP-0000001,nobody\n")
    result = CliRunner().invoke(dedup_app, ["evaluate", "--records", str(records), "--truth", str(truth)])
    assert result.exit_code == 2 and "nobody" in result.output


def test_weights_are_learnt_from_a_large_enough_register_and_kept_hand_set_for_a_small_one():
    rows, _ = profile("directory", 4000, seed=6)
    records = [contact_record(id=n, **{k: v for k, v in r.items() if k != "id"}) for n, r in enumerate(rows, 1)]
    freq = CountedFrequencies(records, CONTACT_FREQUENCY_FIELDS)
    pairs, _ = candidate_pairs(records, CONTACT_KEYS, neighbourhoods=CONTACT_NEIGHBOURHOODS)
    assert learn(ContactScorer, freq, records[:500], pairs) is None  # too few records: hand-set
    learned = learn(ContactScorer, freq, records, pairs)
    assert isinstance(learned, Learned)
    assert {"street", "house_number", "postcode", "city"} <= {f for f, _ in learned.levels} | set(learned.m)
    assert not {f for f, _ in learned.levels} & {"first_name", "last_name"}  # the names stay hand-set
    # a different house number counts against, an exact street for: the EM found the sign itself
    assert learned.levels[("house_number", "different")] < 0 < learned.levels[("street", "fuzzy")]
    result = match_records("contacts", records, learn=True)
    assert result.weights["source"] == "learned" and "street:fuzzy" in result.weights["levels"]
    assert match_records("contacts", records[:100], learn=True).weights == {"source": "hand-set"}


def test_the_profile_benchmark_prints_each_profile_with_both_weights():
    """`python -m bench.dedup --profiles` as the README shows it, at a small size."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "bench.dedup", "--profiles", "--contacts", "2500"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    lines = [dict(p.split("=") for p in line.split()[1:]) for line in out.splitlines() if line.startswith("PROFILE ")]
    assert [x["profile"] for x in lines] == [p for p in PROFILES for _ in range(2)]
    assert [x["weights"] for x in lines[:4]] == ["hand-set", "learned"] * 2  # the mixed one has too few pairs to learn
    assert all(float(x["f1"]) > 0.85 and float(x["blocking_recall"]) > 0.9 for x in lines), out


def test_the_evaluation_command_learns_the_weights_when_asked(tmp_path):
    records, truth = write_profile(tmp_path, "directory", 3000, seed=8)
    args = ["evaluate", "--records", str(records), "--truth", str(truth)]
    learnt = CliRunner().invoke(dedup_app, [*args, "--learn"])
    hand = CliRunner().invoke(dedup_app, args)
    assert learnt.exit_code == hand.exit_code == 0, learnt.output
    assert "weights learned" in learnt.output and "weights hand-set" in hand.output
    assert float(learnt.output.split("f1=")[1].split()[0]) > 0.85
