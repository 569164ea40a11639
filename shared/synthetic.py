"""Synthetic companies and contacts for benchmarks and tests: Finnish-looking, deterministic.

The same seed gives the same data. Business IDs are valid and unique within a seed; emails
(`firstname.lastname@companydomain.fi`) are unique within a seed, and company domains carry the
seed (except seed 0), so data made with different seeds never collides. Nothing here is a real
person: the names are common ones combined at random.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, TextIO

from shared.register.validation import business_id_check_digit

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
