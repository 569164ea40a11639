"""One campaign message for one person: the template in their language (with a fallback), the
sender with a postal address, a visible free opt-out link, the Art. 14 notice when their data
came from a third party, and the bulk-mail headers (List-Id, RFC 2919; List-Unsubscribe and
List-Unsubscribe-Post, RFC 2369 / RFC 8058). The HTML part is a whole document in the message's
language (`<html lang>`), as filters and screen readers expect.

DKIM: the notifier signs the final bytes (these headers included: List-Id, List-Unsubscribe and
List-Unsubscribe-Post are among the signed ones, as RFC 8058 asks) when a key is configured;
see services/notifier/signing.py.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any

from shared.campaigns.unsubscribe import sign_token
from shared.i18n import format_date, label, t
from shared.subject_requests.tracking import centre_url
from shared.models import EmailCategory, Language, SourceKind
from shared.models.campaigns import Campaign
from shared.settings import get_settings

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
FIELDS = frozenset({"first_name", "last_name", "full_name", "company"})
THIRD_PARTY_SOURCES = frozenset({SourceKind.sister_company, SourceKind.stakeholder,
                                 SourceKind.directory_service, SourceKind.public_register})

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


def list_id_header(campaign: Campaign, list_id: int | None) -> str:
    """RFC 2919: the mailing list the message goes out for (the campaign when there is none),
    under the sender's domain; ASCII, so that it is written as it is."""
    label = f"list-{list_id}" if list_id else f"campaign-{campaign.id or 0}"
    return f"<{label}.{campaign.sender_email.rpartition('@')[2].lower()}>"


def html_document(*, lang: str, title: str, body: str) -> str:
    """A whole HTML document around `body` (already escaped), in language `lang`."""
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


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
    """Art. 14: where the data came from, the label standing as a noun ("Lähde: hakemistopalvelu")."""
    source = person.source_provider or label("source", person.source, lang)
    received = t("mail.campaign.source_received", lang, day=format_date(person.source_received, lang)) \
        if person.source_received else ""
    return t("mail.campaign.source_notice", lang, controller=controller_name(), source=source, received=received)


def _footer(campaign: Campaign, lang: str) -> list[str]:
    sender = t("mail.campaign.sender", lang)
    lines = [f"{sender}: {campaign.sender_name}, {campaign.sender_postal_address}, {campaign.sender_email}"]
    if campaign.category == EmailCategory.sister_marketing:
        lines.append(t("mail.campaign.on_behalf", lang, controller=controller_name()))
    return lines


def _values(person: Person) -> dict[str, str]:
    return {"first_name": person.first_name, "last_name": person.last_name,
            "full_name": f"{person.first_name} {person.last_name}".strip(), "company": person.company or ""}


def _subject(template: dict[str, Any], values: dict[str, str]) -> str:
    return " ".join(_fill(template["subject"], values).split())  # one line, whatever a name holds


def subject_line(campaign: Campaign, person: Person) -> str:
    """The subject render() gives the person (what the outbox row shows before the body exists)."""
    return _subject(campaign.templates[pick_language(campaign, person.language)], _values(person))


def render(campaign: Campaign, person: Person, *, list_id: int | None, source_notice: bool,
           test: bool = False, inert: bool = False) -> Rendered:
    """The message as the person will receive it. A test message (subject marked) and a
    preview (`inert`) get an opt-out link that does nothing, so staff cannot act for anyone."""
    lang = pick_language(campaign, person.language)
    template = campaign.templates[lang]
    values = _values(person)
    contact_id = 0 if test or inert else person.contact_id
    token = sign_token(campaign_id=campaign.id, contact_id=contact_id, list_id=list_id or 0)
    url = centre_url(f"/privacy/preferences/{token}", lang=lang)  # the preference page; the header keeps one-click
    scope = "research" if campaign.category == EmailCategory.research else "marketing"
    notice = _source_notice(person, lang) if source_notice else None
    footer = _footer(campaign, lang)

    text = [_fill(template["body_text"], values), "", "--"]
    if notice:
        text += [notice, url, ""]
    opt_out = t(f"mail.campaign.opt_out.{scope}", lang)
    text += [*footer, "", opt_out, url]
    subject = _subject(template, values)
    subject = (TEST_PREFIX + subject) if test else subject
    body_html = None
    if template.get("body_html"):
        parts = [_fill(template["body_html"], values, escape=True), "<hr>"]
        link = f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
        if notice:
            parts.append(f"<p>{'<br>'.join(html.escape(line) for line in notice.splitlines())} {link}</p>")
        parts += [f"<p>{'<br>'.join(html.escape(line) for line in footer)}</p>",
                  f"<p>{html.escape(opt_out)} {link}</p>"]
        body_html = html_document(lang=lang, title=subject, body="\n".join(parts))

    headers = {
        "List-Id": list_id_header(campaign, list_id),
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Precedence": "bulk",
    }
    if campaign.reply_to:
        headers["Reply-To"] = campaign.reply_to
    return Rendered(language=lang, from_address=from_address(campaign), subject=subject,
                    body_text="\n".join(text), body_html=body_html, headers=headers)
