"""The duplicate mode of testdata.synthetic: deterministic, with the truth known and the ways
registers get duplicates all present."""

from __future__ import annotations

from collections import Counter

from testdata import synthetic


def test_the_same_seed_gives_the_same_records_and_truth():
    assert synthetic.duplicates(500, seed=3) == synthetic.duplicates(500, seed=3)
    assert synthetic.duplicates(500, seed=3)[0] != synthetic.duplicates(500, seed=4)[0]


def test_the_truth_is_every_pair_within_one_person():
    rows, truth = synthetic.duplicates(3000, seed=7, duplicate_share=0.2)
    assert [r["id"] for r in rows] == list(range(1, 3001))
    originals = 3000 - 600
    assert all(a < b for a, b in truth) and all(b > originals for _, b in truth)  # every pair holds a copy
    copies = {b for _, b in truth}
    assert copies == set(range(originals + 1, 3001))  # every copy has its original
    by_id = {r["id"]: r for r in rows}
    # a pair still shares something a matcher could see (a name, folded or swapped, the phone or the mailbox)
    for a, b in sorted(truth)[:300]:
        x, y = by_id[a], by_id[b]
        names = {n.lower().translate(synthetic._ASCII) for n in (x["first_name"], x["last_name"])}
        other = {n.lower().translate(synthetic._ASCII) for n in (y["first_name"], y["last_name"])}
        assert names & other or (x["phone"] and x["phone"][-7:] == y["phone"][-7:]) \
            or x["email"].split("@")[0] == y["email"].split("@")[0], (x, y)


def test_the_copies_show_each_kind_of_corruption():
    rows, truth = synthetic.duplicates(4000, seed=2)
    by_id = {r["id"]: r for r in rows}
    seen = Counter()
    for a, b in truth:
        x, y = by_id[a], by_id[b]
        if (y["first_name"], y["last_name"]) == (x["last_name"], x["first_name"]):
            seen["swapped"] += 1
        if x["company"] and y["company"] and x["company"] != y["company"] and not y["business_id"]:
            seen["legal_form"] += 1
        if x["email"] and y["email"] and x["email"].split("@")[1] != y["email"].split("@")[1]:
            seen["email_domain"] += 1
        if x["phone"] and not y["phone"]:
            seen["missing"] += 1
        if x["first_name"] != x["first_name"].translate(synthetic._ASCII) and \
                y["first_name"] == x["first_name"].translate(synthetic._ASCII).title():
            seen["diacritics"] += 1
        if y["first_name"] == synthetic._SHORT.get(x["first_name"]):
            seen["nickname"] += 1
        if len(y["last_name"]) == len(x["last_name"]) and y["last_name"] != x["last_name"] \
                and sorted(y["last_name"]) == sorted(x["last_name"]):
            seen["transposition"] += 1
    assert set(seen) == {"swapped", "legal_form", "email_domain", "missing", "diacritics", "nickname",
                         "transposition"}, seen
    originals, hard = 4000 - 800, int(4000 * 0.04)
    look_alikes = [by_id[i] for i in range(originals - hard + 1, originals + 1)]
    # relatives and namesakes are never a true pair with the original they resemble (nor with any)
    assert not any(a <= originals and b <= originals for a, b in truth)
    people = {(r["last_name"], r["company"]) for r in rows[: originals - hard]} | \
        {(r["first_name"], r["last_name"]) for r in rows[: originals - hard]}
    assert all((r["last_name"], r["company"]) in people or (r["first_name"], r["last_name"]) in people
               for r in look_alikes)  # each looks like someone: same surname at the firm, or a namesake
