"""The privacy notice (GDPR Art. 13–14) and the records of processing (Art. 30), built from the
register's configuration, the retention policy and the partner registry; Markdown and HTML."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from shared.models.partners import Partner, PartnerRole
from shared.notice.config import RegisterConfig
from shared.retention.policy import Rule
from shared.retention.texts import notice_lines, notice_rules
from shared.subject_requests.notice import LEGAL_BASIS, PURPOSES, SOURCES

Block = str | list[str]  # a paragraph, or a bulleted list
Section = tuple[str, list[Block]]

TITLE = {"fi": "Tietosuojaseloste", "sv": "Dataskyddsbeskrivning", "en": "Privacy notice"}
LAW = {"fi": "EU:n yleinen tietosuoja-asetus (2016/679) 13 ja 14 art. sekä tietosuojalaki (1050/2018)",
       "sv": "EU:s allmänna dataskyddsförordning (2016/679) art. 13 och 14 samt dataskyddslagen (1050/2018)",
       "en": "EU General Data Protection Regulation (2016/679) Art. 13 and 14, and the Data Protection Act "
             "(1050/2018)"}
VERSION = {"fi": "Versio {version}, julkaistu {date}", "sv": "Version {version}, publicerad {date}",
           "en": "Version {version}, published {date}"}
BUSINESS_ID = {"fi": "Y-tunnus", "sv": "FO-nummer", "en": "Business ID"}
HEADINGS = {
    "fi": ["Rekisterinpitäjä", "Yhteyshenkilö rekisteriä koskevissa asioissa", "Rekisterin nimi",
           "Henkilötietojen käsittelyn tarkoitukset ja oikeusperusteet", "Rekisteröidyt ja rekisterin tietosisältö",
           "Säännönmukaiset tietolähteet", "Henkilötietojen säilytysaika", "Tietojen luovuttaminen ja siirtäminen",
           "Rekisterin suojauksen periaatteet", "Rekisteröidyn oikeudet", "Automaattinen päätöksenteko",
           "Tietosuojaselosteen päivittäminen"],
    "sv": ["Personuppgiftsansvarig", "Kontaktperson i registerärenden", "Registrets namn",
           "Ändamål och rättslig grund för behandlingen", "Registrerade och registrets innehåll",
           "Regelbundna uppgiftskällor", "Lagringstid", "Utlämnande och överföring av uppgifter",
           "Principer för skyddet av registret", "Den registrerades rättigheter", "Automatiserat beslutsfattande",
           "Uppdatering av dataskyddsbeskrivningen"],
    "en": ["Controller", "Contact person for register matters", "Name of the register",
           "Purposes and legal bases of the processing", "Data subjects and contents of the register",
           "Regular sources", "Retention", "Disclosure and transfer of data", "Security principles",
           "The data subject's rights", "Automated decision-making", "Updates to this notice"],
}
TEXT: dict[str, dict[str, Any]] = {
    "purposes": {"fi": "Tietoja käsitellään seuraaviin tarkoituksiin:",
                 "sv": "Uppgifterna behandlas för följande ändamål:",
                 "en": "The data is processed for these purposes:"},
    "bases": {"fi": "Käsittelyn oikeusperusteet:", "sv": "Rättslig grund för behandlingen:",
              "en": "The legal bases of the processing:"},
    "retention_intro": {
        "fi": "Tietoja säilytetään vain niin kauan kuin niitä tarvitaan tässä selosteessa kuvattuihin tarkoituksiin, "
              "ellei laki edellytä pidempää säilyttämistä. Säilytysajat tarkistetaan automaattisesti joka yö:",
        "sv": "Uppgifterna bevaras bara så länge de behövs för de ändamål som beskrivs här, om inte lag kräver längre "
              "lagring. Lagringstiderna kontrolleras automatiskt varje natt:",
        "en": "Data is kept only as long as it is needed for the purposes described here, unless a law requires "
              "longer. Retention is checked automatically every night:"},
    "marketing_objectors": {
        "fi": "Markkinointikiellon tehneen tunniste (suojattu tiiviste, ei osoitetta) säilytetään pysyvästi, jotta "
              "kieltoa noudatetaan.",
        "sv": "En skyddad kod (inte adressen) för den som förbjudit marknadsföring bevaras permanent, så att förbudet "
              "respekteras.",
        "en": "A protected code (not the address) of anyone who objected to marketing is kept permanently, so that "
              "the objection is honoured."},
    "partners": {
        "fi": "Tietoja luovutetaan vain erikseen nimetyille sopimuskumppaneille kirjallisen sopimuksen perusteella ja "
              "vain nimettyä tehtävää varten:",
        "sv": "Uppgifter lämnas ut endast till namngivna avtalspartner enligt skriftligt avtal och endast för en "
              "namngiven uppgift:",
        "en": "Data is disclosed only to named contract partners under a written agreement, and only for a named "
              "task:"},
    "no_partners": {"fi": "Tällä hetkellä tietoja ei luovuteta sopimuskumppaneille.",
                    "sv": "För närvarande lämnas inga uppgifter ut till avtalspartner.",
                    "en": "At present no data is disclosed to contract partners."},
    "rights": {
        "fi": ["Oikeus saada pääsy omiin tietoihin (tarkastusoikeus).",
               "Oikeus vaatia virheellisen, puutteellisen tai vanhentuneen tiedon oikaisemista.",
               "Oikeus vaatia tietojen poistamista.", "Oikeus vaatia käsittelyn rajoittamista.",
               "Oikeus vastustaa käsittelyä suoramarkkinointia sekä markkina- ja mielipidetutkimusta varten; kielto "
               "tulee voimaan heti.",
               "Oikeus siirtää itse antamasi tiedot järjestelmästä toiseen, kun käsittely perustuu suostumukseen tai "
               "sopimukseen.",
               "Oikeus peruuttaa suostumus milloin tahansa.",
               "Oikeus tehdä valitus tietosuojavaltuutetun toimistolle (tietosuoja.fi)."],
        "sv": ["Rätt till tillgång till de egna uppgifterna.",
               "Rätt att få felaktiga, ofullständiga eller föråldrade uppgifter rättade.",
               "Rätt att få uppgifterna raderade.", "Rätt till begränsning av behandlingen.",
               "Rätt att invända mot behandling för direktmarknadsföring samt marknads- och opinionsundersökningar; "
               "invändningen gäller omedelbart.",
               "Rätt att flytta uppgifter du själv lämnat till ett annat system, när behandlingen grundar sig på "
               "samtycke eller avtal.",
               "Rätt att när som helst återkalla ett samtycke.",
               "Rätt att lämna in klagomål till dataombudsmannens byrå (tietosuoja.fi)."],
        "en": ["The right of access to your data.", "The right to have wrong, incomplete or outdated data rectified.",
               "The right to erasure.", "The right to restriction of processing.",
               "The right to object to processing for direct marketing and for market and opinion research; an "
               "objection takes effect at once.",
               "The right to data portability for data you gave yourself, when the processing rests on consent or a "
               "contract.",
               "The right to withdraw a consent at any time.",
               "The right to lodge a complaint with the Office of the Data Protection Ombudsman (tietosuoja.fi)."]},
    "how": {
        "fi": "Pyynnön voi tehdä verkossa osoitteessa {requests} (vahvistetaan sähköpostiin lähetettävällä linkillä) "
              "tai kirjallisesti kohdassa 2 mainitulle yhteyshenkilölle. Pyyntöihin vastataan maksutta ja viimeistään "
              "kuukauden kuluessa; määräaikaa voidaan perustellusta syystä jatkaa enintään kahdella kuukaudella. "
              "Ilmeisen perusteettomasta tai kohtuuttomasta pyynnöstä voidaan periä kohtuullinen maksu tai siitä "
              "voidaan kieltäytyä perustellusti (tietosuoja-asetuksen 12 art. 5 kohta).",
        "sv": "En begäran kan göras på webben på {requests} (bekräftas med en länk som skickas per e-post) eller "
              "skriftligen till kontaktpersonen i punkt 2. Begäranden besvaras kostnadsfritt och senast inom en "
              "månad; tiden kan av särskilda skäl förlängas med högst två månader. För en uppenbart ogrundad eller "
              "orimlig begäran kan en rimlig avgift tas ut eller begäran avslås med motivering "
              "(dataskyddsförordningen art. 12.5).",
        "en": "You can make a request online at {requests} (confirmed by a link sent to your email) or in writing "
              "to the contact person in section 2. Requests are answered free of charge and within one month; for "
              "good reason the time may be extended by at most two months. For a manifestly unfounded or excessive "
              "request a reasonable fee may be charged, or the request refused with reasons (GDPR Art. 12(5))."},
    "updates": {
        "fi": "Jetmasters Oy voi päivittää tätä selostetta. Jokainen päivitys julkaistaan uutena versiona "
              "päivämäärineen; voimassa oleva versio on osoitteessa {notice} ja aiemmat versiot osoitteessa "
              "{versions}.",
        "sv": "Jetmasters Oy kan uppdatera denna beskrivning. Varje uppdatering publiceras som en ny version med "
              "datum; den gällande versionen finns på {notice} och tidigare versioner på {versions}.",
        "en": "Jetmasters Oy may update this notice. Every update is published as a new, dated version; the current "
              "one is at {notice} and earlier versions at {versions}."},
}
ROLE = {PartnerRole.recipient: {"fi": "vastaanottaja", "sv": "mottagare", "en": "recipient"},
        PartnerRole.processor: {"fi": "henkilötietojen käsittelijä", "sv": "personuppgiftsbiträde", "en": "processor"}}
PURPOSE_NAMES = {"billing": {"fi": "laskutus", "sv": "fakturering", "en": "billing"},
                 "marketing": {"fi": "markkinointi", "sv": "marknadsföring", "en": "marketing"},
                 "research": {"fi": "markkina- ja mielipidetutkimus", "sv": "marknads- och opinionsundersökningar",
                              "en": "market and opinion research"},
                 "customer_service": {"fi": "asiakaspalvelu", "sv": "kundservice", "en": "customer service"}}


def partner_lines(partners: list[Partner], language: str) -> list[str]:
    return [f"{p.name} ({ROLE[p.role][language]}): "
            + ", ".join(PURPOSE_NAMES.get(x, {}).get(language, x) for x in p.purposes) for p in partners]


def sections(config: RegisterConfig, *, language: str, policy: dict[str, Rule], partners: list[Partner],
             base_url: str, privacy_email: str | None) -> list[Section]:
    c, lang = config.controller, language
    contact = [config.contact_person[lang], *(x for x in (config.contact_phone, privacy_email) if x),
               f"{c['name']}, {c['address']}"]
    urls = {"requests": f"{base_url}/privacy?lang={lang}", "notice": f"{base_url}/public/privacy-notice",
            "versions": f"{base_url}/public/privacy-notice/versions"}
    blocks: list[list[Block]] = [
        [f"{c['name']}, {c['address']}. {BUSINESS_ID[lang]} {c['business_id']}. {c['website']}"],
        [", ".join(contact)],
        [config.register_name[lang]],
        [TEXT["purposes"][lang], [PURPOSES[p][lang] for p in config.purposes],
         TEXT["bases"][lang], [LEGAL_BASIS[b][lang] for b in config.legal_bases]],
        [config.data_subjects[lang], [item[lang] for item in config.data_categories]],
        [[SOURCES[s][lang] for s in config.sources]],
        [TEXT["retention_intro"][lang], notice_lines(policy, lang), TEXT["marketing_objectors"][lang]],
        [*([TEXT["partners"][lang], partner_lines(partners, lang)] if partners else [TEXT["no_partners"][lang]]),
         config.authorities[lang], config.third_countries[lang]],
        [[item[lang] for item in config.security], config.processors[lang]],
        [TEXT["rights"][lang], TEXT["how"][lang].format(**urls)],
        [config.automated_decisions[lang]],
        [TEXT["updates"][lang].format(**urls)],
    ]
    return [(f"{i}. {title}", body) for i, (title, body) in enumerate(zip(HEADINGS[lang], blocks, strict=True), 1)]


def to_markdown(doc: list[Section], *, title: str, subtitle: str) -> str:
    out = [f"# {title}", "", f"_{subtitle}_", ""]
    for heading, blocks in doc:
        out += [f"## {heading}", ""]
        for block in blocks:
            out += ([f"- {item}" for item in block] if isinstance(block, list) else [block]) + [""]
    return "\n".join(out)


def to_html(doc: list[Section], *, title: str, subtitle: str, language: str) -> str:
    e = html.escape
    parts = [f'<!doctype html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title></head>\n'
             f"<body>\n<h1>{e(title)}</h1>\n<p><em>{e(subtitle)}</em></p>"]
    for heading, blocks in doc:
        parts.append(f"<h2>{e(heading)}</h2>")
        for block in blocks:
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in block) + "</ul>" if isinstance(block, list)
                         else f"<p>{e(block)}</p>")
    return "\n".join(parts) + "\n</body>\n</html>\n"


def render(config: RegisterConfig, *, language: str, version: int, published: date, **sources: Any) -> tuple[str, str]:
    """(Markdown, HTML) of the notice in one language."""
    doc = sections(config, language=language, **sources)
    title = f"{TITLE[language]}: {config.register_name[language]}"
    subtitle = f"{VERSION[language].format(version=version, date=published.isoformat())}. {LAW[language]}"
    return to_markdown(doc, title=title, subtitle=subtitle), to_html(doc, title=title, subtitle=subtitle,
                                                                      language=language)


def records_of_processing(config: RegisterConfig, *, language: str, policy: dict[str, Rule],
                          partners: list[Partner], privacy_email: str | None) -> dict[str, Any]:
    """The controller's record of processing activities (GDPR Art. 30(1)), as data."""
    recipients = [{"name": p.name, "role": p.role.value, "purposes": list(p.purposes), "fields": list(p.fields),
                   "agreement": p.agreement_reference, "agreement_expires_on": p.agreement_expires_on,
                   "active": p.active} for p in partners]
    return {
        "controller": config.controller, "contact": {"person": config.contact_person[language],
                                                     "phone": config.contact_phone, "email": privacy_email},
        "register": config.register_name[language],
        "purposes": [PURPOSES[p][language] for p in config.purposes],
        "legal_bases": [LEGAL_BASIS[b][language] for b in config.legal_bases],
        "data_subjects": config.data_subjects[language],
        "data_categories": [item[language] for item in config.data_categories],
        "sources": [SOURCES[s][language] for s in config.sources],
        "recipients": [r for r in recipients if r["role"] == "recipient"],
        "processors": [r for r in recipients if r["role"] == "processor"],
        "authorities": config.authorities[language],
        "third_countries": config.third_countries[language],
        "retention": [{**rule.public(), "text": line} for rule, line in zip(
            notice_rules(policy), notice_lines(policy, language), strict=True)],
        "security": [item[language] for item in config.security],
    }


def records_markdown(record: dict[str, Any]) -> str:
    """The record as a readable document."""
    out = ["# Records of processing activities (GDPR Art. 30)", ""]
    for key, value in record.items():
        out += [f"## {key.replace('_', ' ').capitalize()}", ""]
        if isinstance(value, dict):
            out += [f"- {k}: {v}" for k, v in value.items() if v is not None]
        elif isinstance(value, list):
            out += [f"- {', '.join(f'{k}: {v}' for k, v in item.items())}" if isinstance(item, dict) else f"- {item}"
                    for item in value] or ["- none"]
        else:
            out.append(str(value))
        out.append("")
    return "\n".join(out)
