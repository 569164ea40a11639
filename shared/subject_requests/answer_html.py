"""The readable answer to an access request: one self-contained HTML page in fi / sv / en, made
from the same document as data.json. Every value is escaped; no scripts, no external assets."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime
from enum import Enum
from html import escape
from typing import Any

from shared.i18n import HELSINKI, format_date, format_datetime, format_month, has_label, label, t

WEB_EVENTS_SHOWN = 200
STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;"
         "text-align:left;vertical-align:top}dl.notice{background:#f4f4f4;padding:.5em 1em}dt{font-weight:bold}")

# Which codes a value is, by its field (and, where the field means different things, by section).
KINDS = {"source": "source", "purpose": "purpose", "purposes": "purpose", "legal_basis": "legal_basis",
         "channel": "channel", "language": "language", "category": "email_category",
         "objection_scope": "objection_scope", "role": "role", "by_role": "role", "handled_by_role": "role",
         "actor": "actor", "entity": "entity", "action": "change_action", "field": "field", "fields": "field",
         "recipient_kind": "recipient_kind"}
SECTION_KINDS = {
    "company": {"status": "company_status"}, "subscriptions": {"status": "subscription_status"},
    "feedback": {"status": "feedback_status"}, "emails": {"status": "email_status"},
    "disclosures": {"status": "disclosure_status", "kind": "disclosure_kind", "purpose": "partner_purpose"},
    "subject_requests": {"status": "request_status", "kind": "request_kind"},
    "campaigns": {"status": "email_status"},
    "interactions": {"kind": "interaction_kind"}, "import_files": {"kind": "import_kind"},
    "suppression": {"reason": "suppression_reason"},
}
# A change-history value is a code of the kind its record and field hold.
HISTORY_KINDS = {("companies", "status"): "company_status", ("subscriptions", "status"): "subscription_status",
                 ("feedback", "status"): "feedback_status", ("interactions", "kind"): "interaction_kind"}
FIELD_KINDS = {"language": "language", "legal_basis": "legal_basis", "source": "source", "purposes": "purpose",
               "purpose": "purpose", "channel": "channel", "objects_direct_marketing_channel": "channel",
               "objects_research_channel": "channel"}


def _history_kind(row: dict[str, Any]) -> str | None:
    field = row.get("field") or ""
    if field.startswith("consent:"):
        return "consent_event"
    return HISTORY_KINDS.get((row.get("entity"), field)) or FIELD_KINDS.get(field)


OUTCOME = re.compile(r"^(objection recorded|processing restricted|access export ready|no data held|erased|rectified"
                     r"|rejected)(?::\s*(.*))?", re.DOTALL)


def readme(language: str, controller: dict[str, str]) -> str:
    """README.txt of the answer's zip."""
    return t("access_answer.readme", language, controller=controller["name"], address=controller["address"],
             business_id=controller["business_id"])


def code_labels(data: dict[str, Any], language: str) -> dict[str, dict[str, str]]:
    """The labels of every code in the person's data, by kind (`{"company_status": {"customer": "asiakas"}}`):
    data.json keeps the codes and carries these beside them."""
    found: dict[str, dict[str, str]] = {}

    def add(kind: str | None, value: Any) -> None:
        for code in value if isinstance(value, list | tuple) else [value]:
            code = getattr(code, "value", code)
            if kind and isinstance(code, str) and has_label(kind, code):
                found.setdefault(kind, {})[code] = label(kind, code, language)

    def walk(section: str, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(section, item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, dict | list) and key not in ("purposes", "fields"):
                    walk(section, item)
                elif key in ("old_value", "new_value"):
                    kind = _history_kind(value)
                    add(kind, json.loads(item) if kind and isinstance(item, str) and item.startswith("[") else item)
                else:
                    add(SECTION_KINDS.get(section, {}).get(key) or KINDS.get(key), item)

    for section, content in data.items():
        walk(section, content)
    return {kind: dict(sorted(codes.items())) for kind, codes in sorted(found.items())}


def _code(kind: str, code: Any, language: str) -> str:
    """The label of a code; a value that is no code of the kind (free text, a partner's purpose) as it is."""
    code = getattr(code, "value", code)
    return label(kind, code, language) if has_label(kind, code) else str(code)


def _timestamp(value: str) -> datetime | date | None:
    """An ISO date or date-time kept as text (change history), or None."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if "T" in value or " " in value else parsed.date()


def _history_value(value: Any, row: dict[str, Any], language: str) -> str:
    """An old or new value of a change: labelled by its record and field, dates in the reader's format."""
    if value is None or value == "":
        return "–"
    kind = _history_kind(row)
    if kind and str(value).startswith("["):
        try:
            return ", ".join(_code(kind, v, language) for v in json.loads(value))
        except ValueError:
            pass
    if kind:
        return _code(kind, value, language)
    if value in ("True", "False"):
        return t(f"access_answer.{'yes' if value == 'True' else 'no'}", language)
    stamp = _timestamp(str(value))
    if stamp is not None:
        return _plain(stamp, language)
    return str(value)


def _field_name(field: str, language: str) -> str:
    """A changed field's name; `consent:<purpose>` is the consent for that purpose."""
    name, _, purpose = field.partition(":")
    if name == "consent" and purpose:
        return f"{label('field', 'consent', language)}: {_code('purpose', purpose, language)}"
    return _code("field", field, language)


def _route(route: str, language: str) -> str:
    """A view of the register (`GET /v1/contacts/{id}`) as the kind of record it shows."""
    parts = [p for p in route.split(" ", 1)[-1].split("/") if p and p != "v1" and not p.startswith("{")]
    if parts and has_label("entity", parts[0]):
        return label("entity", parts[0], language, capital=True)
    return t("access_answer.register_view", language)


def _outcome(value: str, language: str) -> str:
    match = OUTCOME.match(value)
    if not match:
        return value
    text = t(f"access_answer.outcome.{match.group(1)}", language)
    detail = match.group(2)
    if match.group(1) == "objection recorded" and detail:
        return f"{text}: {_code('objection_scope', detail, language)}"
    if match.group(1) == "rectified" and detail:
        changed = detail.split(";")[0]
        names = [n.strip() for n in changed.split(",") if n.strip() and n.strip() != "nothing changed"]
        return f"{text}: {', '.join(_code('field', n, language) for n in names) or t('mail.nothing', language)}"
    if match.group(1) == "rejected" and detail:
        return f"{text}: {detail}"  # the officer's reason, as written to the person
    return text


def _reason(value: str, language: str) -> str:
    """Why: a subject request (ours) by its label; anything else was written by a person."""
    if value.startswith(("subject request", "subject-request:")):
        return t("access_answer.restriction_by_request" if value.startswith("subject request ")
                 else "access_answer.your_request", language)
    return value


def _plain(value: Any, language: str, key: str | None = None, kinds: dict[str, str] | None = None,
           row: dict[str, Any] | None = None) -> str:
    """A value as the reader sees it (not yet escaped)."""
    if value is None or value == "":
        return "–"
    kind = (kinds or {}).get(key or "") or KINDS.get(key or "")
    if key in ("old_value", "new_value"):
        return _history_value(value, row or {}, language)
    if key == "field":
        return _field_name(str(value), language)
    if key == "route":
        return _route(str(value), language)
    if key == "month" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        return format_month(int(value[:4]), int(value[5:]), language)
    if key == "outcome":
        return _outcome(str(value), language)
    if key == "reason" and kind is None:
        return _reason(str(value), language)
    if isinstance(value, bool):
        return t(f"access_answer.{'yes' if value else 'no'}", language)
    if isinstance(value, datetime):
        return format_datetime(value, language)
    if isinstance(value, date):
        return format_date(value, language)
    if isinstance(value, list | tuple):
        return ", ".join(_code(kind, v, language) if kind else _plain(v, language) for v in value)
    if kind:
        return _code(kind, value, language)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _value(value: Any, language: str, key: str | None = None, kinds: dict[str, str] | None = None,
           row: dict[str, Any] | None = None) -> str:
    """A value as the reader sees it, escaped."""
    if isinstance(value, dict):
        return _pairs(value, language, kinds)
    return escape(_plain(value, language, key, kinds, row))


def _heading(key: str, language: str) -> str:
    return escape(_code("field", key, language))


def _ui(key: str, language: str, **values: Any) -> str:
    return escape(t(f"access_answer.{key}", language, **values))


def _pairs(record: dict[str, Any], language: str, kinds: dict[str, str] | None = None) -> str:
    rows = "".join(f"<tr><th>{_heading(k, language)}</th><td>{_value(v, language, k, kinds, record)}</td></tr>"
                   for k, v in record.items() if k != "provenance")
    return f"<table>{rows}</table>"


def _table(items: list[dict[str, Any]], language: str, kinds: dict[str, str] | None = None) -> str:
    if not items:
        return f"<p>{_ui('none', language)}</p>"
    keys = list(items[0])
    head = "".join(f"<th>{_heading(k, language)}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{_value(item.get(k), language, k, kinds, item)}</td>" for k in keys)
                   + "</tr>" for item in items)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _web_events(content: dict[str, Any], language: str) -> str:
    events = content.get("events", [])
    per_month = Counter((e["site"], e["occurred_at"].astimezone(HELSINKI).strftime("%Y-%m")) for e in events)
    summary = [{"site": site, "month": month, "count": n} for (site, month), n in sorted(per_month.items())]
    text = _ui("events_total", language, n=len(events), shown=min(len(events), WEB_EVENTS_SHOWN))
    return (_table(content.get("visitor_ids", []), language) + f"<p>{text}</p>"
            + _table(summary, language) + _table(events[:WEB_EVENTS_SHOWN], language))


def _content(category: str, content: Any, language: str) -> str:
    kinds = SECTION_KINDS.get(category)
    if category == "web_events":
        return _web_events(content, language)
    if isinstance(content, list):
        return _table(content, language, kinds)
    if isinstance(content, dict):
        provenance = content.get("provenance") or {}
        extra = {k: provenance.get(k) for k in ("source_provider", "source_received") if provenance}
        return _pairs({**content, **extra}, language, kinds)
    return f"<p>{_value(content, language)}</p>"


def section_body(category: str, section: dict[str, Any], language: str) -> str:
    """A category's notice (purposes, legal basis, source, retention) and its data, as escaped HTML
    (the access answer's sections; the desk's person page shows the same under its own headings)."""
    notice = (f"<dt>{_ui('purposes', language)}</dt><dd>{escape('; '.join(section['purposes']))}</dd>"
              f"<dt>{_ui('legal_basis', language)}</dt><dd>{_value(section['legal_basis'], language)}</dd>"
              f"<dt>{_ui('source', language)}</dt><dd>{_value(section['source'], language)}</dd>"
              f"<dt>{_ui('retention', language)}</dt><dd>{_value(section['retention'], language)}</dd>")
    return f'<dl class="notice">{notice}</dl>{_content(category, section["data"], language)}'


def _section(category: str, section: dict[str, Any], language: str) -> str:
    return (f'<section id="{escape(category)}"><h2>{_ui(f"section.{category}", language)}</h2>'
            f'{section_body(category, section, language)}</section>')


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
        f"<title>{_ui('title', language)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{_ui('title', language)}</h1>"
        f"<p>{_ui('intro', language, controller=controller['name'])}</p>"
        f"<p>{_ui('generated', language)}: {_value(document['generated_at'], language)}. "
        f"{_ui('request', language)}: {_value(request['received_at'], language)}.</p>"
        f"{sections}<section id=\"rights\"><h2>{_ui('rights', language)}</h2><ul>{rights}</ul>"
        f"<p>{escape(document['contact'])}</p></section>"
        f"<footer><h2>{_ui('controller', language)}</h2><p>{name}, {escape(controller['address'])}. "
        f"{_ui('business_id', language)} {escape(controller['business_id'])}</p></footer>"
        "</body></html>"
    )
