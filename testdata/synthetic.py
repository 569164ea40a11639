"""Synthetic companies and contacts for benchmarks and tests: Finnish-looking, deterministic.

The same seed gives the same data. Business IDs are valid and unique within a seed; emails
(`firstname.lastname@companydomain.fi`) are unique within a seed, and company domains carry the
seed (except seed 0), so data made with different seeds never collides. Nothing here is a real
person: the names are common ones combined at random. `duplicates()` is the duplicate mode:
corrupted copies with the truth known (typos, transpositions, swapped names, missing fields,
changed email domains, Oy/Oyj variants, folded diacritics, nicknames).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import NamedTuple, TextIO

from shared.common.validation import business_id_check_digit

FIRST_NAMES = tuple("""
Aada Aapo Aarne Aaro Aatu Aino Aki Aleksi Alisa Alma Anja Anna Anne Anneli Annika Anni Antero Anton
Antti Ari Arja Arto Arttu Asko Atte Eemeli Eero Eeva Eetu Eija Eila Eino Eliisa Elias Elina Elli
Ella Emilia Emma Erkki Esa Esko Essi Hanna Hannele Hannu Harri Heidi Heikki Heli Helmi Helena
Henna Henrik Hilkka Iida Iiris Ilkka Ilona Inkeri Irja Jaakko Jani Janne Jari Jarmo Jarno Jenna
Jenni Jere Jesse Johanna Joni Jonna Joonas Jorma Jouni Juha Juhani Juho Jukka Julia Jussi Juuso
Jyrki Kaarina Kai Kaija Kaisa Kalle Kari Karoliina Kati Katja Kauko Keijo Kerttu Kimmo
Kirsi Kristiina Kyösti Lahja Lassi Laura Lauri Leena Leevi Lotta Lumi Maarit Maija Marja Marjatta
Markku Marko Markus Marjut Martti Matias Matti Merja Mervi Miika Mika Mikael Mikko Milla Minna
Mirja Mirjami Mirva Niilo Niina Niklas Nina Noora Olavi Oliver Olli Onni Oona Oskari Otto Paavo
Pasi Pauliina Paula Pekka Pentti Pertti Petra Petri Petteri Pia Pirjo Pirkko Päivi Raija Raimo
Rasmus Reijo Riikka Riitta Risto Ritva Roope Ronja Saana Sakari Sami Sampo Sanna Sari Satu Seija
Seppo Siiri Simo Sini Sirpa Sofia Sointu Sonja Susanna Suvi Taina Taneli Tapani Tapio Tarja Teemu
Tero Terhi Timo Tiina Tommi Toni Topi Tuomas Tuomo Tuula Tuulikki Tytti Ulla Unto Urho Valtteri
Veera Veikko Veli Vesa Ville Vilma Väinö Wilhelmiina Yrjö Åsa
""".split())

LAST_NAMES = tuple("""
Aalto Aaltonen Ahonen Airaksinen Alanko Anttila Aro Backman Eskola Forsman Grönlund Haapala
Haapanen Hakala Halonen Hämäläinen Harju Heikkilä Heikkinen Heino Heinonen Hiltunen Hirvonen
Holmström Honkanen Huttunen Hyvönen Ikonen Immonen Jääskeläinen Jokela Jokinen Juntunen Jylhä
Järvinen Kallio Karjalainen Karppinen Kemppainen Kettunen Kinnunen Kivelä Kivistö Koivisto
Koivula Kokkonen Korhonen Koski Koskinen Kurki Kuusela Laaksonen Lahtinen Laine Laitinen Lampinen
Lehtinen Lehto Lehtonen Leinonen Leppänen Lindberg Lindqvist Lindström Lundqvist Luoma
Mäkelä Mäkinen Mattila Manninen Markkanen Miettinen Mustonen Mäki Nieminen Niemi Nurmi Nyberg
Nykänen Nyström Ojala Oksanen Partanen Pelkonen Peltola Peltonen Pesonen Pietilä Pitkänen
Pulkkinen Puustinen Pöllänen Rantanen Räsänen Rautio Rinne Ruotsalainen Saarinen Saari Salminen
Salo Salonen Savolainen Seppälä Sirviö Sjöberg Soini Suominen Suomalainen Tanskanen Tiainen
Tikkanen Toivonen Tuominen Turunen Törmänen Uusitalo Vainio Valtonen Vartiainen Väisänen
Virtanen Vuorinen Wikström Ylinen Ylönen Öhman
""".split())

INDUSTRIES = tuple("""
Rakennus Logistiikka Konepaja Sähkö Kuljetus Tekniikka Metalli Puutuote Kiinteistöt Energia Media
Design Catering Talotekniikka Automaatio Ohjelmistot Konsultointi Tilintarkastus Lakipalvelut
Maansiirto Vesihuolto Kalustus Painotalo Elintarvike Lasitus Teräsrakenne Putkityö Siivous
Turvallisuus Koulutus Mainonta Kone Huolto Pakkaus Valaistus Maalaus Kattotyö Rauta Muovi
""".split())

CITIES = (
    ("Helsinki", "00"), ("Espoo", "02"), ("Vantaa", "01"), ("Tampere", "33"), ("Turku", "20"),
    ("Oulu", "90"), ("Jyväskylä", "40"), ("Kuopio", "70"), ("Lahti", "15"), ("Pori", "28"),
    ("Joensuu", "80"), ("Vaasa", "65"), ("Seinäjoki", "60"), ("Hämeenlinna", "13"),
    ("Rovaniemi", "96"), ("Kouvola", "45"), ("Lappeenranta", "53"), ("Mikkeli", "50"),
    ("Kotka", "48"), ("Porvoo", "06"), ("Hyvinkää", "05"), ("Järvenpää", "04"), ("Rauma", "26"),
    ("Kokkola", "67"), ("Salo", "24"),
)
STREETS = tuple("""
Mannerheimintie Hämeenkatu Aleksanterinkatu Puistokatu Rantatie Teollisuustie Koulukatu Kirkkokatu
Asemakatu Satamakatu Tehtaankatu Myllytie Kauppakatu Metsätie Koivukuja Pajatie Väinämöisenkatu
Sammonkatu Yliopistonkatu Rautatienkatu Valtakatu Kalevankatu Ratakatu Siltakatu Verstaskatu
""".split())
POSITIONS = (
    "toimitusjohtaja", "talousjohtaja", "myyntipäällikkö", "ostopäällikkö", "markkinointipäällikkö",
    "tuotantopäällikkö", "huoltopäällikkö", "hankinta-asiantuntija", "projektipäällikkö", "IT-päällikkö",
    "henkilöstöpäällikkö", "asiakkuuspäällikkö", "kehitysjohtaja", "työnjohtaja", "controller",
    "CEO", "CFO", "Head of Procurement", "Sales Manager", "Operations Manager", "verkställande direktör",
)
COMPANY_FORMS = ("Oy", "Oy", "Oy", "Oy Ab", "Ky", "Tmi", "Oyj")
STATUSES = ("prospect", "prospect", "prospect", "customer", "customer", "former_customer")

COMPANY_HEADER = ("name", "business_id", "status", "street_address", "postal_code", "city", "country",
                  "website", "sole_trader")
CONTACT_HEADER = ("first_name", "last_name", "email", "phone", "position", "language",
                  "company_business_id")

_ASCII = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u", "Ä": "a", "Ö": "o", "Å": "a"})
_NAME_COMBOS = len(FIRST_NAMES) * len(LAST_NAMES)
_COMPANY_COMBOS = len(LAST_NAMES) * len(INDUSTRIES)


class SyntheticCompany(NamedTuple):
    name: str
    business_id: str
    status: str
    street_address: str
    postal_code: str
    city: str
    country: str
    website: str
    sole_trader: str


class SyntheticContact(NamedTuple):
    first_name: str
    last_name: str
    email: str
    phone: str
    position: str
    language: str
    company_business_id: str


def _coprime(step: int, modulus: int) -> int:
    from math import gcd

    while gcd(step, modulus) != 1:
        step += 1
    return step


_ID_STEP = _coprime(386_537, 1_000_000)
_COMPANY_STEP = _coprime(4_987, _COMPANY_COMBOS)
_NAME_STEP = _coprime(7_919, _NAME_COMBOS)


def business_id(index: int, *, seed: int) -> str:
    """The index-th company's business ID: six digits unique per index (up to a million per
    seed), then the first seventh digit that allows a valid check digit."""
    prefix = f"{(123_457 + seed * 104_729 + index * _ID_STEP) % 1_000_000:06d}"
    for last in "0123456789":
        check = business_id_check_digit(prefix + last)
        if check is not None:
            return f"{prefix}{last}-{check}"
    raise AssertionError("unreachable: some seventh digit always allows a check digit")


def _company_words(index: int, seed: int) -> tuple[str, str, str]:
    """Surname, industry and domain of the index-th company; the domain is unique per seed."""
    combo = (seed * 31 + index * _COMPANY_STEP) % _COMPANY_COMBOS
    surname, industry = LAST_NAMES[combo % len(LAST_NAMES)], INDUSTRIES[combo // len(LAST_NAMES)]
    round_ = index // _COMPANY_COMBOS
    slug = (surname + industry).translate(_ASCII).lower()
    domain = f"{slug}{round_ + 1 if round_ else ''}{f'-{seed}' if seed else ''}.fi"
    return surname, industry, domain


def company(index: int, *, seed: int = 0) -> SyntheticCompany:
    """The index-th synthetic company of this seed."""
    rng = random.Random(seed * 1_000_003 + index)
    surname, industry, domain = _company_words(index, seed)
    form = rng.choice(COMPANY_FORMS)
    city, postal = rng.choice(CITIES)
    return SyntheticCompany(
        name=f"{surname} {industry} {form}", business_id=business_id(index, seed=seed),
        status=rng.choice(STATUSES), street_address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postal_code=f"{postal}{rng.randint(100, 990)}", city=city, country="FI",
        website=f"https://www.{domain}", sole_trader="yes" if form == "Tmi" else "no",
    )


def companies(count: int, *, seed: int = 0) -> Iterator[SyntheticCompany]:
    for index in range(count):
        yield company(index, seed=seed)


def contacts(count: int, *, seed: int = 0, companies: int = 1) -> Iterator[SyntheticContact]:
    """Contacts spread over the first `companies` companies of the same seed, round robin."""
    rng = random.Random(seed)
    random_ = rng.random
    randrange = rng.randrange
    n_first = len(FIRST_NAMES)
    identities: dict[int, tuple[str, str]] = {}
    for index in range(count):
        at, nth = index % companies, index // companies
        if at not in identities:
            identities[at] = (business_id(at, seed=seed), _company_words(at, seed)[2])
        bid, domain = identities[at]
        combo = (at * 104_729 + nth * _NAME_STEP) % _NAME_COMBOS
        first, last = FIRST_NAMES[combo % n_first], LAST_NAMES[combo // n_first]
        local = f"{first}.{last}".translate(_ASCII).lower()
        if nth >= _NAME_COMBOS:
            local += str(nth // _NAME_COMBOS + 1)
        roll = random_()
        number = randrange(1_000_000, 10_000_000)
        if roll < 0.1:
            phone = ""
        elif roll < 0.55:
            phone = f"+35840{number}"
        elif roll < 0.75:
            phone = f"+35850{number}"
        elif roll < 0.9:
            phone = f"040 {number // 10_000:03d} {number % 10_000:04d}"
        else:
            phone = f"+358 50 {number}"
        roll = random_()
        yield SyntheticContact(
            first_name=first, last_name=last, email=f"{local}@{domain}", phone=phone,
            position="" if roll < 0.15 else POSITIONS[int(roll * 1000) % len(POSITIONS)],
            language="sv" if roll > 0.9 else ("en" if roll > 0.85 else "fi"),
            company_business_id=bid,
        )


def write_companies_csv(target: Path | TextIO, count: int, *, seed: int = 0, delimiter: str = ",") -> int:
    """Write `count` companies as an import file; returns the rows written."""
    return _write(target, COMPANY_HEADER, companies(count, seed=seed), delimiter)


def write_contacts_csv(target: Path | TextIO, count: int, *, seed: int = 0, companies: int = 1,
                       delimiter: str = ",") -> int:
    """Write `count` contacts of the first `companies` companies as an import file."""
    return _write(target, CONTACT_HEADER, contacts(count, seed=seed, companies=companies),
                  delimiter)


def _write(target: Path | TextIO, header: tuple[str, ...], rows, delimiter: str) -> int:
    if isinstance(target, Path | str):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            return _write(handle, header, rows, delimiter)
    writer = csv.writer(target, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    written = 0
    for chunk in _batched(rows, 10_000):
        writer.writerows(chunk)
        written += len(chunk)
    return written


def _batched(rows, size: int) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# Duplicate mode: records with known twins, as registers get them (bench/dedup.py, the dedup tests).
_FORMS = {"Oy": ("Oyj", "Oy Ab", "OY", "oy", "Ltd"), "Oyj": ("Oy", "OYJ", "Abp"), "Ky": ("KY", "Ky."),
          "Tmi": ("Toiminimi", "TMI"), "Oy Ab": ("Oy", "Ab")}
FREE_DOMAINS = ("gmail.com", "outlook.com", "luukku.com")
CORRUPTIONS = ("typo_first", "typo_last", "transpose", "swap_names", "fold_diacritics", "drop_phone", "drop_email",
               "drop_position", "drop_company", "email_domain", "company_form", "case", "phone_format", "nickname")
# Short forms a person may go by (the matcher's table is shared.dedup.nicknames; kept apart here on
# purpose, so the test of the one does not merely repeat the other).
_SHORT = {"Matias": "Matti", "Juhani": "Jussi", "Juha": "Jussi", "Karoliina": "Karo", "Kristiina": "Kirsi",
          "Aleksi": "Aki", "Mikael": "Mikko", "Henrik": "Henkka", "Tapani": "Tapsa", "Markus": "Make",
          "Johanna": "Jonna", "Susanna": "Sanna", "Kaarina": "Kaija", "Petteri": "Pete"}


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word + rng.choice("aeinst")
    i, kind = rng.randrange(1, len(word)), rng.randrange(3)
    if kind == 0:
        return word[:i] + rng.choice("aeiklmnorstuv") + word[i + 1:]
    return word[:i] + rng.choice("aeiklnst") + word[i:] if kind == 1 else word[:i] + word[i + 1:]


def _transpose(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _form_variant(name: str, rng: random.Random) -> str:
    for form, variants in _FORMS.items():
        if name.endswith(" " + form):
            return name[: -len(form)] + rng.choice(variants)
    return name.upper()


def corrupt(row: dict, rng: random.Random, *, unique_emails: bool) -> dict:
    """A duplicate of a duplicate-mode row with one to three corruptions."""
    dup = dict(row)
    for kind in rng.sample(CORRUPTIONS, rng.choice((1, 1, 2, 2, 3))):
        if kind in ("typo_first", "typo_last", "transpose"):
            field = {"typo_first": "first_name", "typo_last": "last_name"}.get(kind) or rng.choice(
                ("first_name", "last_name"))
            dup[field] = (_transpose if kind == "transpose" else _typo)(dup[field], rng)
        elif kind == "swap_names":
            dup["first_name"], dup["last_name"] = dup["last_name"], dup["first_name"]
        elif kind == "fold_diacritics":
            dup["first_name"], dup["last_name"] = (dup["first_name"].translate(_ASCII).title(),
                                                   dup["last_name"].translate(_ASCII).title())
        elif kind.startswith("drop_"):
            dup[kind[5:]] = ""
            if kind == "drop_company":
                dup["business_id"] = dup["postcode"] = dup["city"] = dup["street"] = ""
        elif kind == "email_domain" and dup["email"]:
            dup["email"] = dup["email"].split("@")[0] + "@" + rng.choice(FREE_DOMAINS)
        elif kind == "company_form" and dup["company"]:
            dup["company"], dup["business_id"] = _form_variant(dup["company"], rng), ""
        elif kind == "case":
            dup["first_name"], dup["last_name"] = dup["first_name"].upper(), dup["last_name"].lower()
        elif kind == "phone_format" and dup["phone"].startswith("+358"):
            national = "0" + dup["phone"][4:]
            dup["phone"] = f"{national[:3]} {national[3:6]} {national[6:]}"
        elif kind == "nickname" and dup["first_name"] in _SHORT:
            dup["first_name"] = _SHORT[dup["first_name"]]
    if unique_emails and dup["email"] and dup["email"] == row["email"]:
        local, domain = dup["email"].split("@")
        dup["email"] = rng.choice((f"{local}@{rng.choice(FREE_DOMAINS)}", f"{_typo(local, rng)}@{domain}", ""))
    return dup


def _hard_negative(source: dict, k: int, rng: random.Random, firms: list) -> dict:
    """Not a duplicate, but close: a relative at the same firm sharing its switchboard phone, or
    a namesake at another company."""
    other = dict(source, id=0, position=rng.choice(POSITIONS))
    last = source["last_name"].translate(_ASCII).lower()
    if k % 2 == 0:
        other["first_name"] = rng.choice([f for f in FIRST_NAMES if f[0] != source["first_name"][0]])
        domain = source["email"].split("@")[1] if source["email"] else "example.fi"
        other["email"] = f"{other['first_name'].translate(_ASCII).lower()}.{last}.{k}@{domain}"
    else:
        co = rng.choice(firms)
        other.update(company=co.name, business_id=co.business_id, street=co.street_address, postcode=co.postal_code,
                     city=co.city, phone=f"+35850{rng.randrange(1_000_000, 10_000_000)}",
                     email=f"{source['first_name'].translate(_ASCII).lower()}.{last}.{k}@{rng.choice(FREE_DOMAINS)}")
    return other


def duplicates(count: int, *, seed: int = 1, duplicate_share: float = 0.2, per_company: int = 10,
               unique_emails: bool = False, hard_share: float = 0.04) -> tuple[list[dict], set[tuple[int, int]]]:
    """Duplicate mode: `count` contact rows (ids 1..count; first_name, last_name, email, phone,
    position, company, business_id, street, postcode, city), `duplicate_share` of them corrupted
    copies of the others, `hard_share` relatives and namesakes (not duplicates), and the truth:
    every pair (a < b) of rows of one person."""
    originals, hard = count - int(count * duplicate_share), int(count * hard_share)
    n_companies = max(1, (originals - hard) // per_company)
    firms = [company(i, seed=seed) for i in range(n_companies)]
    rows = []
    for i, person in enumerate(contacts(originals - hard, seed=seed, companies=n_companies)):
        co = firms[i % n_companies]
        rows.append({"id": i + 1, "first_name": person.first_name, "last_name": person.last_name,
                     "email": person.email, "phone": person.phone, "position": person.position, "company": co.name,
                     "business_id": co.business_id, "street": co.street_address, "postcode": co.postal_code,
                     "city": co.city})
    rng = random.Random(seed * 7919 + 17)
    for k in range(hard):
        rows.append(_hard_negative(rows[rng.randrange(originals - hard)], k, rng, firms) | {"id": len(rows) + 1})
    people: dict[int, list[int]] = {}
    for k in range(count - originals):
        source = rows[rng.randrange(originals)]
        rows.append(corrupt(source, rng, unique_emails=unique_emails) | {"id": originals + k + 1})
        people.setdefault(source["id"], []).append(originals + k + 1)
    if unique_emails:  # two duplicates of one person may still have drawn the same address
        seen: set[str] = set()
        for row in rows:
            if row["email"] and row["email"].lower() in seen:
                row["email"] = ""
            seen.add(row["email"].lower())
    truth = {(a, b) for source, dups in people.items() for a, b in combinations(sorted([source, *dups]), 2)}
    return rows, truth
