"""Registers of other shapes than our own, with duplicates and the truth known (bench/dedup.py,
`rekisteri dedup evaluate`, the dedup tests): what a matcher meets outside its own generator.

- **directory**: people with names and a postal address only (a directory service, paper forms,
  an old customer file) — no email, phone or company. Copies carry typos (the first letter too),
  transpositions, swapped names, folded diacritics, Swedish/English spellings (qv/kv, w/v, c/k),
  nicknames, missing fields, another house number or apartment, a mistyped postcode, an
  abbreviated street. Relatives at one address and namesakes in one town are not duplicates.
- **web_form**: names and an email only; copies with typos, another mailbox, swapped names.
- **mixed**: today's duplicate mode of testdata.synthetic (contacts at companies).

Ids are strings ("P-000001"), as in files from elsewhere. `profile(name, count, seed=)` gives
(rows, truth) with truth the set of id pairs (a < b as strings) of one person; `write_profile`
writes `records.csv` and `truth.csv` for `rekisteri dedup evaluate`. Kept apart from
testdata.synthetic so that it can move with the test data as a whole.
"""

from __future__ import annotations

import csv
import random
from itertools import combinations
from pathlib import Path

from testdata import synthetic
from testdata.synthetic import _ASCII, _SHORT, CITIES, FIRST_NAMES, LAST_NAMES, STREETS, _transpose

PROFILES = ("directory", "web_form", "mixed")
COLUMNS = {
    "directory": ("id", "first_name", "last_name", "street", "postcode", "city"),
    "web_form": ("id", "first_name", "last_name", "email"),
    "mixed": ("id", "first_name", "last_name", "email", "phone", "position", "company", "business_id", "street",
              "postcode", "city"),
}
# Spellings of one name across Finnish, Swedish and English records.
_SPELLINGS = (("qv", "kv"), ("w", "v"), ("W", "V"), ("c", "k"), ("C", "K"), ("ph", "f"), ("th", "t"), ("x", "ks"),
              ("z", "s"), ("ck", "k"))
_ABBREVIATIONS = (("katu", "k."), ("tie", "t."), ("kuja", "kj."))
_FREE = ("gmail.com", "outlook.com", "luukku.com", "hotmail.com", "yahoo.com")


def _typo(word: str, rng: random.Random) -> str:
    """One changed, added or lost letter anywhere — the first too (a misread 'J' as 'I')."""
    if len(word) < 2:
        return word + rng.choice("aeinst")
    i, kind = rng.randrange(0, len(word)), rng.randrange(3)
    letter = rng.choice("aeiklmnorstuvhj")
    if i == 0:
        letter = letter.upper() if word[0].isupper() else letter
    if kind == 0:
        return word[:i] + letter + word[i + 1:]
    return word[:i] + letter + word[i:] if kind == 1 else word[:i] + word[i + 1:]


def _respell(word: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in _SPELLINGS if a in word] + [(b, a) for a, b in _SPELLINGS if b in word]
    if not options:
        return word.translate(_ASCII).title()
    a, b = rng.choice(options)
    return word.replace(a, b, 1)


def _address(rng: random.Random) -> tuple[str, str, str]:
    city, prefix = rng.choice(CITIES)
    number = rng.randint(1, 90)
    tail = rng.choice(("", "", "", f" A {rng.randint(1, 40)}", f" B {rng.randint(1, 40)}", f" as. {rng.randint(1, 9)}"))
    return f"{rng.choice(STREETS)} {number}{tail}", f"{prefix}{rng.randint(10, 99)}0", city


def _house_error(street: str, rng: random.Random) -> str:
    words = street.split(" ")
    if len(words) > 2 and rng.random() < 0.5:
        return " ".join(words[:2])  # the apartment left out
    number = words[1]
    if len(number) > 1 and rng.random() < 0.5:
        changed = number[::-1] if number[::-1] != number else number + "1"
    else:
        changed = str(max(1, int(number) + rng.choice((-2, -1, 1, 2))))
    return " ".join([words[0], changed, *words[2:]])


def _postcode_error(postcode: str, rng: random.Random) -> str:
    i = rng.randrange(2, 5)
    return postcode[:i] + str((int(postcode[i]) + rng.randint(1, 9)) % 10) + postcode[i + 1:]


DIRECTORY_CORRUPTIONS = ("typo_first", "typo_last", "transpose", "swap_names", "fold_diacritics", "respell",
                         "nickname", "case", "house_number", "postcode", "abbreviate_street", "drop_street",
                         "drop_postcode", "drop_city", "drop_first")


def _corrupt_directory(row: dict, rng: random.Random) -> dict:
    dup = dict(row)
    for kind in rng.sample(DIRECTORY_CORRUPTIONS, rng.choice((1, 1, 2, 2, 3))):
        if kind in ("typo_first", "typo_last"):
            field = "first_name" if kind == "typo_first" else "last_name"
            dup[field] = _typo(dup[field], rng)
        elif kind == "transpose":
            field = rng.choice(("first_name", "last_name"))
            dup[field] = _transpose(dup[field], rng)
        elif kind == "swap_names":
            dup["first_name"], dup["last_name"] = dup["last_name"], dup["first_name"]
        elif kind == "fold_diacritics":
            dup["first_name"], dup["last_name"] = (dup["first_name"].translate(_ASCII).title(),
                                                   dup["last_name"].translate(_ASCII).title())
        elif kind == "respell":
            field = rng.choice(("first_name", "last_name"))
            dup[field] = _respell(dup[field], rng)
        elif kind == "nickname" and dup["first_name"] in _SHORT:
            dup["first_name"] = _SHORT[dup["first_name"]]
        elif kind == "case":
            dup["first_name"], dup["last_name"] = dup["first_name"].upper(), dup["last_name"].upper()
        elif kind == "house_number" and dup["street"]:
            dup["street"] = _house_error(dup["street"], rng)
        elif kind == "postcode" and dup["postcode"]:
            dup["postcode"] = _postcode_error(dup["postcode"], rng)
        elif kind == "abbreviate_street" and dup["street"]:
            for long, short in _ABBREVIATIONS:
                if long in dup["street"]:
                    dup["street"] = dup["street"].replace(long, short, 1)
                    break
        elif kind.startswith("drop_"):
            dup[kind[5:] if kind != "drop_first" else "first_name"] = ""
    return dup


def _directory_person(rng: random.Random) -> dict:
    street, postcode, city = _address(rng)
    return {"first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES), "street": street,
            "postcode": postcode, "city": city}


def _directory_negative(source: dict, k: int, rng: random.Random) -> dict:
    """A relative at the same address (another first name), or a namesake in the same town."""
    other = dict(source)
    if k % 2 == 0:
        other["first_name"] = rng.choice([f for f in FIRST_NAMES if f[:2] != source["first_name"][:2]])
    else:
        street, postcode, _ = _address(rng)
        other.update(street=street, postcode=source["postcode"][:2] + postcode[2:])  # the same town
    return other


def _web_person(rng: random.Random, n: int) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".translate(_ASCII).lower()
    return {"first_name": first, "last_name": last, "email": f"{local}{n}@{rng.choice(_FREE)}"}


def _corrupt_web(row: dict, rng: random.Random) -> dict:
    dup = dict(row)
    for kind in rng.sample(("typo_first", "typo_last", "swap", "fold", "case", "nickname", "mailbox", "email_typo",
                            "drop_first"), rng.choice((1, 1, 2, 2, 3))):
        if kind == "typo_first":
            dup["first_name"] = _typo(dup["first_name"], rng)
        elif kind == "typo_last":
            dup["last_name"] = _typo(dup["last_name"], rng)
        elif kind == "swap":
            dup["first_name"], dup["last_name"] = dup["last_name"], dup["first_name"]
        elif kind == "fold":
            dup["last_name"] = dup["last_name"].translate(_ASCII).title()
        elif kind == "case":
            dup["first_name"], dup["last_name"] = dup["first_name"].lower(), dup["last_name"].upper()
        elif kind == "nickname" and dup["first_name"] in _SHORT:
            dup["first_name"] = _SHORT[dup["first_name"]]
        elif kind == "mailbox":
            local, _, domain = dup["email"].partition("@")
            dup["email"] = f"{local}@{rng.choice([d for d in _FREE if d != domain])}"
        elif kind == "email_typo":
            local, _, domain = dup["email"].partition("@")
            dup["email"] = f"{_transpose(local, rng)}@{domain}"
        elif kind == "drop_first":
            dup["first_name"] = ""
    return dup


def _web_negative(source: dict, k: int, rng: random.Random) -> dict:
    """A namesake with a mailbox of their own."""
    local = f"{source['first_name']}.{source['last_name']}".translate(_ASCII).lower()
    return dict(source, email=f"{local}.{k}@{rng.choice(_FREE)}")


def profile(name: str, count: int, *, seed: int = 1, duplicate_share: float = 0.2,
            hard_share: float = 0.05) -> tuple[list[dict], set[tuple[str, str]]]:
    """`count` rows of the profile (string ids), `duplicate_share` of them copies of others,
    `hard_share` close non-duplicates; the truth is every id pair (a < b) of one person."""
    if name == "mixed":
        rows, truth = synthetic.duplicates(count, seed=seed, duplicate_share=duplicate_share, unique_emails=True)
        ids = {r["id"]: f"P-{r['id']:07d}" for r in rows}
        return ([dict(r, id=ids[r["id"]]) for r in rows],
                {(min(ids[a], ids[b]), max(ids[a], ids[b])) for a, b in truth})
    if name not in PROFILES:
        raise ValueError(f"profile is one of {', '.join(PROFILES)}")
    rng = random.Random(seed * 104_729 + len(name))
    originals, hard = count - int(count * duplicate_share), int(count * hard_share)
    person, corrupt, negative = ((_directory_person, _corrupt_directory, _directory_negative) if name == "directory"
                                 else (None, _corrupt_web, _web_negative))
    rows = [person(rng) if person else _web_person(rng, n) for n in range(originals - hard)]
    rows += [negative(rows[rng.randrange(len(rows))], k, rng) for k in range(hard)]
    people: dict[int, list[int]] = {}
    for _ in range(count - originals):
        source = rng.randrange(originals)
        people.setdefault(source, []).append(len(rows))
        rows.append(corrupt(rows[source], rng))
    order = list(range(len(rows)))
    rng.shuffle(order)  # copies are not simply the last rows of a file
    ids = {position: f"P-{rank + 1:07d}" for rank, position in enumerate(order)}
    out = sorted(({"id": ids[i], **row} for i, row in enumerate(rows)), key=lambda r: r["id"])
    truth = {(min(ids[a], ids[b]), max(ids[a], ids[b]))
             for source, copies in people.items() for a, b in combinations([source, *copies], 2)}
    return out, truth


def write_profile(directory: Path, name: str, count: int, *, seed: int = 1,
                  duplicate_share: float = 0.2) -> tuple[Path, Path]:
    """records.csv (the profile's columns) and truth.csv (id_a,id_b) in `directory`."""
    rows, truth = profile(name, count, seed=seed, duplicate_share=duplicate_share)
    directory.mkdir(parents=True, exist_ok=True)
    records, pairs = directory / "records.csv", directory / "truth.csv"
    with records.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS[name], extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pairs.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("id_a", "id_b"))
        writer.writerows(sorted(truth))
    return records, pairs
