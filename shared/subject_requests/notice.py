"""What an access answer says about each category of data, in fi / sv / en: purposes, legal
basis, source and retention (GDPR Art. 15(1)), the rights text, and the controller's identity.

`describe` turns what `access_export.collect_person_data` found into the answer document: every
section carries its data together with why we hold it, where it came from and for how long. How
long comes from the retention policy (shared/retention/texts.py), as in the privacy notice.
"""

from __future__ import annotations

from typing import Any

from shared.i18n import LANGUAGES, TEXTS, label, t
from shared.i18n.access_answer import RIGHT_KEYS
from shared.retention.policy import Rule, current_policy
from shared.retention.texts import answer_text

T = dict[str, str]  # language -> text

CONTROLLER = {"name": "Jetmasters Oy", "address": "Pakkastie 5, 87100 Kajaani", "business_id": "1086291-5"}
# Purposes, legal bases and sources are labelled in shared/i18n/codes.py (`label("purpose", ...)`),
# the rights and the contact point in shared/i18n/access_answer.py and notice.py.
CONTACT_POINT: T = TEXTS["access_answer.contact_point"]
RIGHTS: dict[str, list[str]] = {lang: [t(key, lang) for key in RIGHT_KEYS]
                                for lang in LANGUAGES}

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
    # the desk's person page only (shared/subject_requests/person_record.py): campaigns with the server's answers
    "campaigns": (["sales_marketing"], None, "register_system", "with_record"),
    "subject_requests": (["rights"], "legal_obligation", "data_subject", "requests"),
    "suppression": (["rights"], "legal_obligation", "data_subject", "suppression"),
    "import_files": (["sales_marketing"], None, "import_file", "import_file"),
}
ORDER = list(CATEGORIES)


def _label(kind: str, code: str | None, language: str) -> str | None:
    """The label of a code, starting with a capital letter (it starts a line of the answer)."""
    return None if code is None else label(kind, code, language, capital=True)


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
        "purposes": [_label("purpose", p, language) for p in purposes],
        "legal_basis": _label("legal_basis", basis, language),
        "source": _label("source", source, language),
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
            section["source"] = "; ".join(_label("source", s, language) for s in sorted(row_sources))
        sections[category] = {**section, "data": content}
    return sections


def rights(*, language: str) -> dict[str, Any]:
    """The rights text and who to turn to."""
    return {"rights": RIGHTS[language], "contact": CONTACT_POINT[language]}
