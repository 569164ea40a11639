"""Explainable pair scores: which fields agreed, how, and how much each counted.

A Fellegi–Sunter match weight in bits: a prior (how likely two records of a register this size
are the same at all) plus one weight per field. Exact agreement on a value weighs
log2(m / u), where u is how often two different records share *that* value — estimated from the
register's own counts, smoothed towards a population default — so a rare surname or a direct
phone number counts for more than 'Virtanen' or a switchboard. Near agreement (Jaro–Winkler on
diacritic-folded text) and disagreement have fixed weights. Every weight is in the explanation.

String similarity is rapidfuzz's Jaro–Winkler (prefix ≤ 4, weight 0.1), called per candidate pair:
`process.cpdist` would batch it but needs numpy, which is not a dependency — and scoring is not
the hot path (normalization and blocking are; see bench/dedup.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Protocol

from rapidfuzz.distance import OSA, JaroWinkler

from shared.dedup.nicknames import nickname_key
from shared.dedup.normalize import FREE_MAIL_DOMAINS, CompanyRecord, ContactRecord, local_names

ENGINE = "rapidfuzz"  # Jaro–Winkler in C (rapidfuzz.distance.JaroWinkler); a dependency, no fallback
similarity = JaroWinkler.normalized_similarity  # (a, b) -> 0..1

FUZZY, WEAK = 0.92, 0.84  # Jaro–Winkler levels
SMOOTHING = 1000  # pseudo-records pulling a small register's frequencies towards the default
EXPECTED_TWINS = 0.2  # matches expected per record, for the prior
MIN_POPULATION = 10_000
# The prior log2(EXPECTED_TWINS / records) is the chance that two records drawn at random are one
# person; but only pairs that share a blocking key are ever scored, and among those the share of true
# pairs does not fall as the register grows (both grow about linearly). Left uncapped, the same pair
# of records scores 2.3 bits lower at 100,000 than at 20,000 and 5.6 bits lower at a million, and
# near agreements drop under the link threshold; past this size the prior stays where it is.
MAX_POPULATION = 20_000


def prior_bits(records: int) -> float:
    """The hand-set prior in bits for a register of `records`: log2(EXPECTED_TWINS / population),
    the population held between MIN_POPULATION and MAX_POPULATION (see there)."""
    return math.log2(EXPECTED_TWINS / min(max(records, MIN_POPULATION), MAX_POPULATION))


_NOT_DIGIT = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz._-+")


def _one_typo(a: str, b: str) -> bool:
    """Two mailboxes' local parts one typo apart (a letter changed, added, lost or two swapped),
    the digits the same or two of them swapped: 'matti.virtanen' ~ 'matti.virtnaen', but 'anton.lehtonen385' is not
    'anton.lehtonen12387' (Jaro–Winkler calls those alike: a long shared name)."""
    if OSA.distance(a, b, score_cutoff=1) > 1:
        return False
    x, y = a.translate(_NOT_DIGIT), b.translate(_NOT_DIGIT)
    return x == y or (len(x) == len(y) and sorted(x) == sorted(y))  # 31449 / 13449: two digits swapped


_NUMBER = re.compile(r"\d{3,}")


def _numbered(local: str) -> bool:
    """A mailbox name with a number of three digits or more in it (a year, a person's own)."""
    return _NUMBER.search(local) is not None


def _one_edit(a: str, b: str) -> bool:
    """One letter changed, added, lost or two swapped in a word of three or more — at the start
    too, where Jaro–Winkler, which rewards a common prefix, sees 'uula' far from 'tuula'."""
    return min(len(a), len(b)) >= 3 and OSA.distance(a, b, score_cutoff=1) <= 1


def _one_digit(a: str, b: str) -> bool:
    """Two numbers one keystroke apart: a digit changed, added or lost, or two neighbours swapped
    (12 / 13, 22 / 221, 57 / 75, 00960 / 00690)."""
    return OSA.distance(a, b, score_cutoff=1) <= 1


class Frequencies(Protocol):
    total: int

    def count(self, field: str, value: str) -> int | None:
        """Records holding this value (None: unknown, use the default)."""


class CountedFrequencies:
    """Value counts of the records being matched (a full run, the evaluation)."""

    def __init__(self, records: Iterable, fields: dict[str, callable]):
        records = list(records)
        self.total = len(records)
        self._counts = {}
        for name, get in fields.items():
            counts = Counter(map(get, records))
            counts.pop("", None)
            self._counts[name] = counts

    def count(self, field: str, value: str) -> int | None:
        counts = self._counts.get(field)
        return None if counts is None else counts.get(value, 0)


@dataclass(frozen=True, slots=True)
class Rule:
    m: float  # P(exact agreement | same)
    u0: float  # P(exact agreement | different), a typical value in the population
    cap: float  # most bits an exact agreement may add
    fuzzy: float = 0.0
    weak: float = 0.0
    different: float = 0.0


@dataclass(frozen=True, slots=True)
class FieldScore:
    field: str
    # exact, exact_with_phone, diacritics, fuzzy, weak, different, nickname, swapped_<level>, local_part,
    # other_domain, generic, word_order, one_digit, other_flat, local_part_tagged, fuzzy_tagged, with_postcode
    # (a town beside an agreeing postcode), other_town (one street name in two towns)
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class PairScore:
    a: int
    b: int
    weight: float  # match weight in bits, prior included
    fields: tuple[FieldScore, ...]
    prior: float
    cannot_link: bool = False

    @property
    def probability(self) -> float:
        if self.cannot_link:
            return 0.0
        return 1.0 / (1.0 + 2.0 ** (-max(-60.0, min(60.0, self.weight))))

    def explain(self) -> dict:
        """What agreed and how much it counted — never the values themselves."""
        return {"a": self.a, "b": self.b, "probability": round(self.probability, 6),
                "match_weight": round(self.weight, 2), "prior": round(self.prior, 2),
                "cannot_link": self.cannot_link,
                "fields": [{"field": f.field, "level": f.level, "weight": round(f.weight, 2)} for f in self.fields]}


@dataclass(frozen=True)
class Learned:
    """Weights learnt from a register (shared.dedup.learning): the prior, P(exact | same) per
    field (its u stays the value's own frequency), and a weight per other agreement level."""

    prior: float
    m: dict[str, float]
    levels: dict[tuple[str, str], float]

    def as_dict(self) -> dict:
        return {"prior": round(self.prior, 3), "m": {f: round(v, 4) for f, v in sorted(self.m.items())},
                "levels": {f"{f}:{lv}": round(w, 2) for (f, lv), w in sorted(self.levels.items())}}


class _Scorer:
    RULES: dict[str, Rule] = {}
    # levels whose weight stays hand-set: evidence counted twice (one number at one firm) or no evidence
    FIXED: frozenset[tuple[str, str]] = frozenset()

    REPEATED = frozenset({"first_name", "last_name", "company", "position", "postcode", "name", "street", "city"})

    def __init__(self, freq: Frequencies, learned: Learned | None = None):
        self.freq = freq
        self.prior = learned.prior if learned else prior_bits(freq.total)
        self.learned = learned
        self._m = learned.m if learned else {}
        self._levels = {k: v for k, v in learned.levels.items() if k not in self.FIXED} if learned else {}
        self._memo: dict[tuple[str, str, str, float], FieldScore] = {}  # values many pairs share
        self._fixed: dict[tuple[str, str], FieldScore] = {}

    def level(self, name: str, level: str, default: float, cache: bool = True) -> FieldScore:
        """A level's score: its learnt weight, else the hand-set one (`cache`: the same for every pair)."""
        found = self._fixed.get((name, level))
        if found is None:
            found = FieldScore(name, level, self._levels.get((name, level), default))
            if cache or (name, level) in self._levels:
                self._fixed[(name, level)] = found
        return found

    def exact(self, name: str, value: str, level: str = "exact", minus: float = 0.0) -> FieldScore:
        key = (name, value, level, minus)
        found = self._memo.get(key)
        if found is None:
            rule = self.RULES[name]
            count = self.freq.count(name, value)
            u = rule.u0 if count is None else (count + SMOOTHING * rule.u0) / (self.freq.total + SMOOTHING)
            found = FieldScore(name, level, min(rule.cap, math.log2(self._m.get(name, rule.m) / u)) - minus)
            if name in self.REPEATED:
                self._memo[key] = found
        return found

    def text(self, name: str, a: str, b: str, folded_a: str = "", folded_b: str = "") -> FieldScore | None:
        """exact / diacritics / fuzzy / weak / different; None when either side is empty."""
        if not a or not b:
            return None
        if a == b:
            return self.exact(name, folded_a or a)
        rule = self.RULES[name]
        if folded_a and folded_a == folded_b:
            return self.exact(name, folded_a, "diacritics", minus=0.5)
        sim = similarity(folded_a or a, folded_b or b)
        if sim >= FUZZY or (sim >= WEAK - 0.1 and _one_edit(folded_a or a, folded_b or b)):
            return self.level(name, "fuzzy", rule.fuzzy)
        if sim >= WEAK:
            return self.level(name, "weak", rule.weak)
        return self.level(name, "different", rule.different)

    def total(self, a: int, b: int, fields: list[FieldScore | None], cannot_link: bool = False) -> PairScore:
        kept = tuple(f for f in fields if f is not None)
        return PairScore(a, b, self.prior + sum(f.weight for f in kept), kept, self.prior, cannot_link)


class ContactScorer(_Scorer):
    RULES = {
        # A first name that differs outright is rare for one person (typos stay similar, swaps are
        # handled apart) and common for relatives and colleagues: m ≈ 0.008, u ≈ 0.95.
        "first_name": Rule(m=0.9, u0=1 / 150, cap=12, fuzzy=3.0, weak=0.0, different=-7.0),
        "last_name": Rule(m=0.9, u0=1 / 200, cap=14, fuzzy=3.5, weak=0.0, different=-4.5),
        "email": Rule(m=0.7, u0=1e-6, cap=16, fuzzy=3.0, weak=0.0, different=-3.0),
        "phone": Rule(m=0.7, u0=1e-6, cap=14, different=-2.0),
        "company": Rule(m=0.85, u0=1e-4, cap=10, fuzzy=4.0, weak=0.0, different=-3.0),
        "position": Rule(m=0.5, u0=1 / 40, cap=5, fuzzy=1.0, weak=0.0, different=-0.5),
        "postcode": Rule(m=0.8, u0=1 / 3000, cap=10, fuzzy=0.5, different=-3.5),
        # a person's postal address (a directory, a form): the street's name and the house number apart
        "street": Rule(m=0.85, u0=1 / 500, cap=8, fuzzy=4.0, weak=0.0, different=-4.0),
        "house_number": Rule(m=0.85, u0=1 / 40, cap=4, fuzzy=-1.5, weak=1.0, different=-3.5),
        "city": Rule(m=0.9, u0=1 / 50, cap=3, fuzzy=2.0, weak=0.0, different=-1.5),
    }
    FIXED = frozenset({("company", "exact_with_phone"), ("email", "generic"), ("city", "with_postcode"),
                       ("street", "other_town")})
    ADDRESS_CAP = 14.0  # bits a whole postal address may add (relatives share it)
    LOCAL_PART_ELSEWHERE = 2.0  # same local part, another domain: a changed email domain
    TAGGED_LOCAL_PART = 11.0  # …with a number of the person's own in it: few namesakes choose the same
    GENERIC_MAILBOX = 1.0  # info@ shared: the same company, not necessarily the same person
    OTHER_DOMAIN = -1.5
    COMPANY_WITH_PHONE = 2.0
    SWAP_PENALTY = 1.0
    NICKNAME = 1.0  # short forms are common among different people too (Mikko, Mika): weak evidence

    def score(self, a: ContactRecord, b: ContactRecord) -> PairScore:
        first, last = self._names(a, b)
        phone, company = self._phone(a, b), self._company(a, b)
        if phone is not None and company is not None and phone.level == company.level == "exact":
            # one number at one firm is largely the same evidence twice (a switchboard, a family firm)
            company = FieldScore("company", "exact_with_phone", min(company.weight, self.COMPANY_WITH_PHONE))
        fields = [first, last, self._email(a, b), phone, company, self.text("position", a.position, b.position)]
        if company is None or not company.level.startswith("exact"):  # else the address is the company's
            fields += self._address(a, b)
        return self.total(a.id, b.id, fields)

    def _address(self, a: ContactRecord, b: ContactRecord) -> list[FieldScore | None]:
        """Street (its name), house number (the flat apart), postcode (one digit off is near), city."""
        street = self.text("street", a.street, b.street)
        house = None
        if street is not None and street.level in ("exact", "fuzzy") and a.house and b.house:
            if a.house != b.house and _one_digit(a.house, b.house):
                house = self.level("house_number", "one_digit", self.RULES["house_number"].fuzzy)
            elif a.house != b.house:
                house = self.level("house_number", "different", self.RULES["house_number"].different)
            elif a.flat and b.flat and a.flat != b.flat:
                house = self.level("house_number", "other_flat", self.RULES["house_number"].weak)
            else:
                house = self.exact("house_number", a.house)
        postcode = None
        if a.postcode and b.postcode:
            if a.postcode == b.postcode:
                postcode = self.exact("postcode", a.postcode)
            elif len(a.postcode) == len(b.postcode) and _one_digit(a.postcode, b.postcode):
                postcode = self.level("postcode", "one_digit", self.RULES["postcode"].fuzzy)
            else:
                postcode = self.level("postcode", "different", self.RULES["postcode"].different)
        city = self.text("city", a.city, b.city)
        if city is not None and city.level == "different" and street is not None and street.weight > 0:
            # Kirkkokatu 5 in two towns is two streets of one name: no agreement of a street or house
            street = self.level("street", "other_town", 0.0)
            house = None
        if city is not None and postcode is not None and postcode.level == "exact" and city.level in ("exact", "fuzzy"):
            city = self.level("city", "with_postcode", 0.0)  # the postcode names the town already
        # one address, said four ways: street, house number, postcode and town together count as one
        # agreement of at most ADDRESS_CAP bits
        agreed = sum(f.weight for f in (street, house, postcode, city) if f is not None and f.weight > 0)
        if street is not None and agreed > self.ADDRESS_CAP and street.weight > 0:
            street = FieldScore("street", street.level, max(0.0, street.weight - (agreed - self.ADDRESS_CAP)))
        return [street, house, postcode, city]

    def _names(self, a: ContactRecord, b: ContactRecord) -> tuple[FieldScore | None, FieldScore | None]:
        """First with first and last with last — or crosswise, when that agrees better."""
        first = self.text("first_name", a.first, b.first, a.first_f, b.first_f)
        last = self.text("last_name", a.last, b.last, a.last_f, b.last_f)
        if first is None or last is None:
            return self._lone_name(a, b, self._nickname(first, a.first_f, b.first_f), last)
        if (first.level == last.level == "exact") or a.first_f == a.last_f:
            return self._nickname(first, a.first_f, b.first_f), last
        # which of the two records is swapped is unknown: each value is weighed as the name it is
        # more common as (a surname counted as a first name would look rare and weigh too much)
        cross_first = self.text("first_name", a.first, b.last, a.first_f, b.last_f)
        cross_last = self.text("last_name", a.last, b.first, a.last_f, b.first_f)
        if cross_first.weight + cross_last.weight - self.SWAP_PENALTY <= first.weight + last.weight:
            return self._nickname(first, a.first_f, b.first_f), last  # (the other reading weighs no more)
        other_first = self.text("last_name", a.first, b.last, a.first_f, b.last_f)
        other_last = self.text("first_name", a.last, b.first, a.last_f, b.first_f)
        if other_first.weight + other_last.weight < cross_first.weight + cross_last.weight:
            cross_first, cross_last = other_first, other_last
        if cross_first.weight + cross_last.weight - self.SWAP_PENALTY <= first.weight + last.weight:
            return self._nickname(first, a.first_f, b.first_f), last
        half = self.SWAP_PENALTY / 2
        return (self.level("first_name", f"swapped_{cross_first.level}", cross_first.weight - half, cache=False),
                self.level("last_name", f"swapped_{cross_last.level}", cross_last.weight - half, cache=False))

    def _lone_name(self, a: ContactRecord, b: ContactRecord, first: FieldScore | None,
                   last: FieldScore | None) -> tuple[FieldScore | None, FieldScore | None]:
        """One record holds a single name, the other both: which of the two that lone name is, a
        form does not say ('Koivula' in the first-name box, 'Tuulikki' in the last-name one), so it
        is compared with each and weighed as the name it agrees with; crosswise, as a swap."""
        if (first is None) == (last is None):
            return first, last
        lone, full = (a, b) if not (a.first and a.last) else (b, a)
        if not (full.first and full.last) or not (lone.first or lone.last):
            return first, last
        straight = first if first is not None else last
        if lone.first:  # the lone name is in the first-name box: is it the other's last name?
            cross = self.text("last_name", lone.first, full.last, lone.first_f, full.last_f)
        else:
            cross = self.text("first_name", lone.last, full.first, lone.last_f, full.first_f)
            cross = self._nickname(cross, lone.last_f, full.first_f)
        if cross.weight <= 0 or cross.weight - self.SWAP_PENALTY / 2 <= straight.weight:
            return first, last  # crosswise it agrees no better (or not at all)
        swapped = self.level(cross.field, f"swapped_{cross.level}", cross.weight - self.SWAP_PENALTY / 2, cache=False)
        return (swapped, None) if cross.field == "first_name" else (None, swapped)

    def _nickname(self, first: FieldScore | None, a: str, b: str) -> FieldScore | None:
        """Matti for Matias, Kalle for Karl: more than a different name, less than the same."""
        if first is not None and first.level in ("weak", "different") and nickname_key(a) == nickname_key(b):
            return self.level("first_name", "nickname", self.NICKNAME)
        return first

    def _email(self, a: ContactRecord, b: ContactRecord) -> FieldScore | None:
        ea, eb = a.email, b.email
        if ea is None or eb is None:
            return None
        if ea.generic or eb.generic:
            same = ea.local == eb.local and ea.domain == eb.domain
            return FieldScore("email", "generic", self.GENERIC_MAILBOX if same else 0.0)
        if ea.local == eb.local and ea.domain == eb.domain:
            return self.exact("email", f"{ea.local}@{ea.domain}")
        words_a, words_b = ea.local_words, eb.local_words
        if words_a == words_b:
            if _numbered(ea.local):  # matti.virtanen1987@ at Gmail and at Outlook
                return self.level("email", "local_part_tagged", self.TAGGED_LOCAL_PART)
            return self.level("email", "local_part", self.LOCAL_PART_ELSEWHERE)
        if ea.domain == eb.domain and local_names(words_a) == local_names(words_b):  # jussi.j@, juhani.j@ at one firm
            return self.level("email", "nickname", self.NICKNAME)
        if (ea.domain == eb.domain or {ea.domain, eb.domain} <= FREE_MAIL_DOMAINS) and _one_typo(ea.local, eb.local):
            if _numbered(ea.local) and _numbered(eb.local):  # the person's number kept: a mistyped mailbox
                return self.level("email", "fuzzy_tagged", self.TAGGED_LOCAL_PART)
            return self.level("email", "fuzzy", self.RULES["email"].fuzzy)  # a mistyped mailbox, or a private one moved
        if ea.domain != eb.domain:  # a changed employer or a private address: weak evidence either way
            return self.level("email", "other_domain", self.OTHER_DOMAIN)
        return self.level("email", "different", self.RULES["email"].different)  # two mailboxes at one firm

    def _phone(self, a: ContactRecord, b: ContactRecord) -> FieldScore | None:
        if not a.phone or not b.phone:
            return None
        if a.phone == b.phone:
            return self.exact("phone", a.phone)
        return self.level("phone", "different", self.RULES["phone"].different)

    def _company(self, a: ContactRecord, b: ContactRecord) -> FieldScore | None:
        if a.business_id and b.business_id:
            if a.business_id == b.business_id:
                return self.exact("company", a.company or a.business_id)
            return self.level("company", "different", self.RULES["company"].different)
        return self.text("company", a.company, b.company)


class CompanyScorer(_Scorer):
    RULES = {
        "business_id": Rule(m=0.95, u0=1e-7, cap=20),
        "name": Rule(m=0.9, u0=1e-4, cap=14, fuzzy=5.0, weak=1.0, different=-6.0),
        "domain": Rule(m=0.8, u0=1e-5, cap=12, different=-2.0),
        "street": Rule(m=0.7, u0=1e-4, cap=8, fuzzy=2.0, weak=0.0, different=-1.0),
        "postcode": Rule(m=0.8, u0=1 / 3000, cap=5, different=-1.5),
        "city": Rule(m=0.9, u0=1 / 50, cap=3, different=-1.0),
    }

    def score(self, a: CompanyRecord, b: CompanyRecord) -> PairScore:
        """Two different business IDs are never the same company, whatever else agrees."""
        bid = None
        if a.business_id and b.business_id:
            if a.business_id != b.business_id:
                return self.total(a.id, b.id, [FieldScore("business_id", "different", -math.inf)],
                                  cannot_link=True)
            bid = self.exact("business_id", a.business_id)
        name = self.text("name", a.name, b.name)
        reordered = sorted(a.name.split()) == sorted(b.name.split())
        if name is not None and name.level in ("weak", "different") and reordered:
            name = self.exact("name", " ".join(sorted(a.name.split())), "word_order", minus=1.0)
        domain = None
        if a.domain and b.domain and a.domain not in FREE_MAIL_DOMAINS and b.domain not in FREE_MAIL_DOMAINS:
            domain = (self.exact("domain", a.domain) if a.domain == b.domain
                      else FieldScore("domain", "different", self.RULES["domain"].different))
        postcode = None
        if a.postcode and b.postcode:
            postcode = (self.exact("postcode", a.postcode) if a.postcode == b.postcode
                        else FieldScore("postcode", "different", self.RULES["postcode"].different))
        return self.total(a.id, b.id, [bid, name, domain, self.text("street", a.street, b.street), postcode,
                                       self.text("city", a.city, b.city)])


CONTACT_FREQUENCY_FIELDS = {
    "first_name": attrgetter("first_f"), "last_name": attrgetter("last_f"), "phone": attrgetter("phone"),
    "company": attrgetter("company"), "position": attrgetter("position"), "postcode": attrgetter("postcode"),
    "street": attrgetter("street"), "house_number": attrgetter("house"), "city": attrgetter("city"),
}
COMPANY_FREQUENCY_FIELDS = {
    "name": attrgetter("name"), "domain": attrgetter("domain"), "street": attrgetter("street"),
    "postcode": attrgetter("postcode"), "city": attrgetter("city"),
}
