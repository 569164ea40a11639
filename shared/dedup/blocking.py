"""Blocking: which pairs are compared at all.

Comparing every pair of a million contacts is 5·10¹¹ comparisons; instead each record gets a
few keys (its email, its phone, its names within its company …) and only records sharing a key
are compared. Blocks larger than `max_block` are skipped (a switchboard number, a very common
name at a big company): that keeps the work near-linear, and the share of true pairs that were
still compared — the blocking recall — is measured by the benchmark and the evaluation command.
One key family is built at a time, so memory holds one family's index, not all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from shared.dedup.normalize import FREE_MAIL_DOMAINS, LEGAL_FORMS, CompanyRecord, ContactRecord
from shared.models.dedup import email_local_sql, folded_sql, website_domain_sql

MAX_BLOCK = 60


def _names(r: ContactRecord) -> str:
    """Both names in alphabetical order, a nickname as its full form: swapped first and last
    names share the key, and so do Matti and Matias."""
    a, b = r.first_n, r.last_n
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def _own_domain(r: ContactRecord) -> bool:
    """An email at a company's own domain (not Gmail, Outlook …), which is a company key."""
    return r.email is not None and r.email.domain not in FREE_MAIL_DOMAINS


def _each_name(r: ContactRecord, where: str) -> tuple[str, ...]:
    """Each name alone within a company or domain: a typo in one name, or swapped names with a
    typo, still shares the other name's key."""
    if not where:
        return ()
    a, b = r.first_f, r.last_f
    if a == b or not b:
        return (f"{a}|{where}",) if a else ()
    return (f"{a}|{where}", f"{b}|{where}") if a else (f"{b}|{where}",)


def _sounds(r: ContactRecord) -> str:
    """Both names' sound keys in alphabetical order (swapped names, spellings, nicknames alike)."""
    a, b = r.first_p, r.last_p
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def _with(where: str, *parts: str) -> str:
    """A key of the parts within a place, or none when the place or every part is missing."""
    return f"{'|'.join(parts)}|{where}" if where and any(parts) else ""


def _own(r: ContactRecord) -> bool:
    """A postal address of the person's own: no company is known (else it is the company's, and
    the company keys hold it). The families of such addresses run over these records only."""
    return bool((r.street or r.postcode or r.city) and not r.company and not r.business_id)


def _at_address(r: ContactRecord) -> tuple[str, ...]:
    """Each name's sound at one street address: a typo anywhere in the other name, a missing
    first name or another postcode still meet. Relatives share it too; scoring tells them apart."""
    if not r.street or not r.house:
        return ()
    where = f"{r.street}|{r.house}"
    return tuple(f"{p}|{where}" for p in {r.first_p, r.last_p} if p)


def _address(r: ContactRecord) -> tuple[str, ...]:
    """One street address (the street's name and house number) within a town and within a
    postcode: whoever lives there, whatever their names say — a typo in each name still meets.
    Two keys, so that a missing or mistyped town or postcode on one side does not hide the pair."""
    if not r.street or not r.house:
        return ()
    where = f"{r.street}|{r.house}"
    return tuple(f"{where}|{kind}{place}" for kind, place in (("c:", r.city), ("p:", r.postcode)) if place)


def _each_sound(r: ContactRecord, where: str) -> tuple[str, ...]:
    return tuple(f"{p}|{where}" for p in {r.first_p, r.last_p} if p) if where else ()


def _free_local(r: ContactRecord) -> str:
    """A private mailbox's local part: the same person at Gmail and at Outlook."""
    return r.email.local if r.email and not r.email.generic and r.email.domain in FREE_MAIL_DOMAINS else ""


def _mailbox_number(r: ContactRecord) -> str:
    """The number in a private mailbox's name (matti.virtanen1987@): a mistyped or moved mailbox keeps it."""
    local = _free_local(r)
    digits = "".join(c for c in local if c.isdigit()) if local else ""
    return digits if len(digits) >= 3 else ""


# Each family: a name and the function giving a record's keys in it (none, one or more). Keys
# are built from whatever a record has: a register of names and addresses only, or of names and
# emails only, is blocked as well as one with phones and companies.
# A family: (name, a record's keys, and optionally which records it runs over at all)
Family = tuple[str, Callable[[Any], str | tuple[str, ...]]] | tuple[str, Callable, Callable[[Any], bool]]
CONTACT_KEYS: tuple[Family, ...] = (
    ("email", lambda r: f"{r.email.local}@{r.email.domain}" if r.email and not r.email.generic else ""),
    ("email_local", _free_local),
    ("email_number", _mailbox_number),
    ("phone", attrgetter("phone")),
    ("names+company", lambda r: f"{_names(r)}|{r.company}" if r.company and (r.first_f or r.last_f) else ""),
    # a company by its business ID where known: many firms share a name (Virtanen Rakennus Oy), and
    # a surname within all of them made blocks of hundreds at a million contacts
    ("name+company", lambda r: _each_name(r, r.business_id or r.company)),
    ("names+domain", lambda r: f"{_names(r)}|{r.email.domain}" if r.email and (r.first_f or r.last_f) else ""),
    ("name+domain", lambda r: _each_name(r, r.email.domain if _own_domain(r) else "")),
    ("sounds+postcode", lambda r: _with(r.postcode, _sounds(r)) if r.first_p or r.last_p else "", _own),
    ("sounds+city", lambda r: _with(r.city, _sounds(r)) if r.first_p and r.last_p else "", _own),
    ("sounds+street", lambda r: _with(r.street, _sounds(r)) if r.first_p and r.last_p else "", _own),
    ("sound+address", _at_address, _own),
    ("address", _address, _own),
    # each name's sound alone within a postcode or on a street: a missing or mistyped other name
    # together with another house number or postcode
    ("sound+postcode", lambda r: _each_sound(r, r.postcode), _own),
    ("sound+street", lambda r: _each_sound(r, f"{r.street}|{r.city or r.postcode[:2]}"
                                           if r.street and (r.city or r.postcode) else ""), _own),
)


def _few_keys(r: ContactRecord) -> bool:
    """Names and at most an address or a mailbox: no phone or company, whose keys above find a
    typo'd name's twin already (and a million such records would be compared twice or thrice)."""
    return bool(r.first_f and r.last_f and not r.phone and not r.company and not r.business_id)


def _reversed_last(r: ContactRecord) -> str:
    return f"{r.first_f} {r.last_f[::-1]}"


def _reversed_first(r: ContactRecord) -> str:
    return f"{r.last_f} {r.first_f[::-1]}"


# Sorted neighbourhood: records sorted by one name and the other name written backwards, each
# compared with the next few — a typo in the first letters of a name (Järvinen / Härvinen) keeps
# the two side by side, where every key above that holds the name misses them. For records with
# few other keys (see _few_keys).
CONTACT_NEIGHBOURHOODS: tuple[Family, ...] = (
    ("neighbours:first+last_reversed", _reversed_last, _few_keys),
    ("neighbours:last+first_reversed", _reversed_first, _few_keys),
)
WINDOW = 3


def _first_word(name: str) -> str:
    return name.split(" ", 1)[0] if name else ""


COMPANY_KEYS: tuple[tuple[str, Callable[[CompanyRecord], str]], ...] = (
    ("business_id", attrgetter("business_id")),
    ("name", attrgetter("name")),
    ("words", lambda r: " ".join(sorted(r.name.split())) if " " in r.name else ""),
    ("domain", lambda r: r.domain if r.domain and r.domain not in FREE_MAIL_DOMAINS else ""),
    ("word+postcode", lambda r: f"{_first_word(r.name)}|{r.postcode}" if r.name and r.postcode else ""),
    ("prefix+city", lambda r: f"{r.name[:5]}|{r.city}" if len(r.name) >= 5 and r.city else ""),
)


@dataclass
class BlockingStats:
    records: int = 0
    pairs: int = 0
    oversized_blocks: int = 0
    pairs_by_key: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"records": self.records, "pairs_compared": self.pairs, "oversized_blocks": self.oversized_blocks,
                "pairs_by_key": self.pairs_by_key}


def candidate_pairs(records: Sequence, families: Iterable[Family], *, max_block: int = MAX_BLOCK,
                    neighbourhoods: Iterable[Family] = (),
                    window: int = WINDOW) -> tuple[list[tuple[int, int]], BlockingStats]:
    """Pairs of positions in `records` (i < j) that share a key of some family, or that lie
    within `window` of each other in the order of a neighbourhood's key; each pair once."""
    stats = BlockingStats(records=len(records))
    seen: set[int] = set()
    pairs: list[tuple[int, int]] = []
    subsets: dict[Callable, list[int]] = {}  # the positions a family's `among` admits, found once

    def positions(among: Callable | None) -> Iterable[int]:
        if among is None:
            return range(len(records))
        if among not in subsets:
            subsets[among] = [i for i, r in enumerate(records) if among(r)]
        return subsets[among]

    for name, key_of, *among in families:
        blocks: dict[str, int | list[int]] = {}  # a lone record as its position, saving a list
        get = blocks.get
        chosen = positions(among[0] if among else None)
        for i, keys in zip(chosen, map(key_of, map(records.__getitem__, chosen))):
            if not keys:
                continue
            for key in (keys,) if type(keys) is str else keys:
                found = get(key)
                if found is None:
                    blocks[key] = i
                elif type(found) is int:
                    if found != i:
                        blocks[key] = [found, i]
                elif found[-1] != i:
                    found.append(i)
        added = 0
        for members in blocks.values():
            if type(members) is int:
                continue
            if len(members) > max_block:
                stats.oversized_blocks += 1
                continue
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    code = (i << 32) | j
                    if code not in seen:
                        seen.add(code)
                        pairs.append((i, j))
                        added += 1
        stats.pairs_by_key[name] = added
        del blocks
    for name, key_of, *among in neighbourhoods:
        chosen = positions(among[0] if among else None)
        keyed = sorted((key, i) for i, key in zip(chosen, map(key_of, map(records.__getitem__, chosen))) if key)
        added = 0
        for x in range(len(keyed)):
            i = keyed[x][1]
            for y in range(x + 1, min(x + window, len(keyed))):
                j = keyed[y][1]
                code = (i << 32) | j if i < j else (j << 32) | i
                if code not in seen:
                    seen.add(code)
                    pairs.append((i, j) if i < j else (j, i))
                    added += 1
        stats.pairs_by_key[name] = added
    stats.pairs = len(pairs)
    return pairs, stats


def recall(compared: Iterable[tuple[int, int]], truth: set[tuple[int, int]]) -> float:
    """The share of true pairs (as ordered id pairs a < b) that blocking let through."""
    if not truth:
        return 1.0
    found = {(min(a, b), max(a, b)) for a, b in compared} & truth
    return len(found) / len(truth)


# The incremental check: a few records against the whole register, through indexes (the same
# keys as above where an index can serve them). Each query answers (probe id, candidate id).
_CONTACT_PROBES = f"""
WITH p AS (SELECT * FROM unnest(CAST(:ids AS integer[]), CAST(:emails AS text[]), CAST(:phones AS text[]),
                                CAST(:locals AS text[]), CAST(:firsts AS text[]), CAST(:lasts AS text[]),
                                CAST(:companies AS integer[]))
                  AS p(id, email, phone, local, first, last, company_id))
SELECT p.id, c.id FROM p JOIN contacts c ON c.email = p.email WHERE c.id <> p.id
UNION SELECT p.id, c.id FROM p JOIN contacts c ON c.phone = p.phone WHERE c.id <> p.id
UNION SELECT p.id, x.id FROM p CROSS JOIN LATERAL (
    SELECT c.id FROM contacts c WHERE {email_local_sql('c.email')} = p.local AND c.id <> p.id LIMIT {MAX_BLOCK}) x
UNION SELECT p.id, x.id FROM p CROSS JOIN LATERAL (
    SELECT c.id FROM contacts c WHERE {folded_sql('c.last_name')} IN (p.first, p.last)
       AND c.company_id = p.company_id AND c.id <> p.id LIMIT {MAX_BLOCK}) x
UNION SELECT p.id, x.id FROM p CROSS JOIN LATERAL (
    SELECT c.id FROM contacts c WHERE c.company_id = p.company_id AND c.id <> p.id
       AND {folded_sql('c.first_name')} IN (p.first, p.last) LIMIT {MAX_BLOCK}) x
"""
_COMPANY_PROBES = f"""
WITH p AS (SELECT * FROM unnest(CAST(:ids AS integer[]), CAST(:bids AS text[]), CAST(:domains AS text[]),
                                CAST(:words AS text[])) AS p(id, bid, domain, word))
SELECT p.id, c.id FROM p JOIN companies c ON c.business_id = p.bid WHERE c.id <> p.id
UNION SELECT p.id, x.id FROM p CROSS JOIN LATERAL (
    SELECT c.id FROM companies c WHERE {website_domain_sql('c.website')} = p.domain AND c.id <> p.id
     LIMIT {MAX_BLOCK}) x
UNION SELECT p.id, x.id FROM p CROSS JOIN LATERAL (
    SELECT c.id FROM companies c
     WHERE lower(c.name) COLLATE "C" >= p.word COLLATE "C" AND lower(c.name) COLLATE "C" < (p.word || '~') COLLATE "C"
       AND c.id <> p.id LIMIT {MAX_BLOCK}) x
"""


@dataclass(frozen=True)
class Probe:
    """A record checked against the register: its id and the raw values the indexes hold."""

    id: int
    email: str | None = None
    phone: str | None = None
    first_f: str = ""
    last_f: str = ""
    company_id: int | None = None
    business_id: str | None = None
    domain: str = ""
    name: str = ""


def _first_name_word(name: str) -> str | None:
    """The first word of a company name as its index holds it (lower case), legal forms skipped."""
    words = [w for w in name.lower().split() if w.strip(".,") not in LEGAL_FORMS]
    return words[0] if words else None


def probe_query(entity: str, probes: Sequence[Probe]) -> tuple[str, dict]:
    """The SQL and parameters that find the probes' candidates (each branch through an index)."""
    if entity == "contacts":
        params = {"ids": [p.id for p in probes], "emails": [p.email for p in probes],
                  "phones": [p.phone for p in probes],
                  "locals": [p.email.rpartition("@")[0] if p.email else None for p in probes],
                  "firsts": [p.first_f or None for p in probes], "lasts": [p.last_f or None for p in probes],
                  "companies": [p.company_id for p in probes]}
        query = _CONTACT_PROBES
    else:
        params = {"ids": [p.id for p in probes], "bids": [p.business_id for p in probes],
                  "domains": [p.domain or None for p in probes],
                  "words": [_first_name_word(p.name) for p in probes]}
        query = _COMPANY_PROBES
    return query, params


def register_candidates(session: Session, *, entity: str, probes: Sequence[Probe]) -> dict[int, set[int]]:
    """For each probe, the register's records sharing a blocking key with it."""
    if not probes:
        return {}
    query, params = probe_query(entity, probes)
    found: dict[int, set[int]] = {p.id: set() for p in probes}
    for probe_id, other in session.execute(text(query), params).all():
        found[probe_id].add(other)
    return found
