"""The register's configuration that the privacy notice and the records of processing are
generated from. `JETMASTERS` is the reference customer's: the content of its 2018 notice,
brought up to date with the GDPR and the Data Protection Act 1050/2018 (legal bases named,
retention periods stated, every right listed, access free of charge — no "once per calendar
year"). Purposes, legal bases and sources are codes labelled in shared/i18n/codes.py, as in access
answers; retention comes from the retention policy; recipients from
the partner registry."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.subject_requests.notice import CONTROLLER

T = dict[str, str]  # language -> text
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class RegisterConfig:
    controller: dict[str, str]
    contact_person: T
    contact_phone: str | None
    register_name: T
    purposes: tuple[str, ...]  # codes of shared/i18n/codes.py PURPOSE
    legal_bases: tuple[str, ...]  # codes of LEGAL_BASIS
    data_subjects: T
    data_categories: tuple[T, ...]
    sources: tuple[str, ...]  # codes of SOURCE
    authorities: T
    third_countries: T
    security: tuple[T, ...]
    processors: T
    automated_decisions: T
    # The pages' colours (CSS custom properties in services/api/pages/static/site.css): another
    # controller sets its own; each must keep WCAG AA contrast with white text.
    colours: dict[str, str] = field(default_factory=lambda: {"brand": "#0b4f8a", "button": "#00703c"})


JETMASTERS = RegisterConfig(
    controller={**CONTROLLER, "website": "www.jetmasters.fi"},
    contact_person={"fi": "Toimitusjohtaja Kari Lahtinen", "sv": "Verkställande direktör Kari Lahtinen",
                    "en": "Kari Lahtinen, managing director"},
    contact_phone="+358 500 482243",
    register_name={"fi": "Jetmasters Oy:n asiakas- ja markkinointirekisteri",
                   "sv": "Jetmasters Oy:s kund- och marknadsföringsregister",
                   "en": "Jetmasters Oy's customer and marketing register"},
    purposes=("sales_marketing", "customer_service", "analysis_development", "feedback", "sister_marketing"),
    legal_bases=("customer_relationship", "consent", "assignment", "relevant_connection", "legal_obligation"),
    data_subjects={
        "fi": "Jetmasters Oy:n olemassa olevien ja mahdollisten asiakasyritysten yhteyshenkilöt sekä "
              "toiminimellä toimivat asiakkaat.",
        "sv": "Kontaktpersoner hos Jetmasters Oy:s befintliga och potentiella kundföretag samt kunder som är "
              "enskilda näringsidkare.",
        "en": "Contact persons of Jetmasters Oy's existing and prospective client companies, and clients who "
              "are sole traders."},
    data_categories=(
        {"fi": "Asiakasyrityksen nimi ja yhteystiedot", "sv": "Kundföretagets namn och kontaktuppgifter",
         "en": "The client company's name and contact details"},
        {"fi": "Yhteyshenkilön etu- ja sukunimi, asema yrityksessä ja yhteystiedot (sähköposti, puhelin), kieli",
         "sv": "Kontaktpersonens för- och efternamn, ställning i företaget och kontaktuppgifter (e-post, telefon), "
               "språk",
         "en": "The contact person's first and last name, position in the company and contact details (email, "
               "phone), language"},
        {"fi": "Postituslistat ja tilaukset, suostumukset ja kiellot (suoramarkkinointi, tutkimukset)",
         "sv": "Utskickslistor och prenumerationer, samtycken och förbud (direktmarknadsföring, undersökningar)",
         "en": "Mailing lists and subscriptions, consents and objections (direct marketing, research)"},
        {"fi": "Tuotteiden ja palveluiden tarjoamiseen, ostamiseen, käyttämiseen ja kehittämiseen sekä "
               "markkinointiin ja myyntiin liittyvät tiedot",
         "sv": "Uppgifter om erbjudande, köp, användning och utveckling av produkter och tjänster samt om "
               "marknadsföring och försäljning",
         "en": "Data on offering, buying, using and developing products and services, and on marketing and sales"},
        {"fi": "Asiakaspalaute", "sv": "Kundrespons", "en": "Customer feedback"},
        {"fi": "Edellä yksilöityjen tietojen muutoshistoria ja tieto siitä, kuka tietoja on käsitellyt",
         "sv": "Ändringshistorik för uppgifterna ovan och uppgift om vem som har behandlat dem",
         "en": "The change history of the data above, and who has processed it"},
        {"fi": "Verkkokäyttäytyminen Jetmasters Oy:n verkkosivustoilla ja -palveluissa",
         "sv": "Beteende på Jetmasters Oy:s webbplatser och webbtjänster",
         "en": "Behaviour on Jetmasters Oy's websites and web services"},
    ),
    sources=("data_subject", "controller", "sister_company", "stakeholder", "directory_service", "public_register",
             "website"),
    authorities={
        "fi": "Viranomaisille tietoja luovutetaan vain, kun laki sitä edellyttää; jokainen luovutus kirjataan ja "
              "näkyy tarkastuspyynnön vastauksessa.",
        "sv": "Till myndigheter lämnas uppgifter ut endast när lag kräver det; varje utlämnande registreras och "
              "syns i svaret på en begäran om tillgång.",
        "en": "Data is disclosed to authorities only where a law requires it; every disclosure is recorded and "
              "shows in the answer to an access request."},
    third_countries={
        "fi": "Tietoja ei siirretä Euroopan unionin tai Euroopan talousalueen ulkopuolelle.",
        "sv": "Uppgifter överförs inte utanför Europeiska unionen eller Europeiska ekonomiska samarbetsområdet.",
        "en": "Data is not transferred outside the European Union or the European Economic Area."},
    security=(
        {"fi": "Rekisteriä saavat käyttää vain nimetyt henkilöt, joiden tehtävänä on myynti ja markkinointi tai "
               "järjestelmän ylläpito ja hallinta; jokaisella on oma tunnus ja vain tehtävänsä edellyttämät oikeudet.",
         "sv": "Registret får användas endast av namngivna personer vars uppgift är försäljning och marknadsföring "
               "eller underhåll och administration av systemet; var och en har ett eget konto och endast de "
               "rättigheter uppgiften kräver.",
         "en": "Only named persons whose task is sales and marketing, or maintaining and administering the "
               "system, may use the register; each has their own account and only the rights their task needs."},
        {"fi": "Jokainen henkilötietojen katselu ja muutos kirjataan lokiin.",
         "sv": "Varje visning och ändring av personuppgifter loggas.",
         "en": "Every read and change of personal data is logged."},
        {"fi": "Järjestelmä on suojattu palomuurein ja muin teknisin keinoin; yhteydet on salattu ja salaisuudet "
               "tallennetaan salattuina.",
         "sv": "Systemet skyddas med brandväggar och andra tekniska medel; förbindelser är krypterade och "
               "hemligheter lagras krypterade.",
         "en": "Firewalls and other technical means protect the system; connections are encrypted and secrets "
               "are stored encrypted."},
        {"fi": "Kumppaneille luovutetaan vain kyseiseen tehtävään tarvittavat tiedot, allekirjoitettuina.",
         "sv": "Till partner lämnas endast de uppgifter som uppgiften kräver, signerade.",
         "en": "Partners receive only the data their task needs, signed."},
    ),
    processors={
        "fi": "Henkilötietojen käsittelyä voidaan ulkoistaa nimetyille palveluntarjoajille, jotka saavat käyttää "
              "tietoja vain sovittujen palvelujen toteuttamiseen kirjallisen sopimuksen mukaisesti "
              "(tietosuoja-asetuksen 28 art.).",
        "sv": "Behandlingen av personuppgifter kan läggas ut på namngivna tjänsteleverantörer som får använda "
              "uppgifterna endast för de avtalade tjänsterna enligt ett skriftligt avtal (dataskyddsförordningen "
              "art. 28).",
        "en": "Processing may be outsourced to named service providers, who may use the data only for the agreed "
              "services under a written agreement (GDPR Art. 28)."},
    automated_decisions={
        "fi": "Rekisterin tietojen perusteella ei tehdä automaattisia päätöksiä eikä profilointia, jolla olisi "
              "oikeusvaikutuksia.",
        "sv": "Inga automatiserade beslut eller profilering med rättsliga följder fattas utifrån registret.",
        "en": "No automated decisions or profiling with legal effects are based on the register."},
)


def current_config() -> RegisterConfig:
    """The configuration of this installation (the reference customer's until a second one arrives)."""
    return JETMASTERS
