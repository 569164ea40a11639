"""The readable answer to an access request: one self-contained HTML page in fi / sv / en, made
from the same document as data.json. Every value is escaped; no scripts, no external assets."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from enum import Enum
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from shared.subject_requests.notice import CONTROLLER, PURPOSES, SOURCES

HELSINKI = ZoneInfo("Europe/Helsinki")
LANGS = ("fi", "sv", "en")
WEB_EVENTS_SHOWN = 200

UI: dict[str, tuple[str, str, str]] = {
    "title": ("Vastaus tietojen tarkastuspyyntöön", "Svar på begäran om registerutdrag",
              "Answer to your request for access"),
    "intro": ("Tässä ovat kaikki tiedot, jotka {controller} asiakas- ja markkinointirekisterissä on sinusta, "
              "sekä miksi ja mistä ne on saatu ja kuinka kauan niitä säilytetään. Samat tiedot ovat koneluettavassa "
              "muodossa tiedostossa data.json. Ajat ovat Suomen aikaa.",
              "Här finns alla uppgifter om dig som {controller} har i sitt kund- och marknadsföringsregister, "
              "varför och varifrån de har fåtts och hur länge de sparas. Samma uppgifter finns i maskinläsbar form "
              "i filen data.json. Tiderna anges i finsk tid.",
              "These are all the data about you that {controller} holds in its customer and marketing register, "
              "why and from where we have them and how long we keep them. The same data is in machine-readable "
              "form in the file data.json. Times are Finnish time."),
    "generated": ("Laadittu", "Upprättat", "Prepared"),
    "request": ("Pyyntö vastaanotettu", "Begäran mottagen", "Request received"),
    "purposes": ("Käyttötarkoitukset", "Ändamål", "Purposes"),
    "legal_basis": ("Käsittelyperuste", "Rättslig grund", "Legal basis"),
    "source": ("Tietolähde", "Källa", "Source"),
    "retention": ("Säilytysaika", "Lagringstid", "Retention period"),
    "none": ("Ei tietoja.", "Inga uppgifter.", "None."),
    "rights": ("Oikeutesi", "Dina rättigheter", "Your rights"),
    "controller": ("Rekisterinpitäjä", "Personuppgiftsansvarig", "Controller"),
    "business_id": ("Y-tunnus", "FO-nummer", "Business ID"),
    "yes": ("kyllä", "ja", "yes"), "no": ("ei", "nej", "no"),
    "events_total": ("Tapahtumia yhteensä: {n}. Alla yhteenveto sivustoittain ja kuukausittain sekä {shown} uusinta; "
                     "kaikki ovat tiedostossa data.json.",
                     "Totalt {n} händelser. Nedan en sammanställning per webbplats och månad samt de {shown} senaste; "
                     "alla finns i filen data.json.",
                     "{n} events in all. Below, a summary per site and month and the latest {shown}; all of them are "
                     "in the file data.json."),
}
SECTIONS: dict[str, tuple[str, str, str]] = {
    "contact": ("Yhteystietosi", "Dina kontaktuppgifter", "Your contact data"),
    "company": ("Yritys", "Företaget", "Company"),
    "consents": ("Suostumukset", "Samtycken", "Consents"),
    "objections": ("Vastustukset (suoramarkkinointi, tutkimus)", "Invändningar (direktmarknadsföring, undersökningar)",
                   "Objections (direct marketing, research)"),
    "restriction": ("Käsittelyn rajoitus", "Begränsning av behandling", "Restriction of processing"),
    "subscriptions": ("Postituslistat", "Utskickslistor", "Mailing lists"),
    "interactions": ("Yhteydenpito ja asiointi", "Kontakter och ärenden", "Interactions"),
    "web_events": ("Käynnit verkkosivustoillamme", "Besök på våra webbplatser", "Visits to our websites"),
    "feedback": ("Palautteet", "Respons", "Feedback"),
    "change_history": ("Tietojen muutoshistoria", "Ändringshistorik", "Change history"),
    "access_log": ("Kuka tietojasi on katsonut", "Vem har läst dina uppgifter", "Who has read your data"),
    "disclosures": ("Luovutukset kumppaneille ja viranomaisille", "Utlämnanden till partner och myndigheter",
                    "Disclosures to partners and authorities"),
    "emails": ("Sinulle lähetetyt viestit", "Meddelanden till dig", "Messages sent to you"),
    "subject_requests": ("Aiemmat pyyntösi", "Dina tidigare begäranden", "Your earlier requests"),
    "suppression": ("Markkinoinnin estolista", "Spärrlista för marknadsföring", "Marketing suppression list"),
    "import_files": ("Käsittelemättömät tuontitiedostot", "Obehandlade importfiler", "Import files not yet processed"),
}
FIELDS: dict[str, tuple[str, str, str]] = {
    "id": ("Tunniste", "Id", "Id"), "first_name": ("Etunimi", "Förnamn", "First name"),
    "last_name": ("Sukunimi", "Efternamn", "Last name"), "position": ("Asema", "Befattning", "Position"),
    "email": ("Sähköposti", "E-post", "Email"), "phone": ("Puhelin", "Telefon", "Phone"),
    "language": ("Kieli", "Språk", "Language"),
    "last_activity_at": ("Viimeisin yhteydenpito", "Senaste kontakt", "Last interaction"),
    "created_at": ("Luotu", "Skapad", "Created"), "updated_at": ("Muutettu", "Ändrad", "Updated"),
    "name": ("Nimi", "Namn", "Name"), "business_id": ("Y-tunnus", "FO-nummer", "Business ID"),
    "status": ("Tila", "Status", "Status"), "owner": ("Asiakkuuden omistaja", "Kundansvarigt bolag", "Owner"),
    "street_address": ("Katuosoite", "Gatuadress", "Street address"),
    "postal_code": ("Postinumero", "Postnummer", "Postal code"), "city": ("Kaupunki", "Ort", "City"),
    "country": ("Maa", "Land", "Country"), "website": ("Verkkosivut", "Webbplats", "Website"),
    "sole_trader": ("Toiminimi", "Enskild näringsidkare", "Sole trader"),
    "relationship_ended_at": ("Asiakkuus päättyi", "Kundförhållandet upphörde", "Relationship ended"),
    "source_provider": ("Tiedon toimittaja", "Leverantör av uppgiften", "Provided by"),
    "source_received": ("Tieto saatu", "Uppgiften mottagen", "Received on"),
    "purpose": ("Tarkoitus", "Ändamål", "Purpose"), "granted_at": ("Annettu", "Givet", "Given"),
    "channel": ("Kanava", "Kanal", "Channel"), "evidence": ("Todiste", "Bevis", "Evidence"),
    "withdrawn_at": ("Peruttu", "Återkallat", "Withdrawn"),
    "direct_marketing": ("Suoramarkkinointi", "Direktmarknadsföring", "Direct marketing"),
    "research": ("Markkina- ja mielipidetutkimus", "Marknads- och opinionsundersökningar", "Market and opinion research"),
    "since": ("Alkaen", "Sedan", "Since"), "reason": ("Syy", "Orsak", "Reason"), "list": ("Lista", "Lista", "List"),
    "description": ("Kuvaus", "Beskrivning", "Description"), "list_owner": ("Listan omistaja", "Listans ägare", "List owner"),
    "source": ("Lähde", "Källa", "Source"), "subscribed_at": ("Liitetty", "Tillagd", "Subscribed"),
    "confirmed_at": ("Vahvistettu", "Bekräftad", "Confirmed"),
    "unsubscribed_at": ("Poistettu listalta", "Avregistrerad", "Unsubscribed"), "kind": ("Laji", "Typ", "Kind"),
    "occurred_at": ("Aika", "Tidpunkt", "When"), "product": ("Tuote tai palvelu", "Produkt eller tjänst", "Product"),
    "summary": ("Yhteenveto", "Sammanfattning", "Summary"), "notes": ("Muistiinpanot", "Anteckningar", "Notes"),
    "by_role": ("Kirjaaja (rooli)", "Registrerad av (roll)", "Recorded by (role)"),
    "received_at": ("Vastaanotettu", "Mottagen", "Received"), "rating": ("Arvio", "Betyg", "Rating"),
    "text": ("Teksti", "Text", "Text"), "handled_at": ("Käsitelty", "Behandlad", "Handled"),
    "resolution": ("Ratkaisu", "Åtgärd", "Resolution"),
    "handled_by_role": ("Käsittelijä (rooli)", "Behandlare (roll)", "Handled by (role)"),
    "site": ("Sivusto", "Webbplats", "Site"), "page": ("Sivu", "Sida", "Page"),
    "referrer": ("Edellinen sivu", "Föregående sida", "Referrer"),
    "visitor_id": ("Vierailijatunniste", "Besökar-id", "Visitor id"),
    "linked_at": ("Yhdistetty", "Kopplad", "Linked"), "at": ("Aika", "Tidpunkt", "When"),
    "entity": ("Tieto", "Uppgift", "Record"), "action": ("Toimenpide", "Åtgärd", "Action"),
    "field": ("Kenttä", "Fält", "Field"), "old_value": ("Vanha arvo", "Gammalt värde", "Old value"),
    "new_value": ("Uusi arvo", "Nytt värde", "New value"), "actor": ("Tekijä", "Utförd av", "By"),
    "role": ("Rooli", "Roll", "Role"), "month": ("Kuukausi", "Månad", "Month"), "route": ("Näkymä", "Vy", "Route"),
    "count": ("Kertaa", "Gånger", "Times"), "first_at": ("Ensimmäinen", "Första", "First"),
    "last_at": ("Viimeisin", "Senaste", "Last"), "recipient": ("Vastaanottaja", "Mottagare", "Recipient"),
    "recipient_kind": ("Vastaanottajan laji", "Typ av mottagare", "Recipient kind"),
    "legal_ground": ("Lainkohta", "Lagrum", "Legal ground"), "fields": ("Tiedot", "Uppgifter", "Data"),
    "objection_scope": ("Vastustuksen laajuus", "Invändningens omfattning", "Objection scope"),
    "verified_at": ("Vahvistettu", "Verifierad", "Verified"), "completed_at": ("Valmis", "Klar", "Completed"),
    "outcome": ("Lopputulos", "Resultat", "Outcome"), "sent_at": ("Lähetetty", "Skickat", "Sent"),
    "subject": ("Aihe", "Ämne", "Subject"), "category": ("Luokka", "Kategori", "Category"),
    "visitor_ids": ("Vierailijatunnisteet", "Besökar-id", "Visitor ids"), "events": ("Tapahtumat", "Händelser", "Events"),
}
_WHO = "{name}, {address} ({id_label} {business_id})"
README: dict[str, str] = {
    "fi": "Vastaus tietojen tarkastuspyyntöösi – " + _WHO.format(**CONTROLLER, id_label="Y-tunnus") + "\n\n"
          "answer.html  Luettava vastaus: sinua koskevat tiedot, käyttötarkoitukset, käsittelyperusteet, tietolähteet, "
          "säilytysajat ja oikeutesi. Avaa se selaimella.\n"
          "data.json    Samat tiedot koneluettavassa JSON-muodossa (UTF-8, ajat ISO 8601 -muodossa, UTC).\n",
    "sv": "Svar på din begäran om registerutdrag – " + _WHO.format(**CONTROLLER, id_label="FO-nummer") + "\n\n"
          "answer.html  Läsbart svar: uppgifterna om dig, ändamål, rättslig grund, källor, lagringstider och dina "
          "rättigheter. Öppna filen i en webbläsare.\n"
          "data.json    Samma uppgifter i maskinläsbart JSON-format (UTF-8, tider i ISO 8601, UTC).\n",
    "en": "Answer to your request for access – " + _WHO.format(**CONTROLLER, id_label="business ID") + "\n\n"
          "answer.html  The readable answer: the data about you, purposes, legal bases, sources, retention periods "
          "and your rights. Open it in a web browser.\n"
          "data.json    The same data in machine-readable JSON (UTF-8, times in ISO 8601, UTC).\n",
}
STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;"
         "text-align:left;vertical-align:top}dl.notice{background:#f4f4f4;padding:.5em 1em}dt{font-weight:bold}")


def _t(table: dict[str, tuple[str, str, str]], key: str, language: str) -> str:
    return table[key][LANGS.index(language)] if key in table else key


CODED = {"source": SOURCES, "purpose": PURPOSES}  # fields whose codes have readable labels


def _value(value: Any, language: str, key: str | None = None) -> str:
    """A value as the reader sees it, escaped."""
    if value is None or value == "":
        return "–"
    if key in CODED and str(getattr(value, "value", value)) in CODED[key]:
        return escape(CODED[key][str(getattr(value, "value", value))][language])
    if isinstance(value, bool):
        return escape(_t(UI, "yes" if value else "no", language))
    if isinstance(value, datetime):
        return escape(value.astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, date):
        return escape(value.isoformat())
    if isinstance(value, Enum):
        return escape(str(value.value))
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v.value if isinstance(v, Enum) else v) for v in value))
    if isinstance(value, dict):
        return _pairs(value, language)
    return escape(str(value))


def _pairs(record: dict[str, Any], language: str) -> str:
    rows = "".join(f"<tr><th>{escape(_t(FIELDS, k, language))}</th><td>{_value(v, language, k)}</td></tr>"
                   for k, v in record.items() if k != "provenance")
    return f"<table>{rows}</table>"


def _table(items: list[dict[str, Any]], language: str) -> str:
    if not items:
        return f"<p>{escape(_t(UI, 'none', language))}</p>"
    keys = list(items[0])
    head = "".join(f"<th>{escape(_t(FIELDS, k, language))}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{_value(item.get(k), language, k)}</td>" for k in keys) + "</tr>"
                   for item in items)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _web_events(content: dict[str, Any], language: str) -> str:
    events = content.get("events", [])
    per_month = Counter((e["site"], e["occurred_at"].astimezone(HELSINKI).strftime("%Y-%m")) for e in events)
    summary = [{"site": site, "month": month, "count": n} for (site, month), n in sorted(per_month.items())]
    text = _t(UI, "events_total", language).format(n=len(events), shown=min(len(events), WEB_EVENTS_SHOWN))
    return (_table(content.get("visitor_ids", []), language) + f"<p>{escape(text)}</p>"
            + _table(summary, language) + _table(events[:WEB_EVENTS_SHOWN], language))


def _content(category: str, content: Any, language: str) -> str:
    if category == "web_events":
        return _web_events(content, language)
    if isinstance(content, list):
        return _table(content, language)
    if isinstance(content, dict):
        provenance = content.get("provenance") or {}
        extra = {k: provenance.get(k) for k in ("source_provider", "source_received") if provenance}
        return _pairs({**content, **extra}, language)
    return f"<p>{_value(content, language)}</p>"


def _section(category: str, section: dict[str, Any], language: str) -> str:
    notice = (f"<dt>{escape(_t(UI, 'purposes', language))}</dt><dd>{escape('; '.join(section['purposes']))}</dd>"
              f"<dt>{escape(_t(UI, 'legal_basis', language))}</dt><dd>{_value(section['legal_basis'], language)}</dd>"
              f"<dt>{escape(_t(UI, 'source', language))}</dt><dd>{_value(section['source'], language)}</dd>"
              f"<dt>{escape(_t(UI, 'retention', language))}</dt><dd>{_value(section['retention'], language)}</dd>")
    return (f'<section id="{escape(category)}"><h2>{escape(_t(SECTIONS, category, language))}</h2>'
            f'<dl class="notice">{notice}</dl>{_content(category, section["data"], language)}</section>')


def render_answer(document: dict[str, Any], *, language: str) -> str:
    """The whole answer page, from the answer document (see access_export.answer_document)."""
    controller = document["controller"]
    name = escape(controller["name"])
    sections = "".join(_section(c, s, language) for c, s in document["sections"].items())
    rights = "".join(f"<li>{escape(r)}</li>" for r in document["rights"])
    request = document["request"]
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
        f"<title>{escape(_t(UI, 'title', language))}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(_t(UI, 'title', language))}</h1>"
        f"<p>{escape(_t(UI, 'intro', language).format(controller=controller['name']))}</p>"
        f"<p>{escape(_t(UI, 'generated', language))}: {_value(document['generated_at'], language)}. "
        f"{escape(_t(UI, 'request', language))}: {_value(request['received_at'], language)}.</p>"
        f"{sections}<section id=\"rights\"><h2>{escape(_t(UI, 'rights', language))}</h2><ul>{rights}</ul>"
        f"<p>{escape(document['contact'])}</p></section>"
        f"<footer><h2>{escape(_t(UI, 'controller', language))}</h2><p>{name}, {escape(controller['address'])}. "
        f"{escape(_t(UI, 'business_id', language))} {escape(controller['business_id'])}</p></footer>"
        "</body></html>"
    )
