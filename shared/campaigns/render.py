"""One campaign message for one person: the template in their language (with a fallback), the
sender with a postal address, a visible free opt-out link, the Art. 14 notice when their data
came from a third party, and the bulk-mail headers (RFC 2369 / RFC 8058).

DKIM: the notifier signs the final bytes (these headers included: List-Unsubscribe and
List-Unsubscribe-Post are among the signed ones, as RFC 8058 asks) when a key is configured;
see services/notifier/compose.py.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from email.headerregistry import Address
from email.utils import parseaddr

from shared.campaigns.unsubscribe import sign_token
from shared.subject_requests.tracking import centre_url
from shared.models import EmailCategory, Language, SourceKind
from shared.models.campaigns import Campaign
from shared.settings import get_settings

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
FIELDS = frozenset({"first_name", "last_name", "full_name", "company"})
THIRD_PARTY_SOURCES = frozenset({SourceKind.sister_company, SourceKind.stakeholder,
                                 SourceKind.directory_service, SourceKind.public_register})

OPT_OUT = {
    "marketing": {
        "fi": "Etkö halua enää markkinointiviestejämme? Kiellä ne maksutta yhdellä napsautuksella:",
        "sv": "Vill du inte längre få vår marknadsföring? Avsluta den kostnadsfritt med ett klick:",
        "en": "Don't want our marketing any more? Opt out free of charge with one click:",
    },
    "research": {
        "fi": "Etkö halua osallistua markkina- ja mielipidetutkimuksiin? Kiellä ne maksutta yhdellä napsautuksella:",
        "sv": "Vill du inte delta i marknads- och opinionsundersökningar? Avsluta kostnadsfritt med ett klick:",
        "en": "Don't want to take part in market and opinion research? Opt out free of charge with one click:",
    },
}
SENDER = {"fi": "Lähettäjä", "sv": "Avsändare", "en": "Sender"}
ON_BEHALF = {
    "fi": "Viesti lähetetään {controller}:n asiakas- ja markkinointirekisteristä.",
    "sv": "Meddelandet skickas från {controller}s kund- och marknadsföringsregister.",
    "en": "This message is sent from the customer and marketing register of {controller}.",
}
SOURCE_NOTICE = {
    "fi": "Saimme yhteystietosi {controller}:n rekisteriin lähteestä {source}{received}. Sinulla on oikeus "
          "milloin tahansa kieltää tietojesi käsittely suoramarkkinointia sekä markkina- ja "
          "mielipidetutkimuksia varten; kielto on maksuton:",
    "sv": "Vi fick dina kontaktuppgifter till {controller}s register från {source}{received}. Du har rätt att "
          "när som helst förbjuda behandling av dina uppgifter för direktmarknadsföring samt marknads- "
          "och opinionsundersökningar, kostnadsfritt:",
    "en": "Your contact details came to the register of {controller} from {source}{received}. You have the "
          "right to object at any time, free of charge, to the use of your data for direct marketing and "
          "for market and opinion research:",
}
SOURCE_LABEL = {
    SourceKind.sister_company: {"fi": "sisaryhtiöltämme", "sv": "vårt systerbolag", "en": "our sister company"},
    SourceKind.stakeholder: {"fi": "sidosryhmältämme", "sv": "en intressent", "en": "a stakeholder"},
    SourceKind.directory_service: {"fi": "hakemistopalvelusta", "sv": "en katalogtjänst", "en": "a directory service"},
    SourceKind.public_register: {"fi": "julkisesta rekisteristä", "sv": "ett offentligt register",
                                 "en": "a public register"},
}
RECEIVED = {"fi": " ({day})", "sv": " ({day})", "en": " ({day})"}
TEST_PREFIX = "[TESTI / TEST] "


@dataclass(frozen=True)
class Person:
    """What a message may say about its recipient (and nothing else)."""

    contact_id: int
    email: str
    first_name: str
    last_name: str
    company: str | None = None
    language: str = Language.fi.value
    source: str = SourceKind.data_subject.value
    source_provider: str | None = None
    source_received: date | None = None


SAMPLE_PERSON = Person(contact_id=0, email="testi@example.invalid", first_name="Maija",
                       last_name="Meikäläinen", company="Esimerkki Oy")


@dataclass(frozen=True)
class Rendered:
    language: str
    from_address: str
    subject: str
    body_text: str
    body_html: str | None
    headers: dict[str, str] = field(default_factory=dict)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _fill(template: str, values: dict[str, str], *, escape: bool = False) -> str:
    def value(match: re.Match) -> str:
        found = values.get(match.group(1), match.group(0))
        return html.escape(found) if escape else found
    return PLACEHOLDER.sub(value, template)


def controller_name() -> str:
    name, address = parseaddr(get_settings().mail_from)
    return name or address


def from_address(campaign: Campaign) -> str:
    return str(Address(display_name=campaign.sender_name, addr_spec=campaign.sender_email))


def unsubscribe_url(token: str) -> str:
    """Exactly one URL, on the public base (https in production)."""
    return f"{get_settings().public_base_url.rstrip('/')}/public/unsubscribe/{token}"


def message_id(campaign: Campaign) -> str:
    return f"<{uuid.uuid4().hex}@{campaign.sender_email.rpartition('@')[2]}>"


def pick_language(campaign: Campaign, language: str | None) -> str:
    """The person's language if the campaign has it, else the campaign's fallback."""
    if language and language in campaign.templates:
        return language
    return Language(campaign.fallback_language).value


def needs_source_notice(person: Person) -> bool:
    return SourceKind(person.source) in THIRD_PARTY_SOURCES


def _source_notice(person: Person, lang: str) -> str:
    kind = SourceKind(person.source)
    source = person.source_provider or SOURCE_LABEL[kind][lang]
    received = RECEIVED[lang].format(day=person.source_received.isoformat()) if person.source_received else ""
    return SOURCE_NOTICE[lang].format(controller=controller_name(), source=source, received=received)


def _footer(campaign: Campaign, lang: str) -> list[str]:
    lines = [f"{SENDER[lang]}: {campaign.sender_name}, {campaign.sender_postal_address}, {campaign.sender_email}"]
    if campaign.category == EmailCategory.sister_marketing:
        lines.append(ON_BEHALF[lang].format(controller=controller_name()))
    return lines


def render(campaign: Campaign, person: Person, *, list_id: int | None, source_notice: bool,
           test: bool = False, inert: bool = False) -> Rendered:
    """The message as the person will receive it. A test message (subject marked) and a
    preview (`inert`) get an opt-out link that does nothing, so staff cannot act for anyone."""
    lang = pick_language(campaign, person.language)
    template = campaign.templates[lang]
    values = {"first_name": person.first_name, "last_name": person.last_name,
              "full_name": f"{person.first_name} {person.last_name}".strip(), "company": person.company or ""}
    contact_id = 0 if test or inert else person.contact_id
    token = sign_token(campaign_id=campaign.id, contact_id=contact_id, list_id=list_id or 0)
    url = centre_url(f"/privacy/preferences/{token}", lang=lang)  # the preference page; the header keeps one-click
    scope = "research" if campaign.category == EmailCategory.research else "marketing"
    notice = _source_notice(person, lang) if source_notice else None
    footer = _footer(campaign, lang)

    text = [_fill(template["body_text"], values), "", "--"]
    if notice:
        text += [notice, url, ""]
    text += [*footer, "", OPT_OUT[scope][lang], url]
    body_html = None
    if template.get("body_html"):
        parts = [_fill(template["body_html"], values, escape=True), "<hr>"]
        link = f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
        if notice:
            parts.append(f"<p>{html.escape(notice)} {link}</p>")
        parts += [f"<p>{'<br>'.join(html.escape(line) for line in footer)}</p>",
                  f"<p>{html.escape(OPT_OUT[scope][lang])} {link}</p>"]
        body_html = "\n".join(parts)

    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Precedence": "bulk",
    }
    if campaign.reply_to:
        headers["Reply-To"] = campaign.reply_to
    subject = " ".join(_fill(template["subject"], values).split())  # one line, whatever a name holds
    return Rendered(language=lang, from_address=from_address(campaign),
                    subject=(TEST_PREFIX + subject) if test else subject,
                    body_text="\n".join(text), body_html=body_html, headers=headers)
