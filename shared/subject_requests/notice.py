"""What an access answer says about each category of data, in fi / sv / en: purposes, legal
basis, source and retention (GDPR Art. 15(1)), the rights text, and the controller's identity.

`describe` turns what `access_export.collect_person_data` found into the answer document: every
section carries its data together with why we hold it, where it came from and for how long. How
long comes from the retention policy (shared/retention/texts.py), as in the privacy notice.
"""

from __future__ import annotations

from typing import Any

from shared.retention.policy import Rule, current_policy
from shared.retention.texts import answer_text

T = dict[str, str]  # language -> text

CONTROLLER = {"name": "Jetmasters Oy", "address": "Pakkastie 5, 87100 Kajaani", "business_id": "1086291-5"}
CONTACT_POINT: T = {
    "fi": "Rekisteriasiat: rekisterin yhteyshenkilö, kirjallisesti yllä olevaan osoitteeseen.",
    "sv": "Registerärenden: registrets kontaktperson, skriftligen till adressen ovan.",
    "en": "Register matters: the register's contact person, in writing to the address above.",
}

LEGAL_BASIS: dict[str, T] = {
    "customer_relationship": {"fi": "Asiakassuhde (EU:n tietosuoja-asetus 6 art. 1 b ja f)",
                              "sv": "Kundförhållande (dataskyddsförordningen art. 6.1 b och f)",
                              "en": "Customer relationship (GDPR Art. 6(1)(b) and (f))"},
    "consent": {"fi": "Suostumus (6 art. 1 a)", "sv": "Samtycke (art. 6.1 a)", "en": "Consent (GDPR Art. 6(1)(a))"},
    "assignment": {"fi": "Asiakkaan antama toimeksianto (6 art. 1 b)", "sv": "Uppdrag från kunden (art. 6.1 b)",
                   "en": "An assignment from the customer (GDPR Art. 6(1)(b))"},
    "relevant_connection": {
        "fi": "Muu asiallinen yhteys, kuten kuuluminen tuotteiden tai palvelujen kohderyhmään (oikeutettu etu, 6 art. 1 f)",
        "sv": "Annat sakligt samband, t.ex. att höra till målgruppen för produkterna eller tjänsterna (berättigat intresse, art. 6.1 f)",
        "en": "Another relevant connection, such as belonging to the target group of the products or services "
              "(legitimate interest, GDPR Art. 6(1)(f))"},
    "legal_obligation": {"fi": "Lakisääteinen velvoite (6 art. 1 c; tietosuoja-asetuksen 12–22 art.)",
                         "sv": "Rättslig förpliktelse (art. 6.1 c; dataskyddsförordningen art. 12–22)",
                         "en": "Legal obligation (GDPR Art. 6(1)(c); Art. 12–22)"},
    "accountability": {"fi": "Oikeutettu etu: tietoturva ja osoitusvelvollisuus (6 art. 1 f, 5 art. 2 ja 32 art.)",
                       "sv": "Berättigat intresse: säkerhet och ansvarsskyldighet (art. 6.1 f, 5.2 och 32)",
                       "en": "Legitimate interest: security and accountability (GDPR Art. 6(1)(f), 5(2) and 32)"},
}

PURPOSES: dict[str, T] = {
    "sales_marketing": {"fi": "Myynnin, viestinnän ja markkinoinnin hoitaminen",
                        "sv": "Försäljning, kommunikation och marknadsföring", "en": "Sales, communication and marketing"},
    "customer_service": {"fi": "Asiakassuhteen hoitaminen ja asiakaspalvelu",
                         "sv": "Skötsel av kundförhållandet och kundservice",
                         "en": "Managing the customer relationship and customer service"},
    "analysis_development": {"fi": "Asiakkuuksien analysointi ja liiketoiminnan kehittäminen",
                             "sv": "Kundanalys och utveckling av verksamheten",
                             "en": "Analysing customers and developing the business"},
    "feedback": {"fi": "Asiakaspalautteen kerääminen ja käsittely", "sv": "Insamling och hantering av kundrespons",
                 "en": "Collecting and handling customer feedback"},
    "sister_marketing": {"fi": "Sisaryritysten tuotteiden ja palveluiden markkinointi",
                         "sv": "Marknadsföring av systerbolagens produkter och tjänster",
                         "en": "Marketing the products and services of sister companies"},
    "accountability": {"fi": "Tietoturva ja osoitusvelvollisuus (kuka käsitteli tietoja ja miten)",
                       "sv": "Informationssäkerhet och ansvarsskyldighet (vem behandlade uppgifterna och hur)",
                       "en": "Security and accountability (who processed the data and how)"},
    "rights": {"fi": "Rekisteröidyn oikeuksien toteuttaminen", "sv": "Tillgodoseende av den registrerades rättigheter",
               "en": "Fulfilling the data subject's rights"},
}

SOURCES: dict[str, T] = {
    "data_subject": {"fi": "Sinä itse tai yrityksesi", "sv": "Du själv eller ditt företag", "en": "You or your company"},
    "controller": {"fi": "Jetmasters Oy:n omat tiedot", "sv": "Jetmasters Oy:s egna uppgifter",
                   "en": "Jetmasters Oy's own records"},
    "sister_company": {"fi": "Jetmasters Oy:n sisaryritys", "sv": "Ett systerbolag till Jetmasters Oy",
                       "en": "A sister company of Jetmasters Oy"},
    "stakeholder": {"fi": "Sidosryhmä", "sv": "En intressent", "en": "A stakeholder"},
    "directory_service": {"fi": "Hakemistopalvelu", "sv": "En katalogtjänst", "en": "A directory service"},
    "public_register": {"fi": "Julkinen luettelo tai rekisteri", "sv": "En offentlig förteckning eller ett register",
                        "en": "A public list or register"},
    "website": {"fi": "Jetmasters Oy:n verkkosivustot (kun vierailit niillä)",
                "sv": "Jetmasters Oy:s webbplatser (när du besökte dem)",
                "en": "Jetmasters Oy's websites (when you visited them)"},
    "import_file": {"fi": "Tiedosto, jonka henkilöstömme toi rekisteriin", "sv": "En fil som vår personal importerade",
                    "en": "A file our staff uploaded to the register for import"},
    "register_system": {"fi": "Rekisterijärjestelmä kirjaa nämä itse", "sv": "Registersystemet registrerar dessa självt",
                        "en": "Recorded by the register system itself"},
}

RIGHTS: dict[str, list[str]] = {
    "fi": ["Oikeus tarkastaa sinua koskevat tiedot (tämä vastaus).",
           "Oikeus vaatia virheellisen, puutteellisen tai vanhentuneen tiedon oikaisemista.",
           "Oikeus vaatia tietojen poistamista.",
           "Oikeus vaatia käsittelyn rajoittamista.",
           "Oikeus vastustaa tietojesi käsittelyä suoramarkkinointia sekä markkina- ja mielipidetutkimusta varten; "
           "vastustus on voimassa heti.",
           "Oikeus peruuttaa suostumus milloin tahansa.",
           "Oikeus tehdä valitus tietosuojavaltuutetun toimistolle (tietosuoja.fi)."],
    "sv": ["Rätt att få tillgång till uppgifterna om dig (detta svar).",
           "Rätt att få felaktiga, ofullständiga eller föråldrade uppgifter rättade.",
           "Rätt att få uppgifterna raderade.",
           "Rätt att begära begränsning av behandlingen.",
           "Rätt att invända mot behandling för direktmarknadsföring samt marknads- och opinionsundersökningar; "
           "invändningen gäller omedelbart.",
           "Rätt att när som helst återkalla ett samtycke.",
           "Rätt att lämna in klagomål till dataombudsmannens byrå (tietosuoja.fi)."],
    "en": ["The right of access to the data about you (this answer).",
           "The right to have wrong, incomplete or outdated data rectified.",
           "The right to have the data erased.",
           "The right to restriction of processing.",
           "The right to object to processing for direct marketing and for market and opinion research; "
           "an objection takes effect at once.",
           "The right to withdraw a consent at any time.",
           "The right to lodge a complaint with the Office of the Data Protection Ombudsman (tietosuoja.fi)."],
}

# category -> (purposes, legal basis, source, retention); None: taken from the record itself.
CATEGORIES: dict[str, tuple[list[str] | None, str | None, str | None, str | None]] = {
    "contact": (None, None, None, None),
    "company": (None, None, None, None),
    "consents": (["accountability"], "consent", "data_subject", "with_record"),
    "objections": (["rights"], "legal_obligation", "data_subject", "with_record"),
    "restriction": (["rights"], "legal_obligation", "data_subject", "with_record"),
    "subscriptions": (["sales_marketing"], None, None, None),
    "interactions": (["sales_marketing", "customer_service", "analysis_development"], None, "controller", None),
    "web_events": (["analysis_development", "sales_marketing"], None, "website", "web_events"),
    "feedback": (["feedback", "customer_service"], None, "data_subject", "feedback"),
    "change_history": (["accountability"], "accountability", "register_system", "with_record"),
    "access_log": (["accountability"], "accountability", "register_system", "access_log"),
    "disclosures": (None, None, "register_system", "with_record"),
    "emails": (["customer_service", "rights"], None, "register_system", "with_record"),
    "subject_requests": (["rights"], "legal_obligation", "data_subject", "requests"),
    "suppression": (["rights"], "legal_obligation", "data_subject", "suppression"),
    "import_files": (["sales_marketing"], None, "import_file", "import_file"),
}
ORDER = list(CATEGORIES)


def _label(table: dict[str, T], key: str | None, language: str) -> str | None:
    """The text for `key` in the language; an unknown key is shown as it is."""
    if key is None:
        return None
    return table.get(key, {}).get(language, key)


def record_retention(*, company_status: str | None, language: str, policy: dict[str, Rule] | None = None) -> str:
    """Retention of a contact's or company's data: by the relationship (prospect if none)."""
    key = company_status if company_status in ("customer", "former_customer") else "prospect"
    return answer_text(key, language=language, policy=policy)


def _notice(category: str, *, record: dict[str, Any] | None, company_status: str | None, language: str,
            policy: dict[str, Rule]) -> dict[str, Any]:
    purposes, basis, source, retention = CATEGORIES[category]
    record = record or {}
    purposes = purposes if purposes is not None else list(record.get("purposes") or [])
    basis = basis or record.get("legal_basis")
    source = source or record.get("source")
    return {
        "purposes": [_label(PURPOSES, p, language) for p in purposes],
        "legal_basis": _label(LEGAL_BASIS, basis, language),
        "source": _label(SOURCES, source, language),
        "retention": answer_text(retention, language=language, policy=policy) if retention else record_retention(
            company_status=company_status, language=language, policy=policy),
    }


def describe(data: dict[str, Any], *, language: str) -> dict[str, Any]:
    """Each category of the person's data, with its notice texts, in the answer's language."""
    contact = data.get("contact") or {}
    company = data.get("company") or {}
    record = contact.get("provenance") or company.get("provenance")
    status = company.get("status")
    policy = current_policy()  # the retention texts come from the retention policy (shared/retention/texts.py)
    sections: dict[str, Any] = {}
    for category in ORDER:
        content = data.get(category)
        if content is None:
            continue
        own = (content.get("provenance") if isinstance(content, dict) else None) or record
        section = _notice(category, record=own, company_status=status, language=language, policy=policy)
        row_sources = {row["source"] for row in content if row.get("source")} if isinstance(content, list) else set()
        if row_sources:  # e.g. each subscription says where it came from
            section["source"] = "; ".join(_label(SOURCES, s, language) for s in sorted(row_sources))
        sections[category] = {**section, "data": content}
    return sections


def rights(*, language: str) -> dict[str, Any]:
    """The rights text and who to turn to."""
    return {"rights": RIGHTS[language], "contact": CONTACT_POINT[language]}
