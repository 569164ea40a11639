"""The privacy notice (GDPR Art. 13–14) and the records of processing (Art. 30), built from the
register's configuration, the retention policy and the partner registry; Markdown and HTML."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from shared.i18n import format_date, has_label, label, t
from shared.i18n.notice import HEADINGS, RIGHTS
from shared.models.partners import Partner
from shared.notice.config import RegisterConfig
from shared.retention.policy import Rule
from shared.retention.texts import notice_lines, notice_rules

Block = str | list[str]  # a paragraph, or a bulleted list
Section = tuple[str, list[Block]]

def partner_lines(partners: list[Partner], language: str) -> list[str]:
    return [f"{p.name} ({label('partner_role', p.role, language)}): "
            + ", ".join(partner_purpose(x, language) for x in p.purposes) for p in partners]


def partner_purpose(purpose: str, language: str) -> str:
    """A partner's purpose by its label; one the table does not know, as the partner registry names it."""
    return label("partner_purpose", purpose, language) if has_label("partner_purpose", purpose) else purpose


def sections(config: RegisterConfig, *, language: str, policy: dict[str, Rule], partners: list[Partner],
             base_url: str, privacy_email: str | None) -> list[Section]:
    c, lang = config.controller, language
    contact = [config.contact_person[lang], *(x for x in (config.contact_phone, privacy_email) if x),
               f"{c['name']}, {c['address']}"]
    urls = {"requests": f"{base_url}/privacy?lang={lang}", "notice": f"{base_url}/public/privacy-notice",
            "versions": f"{base_url}/public/privacy-notice/versions"}
    blocks: list[list[Block]] = [
        [f"{c['name']}, {c['address']}. {t('notice.business_id', lang)} {c['business_id']}. {c['website']}"],
        [", ".join(contact)],
        [config.register_name[lang]],
        [t("notice.purposes", lang), [label("purpose", p, lang, capital=True) for p in config.purposes],
         t("notice.bases", lang), [label("legal_basis", b, lang, capital=True) for b in config.legal_bases]],
        [config.data_subjects[lang], [item[lang] for item in config.data_categories]],
        [[label("source", s, lang, capital=True) for s in config.sources]],
        [t("notice.retention_intro", lang), notice_lines(policy, lang), t("notice.marketing_objectors", lang)],
        [*([t("notice.partners", lang), partner_lines(partners, lang)] if partners else [t("notice.no_partners", lang)]),
         config.authorities[lang], config.third_countries[lang]],
        [[item[lang] for item in config.security], config.processors[lang]],
        [[t(f"notice.right.{key}", lang) for key in RIGHTS], t("notice.how", lang, **urls)],
        [config.automated_decisions[lang]],
        [t("notice.updates", lang, **urls)],
    ]
    titles = [t(f"notice.heading.{key}", lang) for key in HEADINGS]
    return [(f"{i}. {title}", body) for i, (title, body) in enumerate(zip(titles, blocks, strict=True), 1)]


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
    title = f"{t('notice.title', language)}: {config.register_name[language]}"
    version_line = t("notice.version", language, version=version, date=format_date(published, language))
    subtitle = f"{version_line}. {t('notice.law', language)}"
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
        "purposes": [label("purpose", p, language, capital=True) for p in config.purposes],
        "legal_bases": [label("legal_basis", b, language, capital=True) for b in config.legal_bases],
        "data_subjects": config.data_subjects[language],
        "data_categories": [item[language] for item in config.data_categories],
        "sources": [label("source", s, language, capital=True) for s in config.sources],
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
