"""What the company and contact pages share: a record's form as the API's schema reads it
(provenance included), the schema's errors next to their fields, and the ETag rule of the API as
a hidden `etag` field: a form read at an older version is a conflict, shown field by field with
the reader's value beside the one saved meanwhile, never an overwrite."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field as dataclass_field
from datetime import date
from enum import Enum
from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, ValidationError

from services.api.errors import error_answer
from services.api.etag import check_if_match
from shared.common.errors import Conflict, DomainError, InvalidReference
from shared.dedup.incremental import likely_duplicates_before_saving
from shared.i18n import has_label, label, t
from shared.models import CompanyStatus, Language, LegalBasis, Purpose, SourceKind, User

PROVENANCE = ("legal_basis", "purposes", "source", "source_provider", "source_received")


@dataclass(frozen=True)
class Field:
    """One input of a record's form: `kind` text, email, tel, number, date, select, checkboxes or
    checkbox; `options` the codes of a select (labelled with `label(code_kind, …)`)."""

    name: str
    kind: str = "text"
    options: tuple[str, ...] = ()
    code_kind: str | None = None
    required: bool = False
    label_key: str | None = None  # else the field's label, `label("field", name)`
    hint_key: str | None = None


PROVENANCE_FIELDS = (
    Field("legal_basis", "select", tuple(LegalBasis), "legal_basis", required=True),
    Field("purposes", "checkboxes", tuple(Purpose), "purpose", required=True),
    Field("source", "select", tuple(SourceKind), "source", required=True),
    Field("source_provider"),
    Field("source_received", "date"),
)

CONTACT_FIELDS = (
    Field("first_name", required=True), Field("last_name", required=True), Field("position"),
    Field("email", "email"), Field("phone", "tel"),
    Field("language", "select", tuple(Language), "language", required=True),
    Field("company_id", "number", label_key="sales.contact.company_number", hint_key="sales.contact.company_hint"),
    *PROVENANCE_FIELDS,
)
COMPANY_FIELDS = (
    Field("name", required=True), Field("business_id"),
    Field("status", "select", tuple(CompanyStatus), "company_status", required=True),
    Field("owner", required=True), Field("street_address"), Field("postal_code"), Field("city"),
    Field("country", required=True), Field("website"), Field("sole_trader", "checkbox"),
    *PROVENANCE_FIELDS,
)


async def record_form(request: Request) -> dict[str, str]:
    """The posted form as plain strings; the purposes (checkboxes) joined with commas."""
    form = await request.form()
    values = {key: value.strip() for key, value in form.items() if isinstance(value, str)}
    values["purposes"] = ",".join(sorted(v for v in form.getlist("purposes") if isinstance(v, str)))
    return values


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):  # sorted: the same set reads the same, whatever its order
        return ",".join(sorted(_shown(v) for v in value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def form_of(record: Any, fields: tuple[Field, ...]) -> dict[str, str]:
    """A saved record's values as its form shows them."""
    return {f.name: _shown(getattr(record, f.name)) for f in fields}


def payload(values: dict[str, str], fields: tuple[Field, ...], *, only: set[str] | None = None) -> dict[str, Any]:
    """The form's values as the API's JSON body would carry them (an empty box is null)."""
    body: dict[str, Any] = {}
    for f in fields:
        if only is not None and f.name not in only:
            continue
        raw = values.get(f.name, "")
        if f.kind == "checkboxes":
            body[f.name] = [v for v in raw.split(",") if v]
        elif f.kind == "checkbox":
            body[f.name] = raw == "on"
        elif raw == "" and only is None:
            continue  # left out: the schema's default (or its "missing")
        else:
            body[f.name] = raw or None
    return body


ERRORS = {"email": "email", "phone": "phone", "business_id": "business_id", "website": "website",
          "source_received": "date", "company_id": "company", "postal_code": "too_long", "country": "country",
          "occurred_at": "date", "received_at": "date", "rating": "rating"}


def field_errors(error: ValidationError, lang: str, *, prefix: str = "", first: str = "") -> dict[str, str]:
    """{field: message} from the API schema's validation error: a missing value, else the field's
    own message (an email that is not one, a date in the future …)."""
    found: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else first
        if item["type"] == "missing" or (item["type"] in ("string_too_short", "too_short") and name != "postal_code"):
            key = "required"
        else:
            key = ERRORS.get(name, "value")
        found.setdefault(prefix + name, t(f"sales.error.{key}", lang))
    return found


def validate(schema: type[BaseModel], body: dict[str, Any], lang: str) -> tuple[BaseModel | None, dict[str, str]]:
    try:
        return schema.model_validate(body), {}
    except ValidationError as error:
        return None, field_errors(error, lang)


def missing(values: dict[str, str], fields: tuple[Field, ...], lang: str, *, only: set[str]) -> dict[str, str]:
    """Required fields emptied on an edit form (the schema of a change would take them as null)."""
    return {f.name: t("sales.error.required", lang) for f in fields
            if f.required and f.name in only and not values.get(f.name)}


def domain_errors(error: DomainError, lang: str, *, taken: str) -> dict[str, str]:
    """A domain refusal next to its field: a reference to nothing, or the unique value `taken`
    (a contact's email, a company's business ID) already in the register."""
    if isinstance(error, InvalidReference):
        return {error.field: t(f"sales.error.{ERRORS.get(error.field, 'value')}", lang)}
    if isinstance(error, Conflict):
        return {taken: t(f"sales.error.{taken}_taken", lang)}
    return {taken: t(error.key, lang)}


def duplicates_shown(found: list, names: dict[int, str]) -> list[dict[str, Any]]:
    """The likely duplicates as the form lists them: a link, the likelihood and what agreed."""
    return [{"id": d.id, "name": names.get(d.id, str(d.id)), "percent": round(d.score * 100),
             "reasons": d.reasons} for d in found]


def stale(values: dict[str, str], record: Any) -> bool:
    """The API's If-Match rule on the form's hidden `etag`: True when someone saved meanwhile."""
    try:
        check_if_match(values.get("etag") or "", record)
    except HTTPException:  # 412 (another version) or 428 (none): the same conflict to a reader
        return True
    return False


def conflicts(values: dict[str, str], record: Any, fields: tuple[Field, ...]) -> list[dict[str, str]]:
    """The fields where the reader's value and the one saved meanwhile differ: both shown."""
    saved = form_of(record, fields)
    return [{"field": f.name, "yours": values.get(f.name, ""), "saved": saved[f.name]}
            for f in fields if (values.get(f.name, "") or "") != saved[f.name]]


def changed(values: dict[str, str], record: Any, fields: tuple[Field, ...]) -> set[str]:
    """The fields the reader changed on the form (only those are sent, as a PATCH would)."""
    saved = form_of(record, fields)
    return {f.name for f in fields if values.get(f.name, "") != saved[f.name]}


def actors(session, rows, lang: str) -> dict[str, str]:
    """Who made each change of a history, as staff read it: a user's name, else the actor's label."""
    names: dict[str, str] = {}
    for actor in {r.actor for r in rows}:
        kind, _, ident = actor.partition(":")
        user = session.get(User, int(ident)) if kind == "user" and ident.isdigit() else None
        names[actor] = user.name if user else label("actor", kind, lang) if has_label("actor", kind) else kind
    return names


def _stored(value: str | None) -> str:
    """A history value (shared/audit `_text`) as a form shows it: lists joined, booleans on/empty."""
    if value is None:
        return ""
    if value.startswith("["):
        try:
            return ",".join(str(v) for v in json.loads(value))
        except ValueError:
            return value
    return {"True": "on", "False": ""}.get(value, value)


def history_rows(session, rows, fields: tuple[Field, ...], lang: str) -> list[dict[str, Any]]:
    """A record's change history for its page, newest first: who, what, the values before and after."""
    names = actors(session, rows, lang)
    known = {f.name: f for f in fields}
    return [{"at": r.at, "who": names[r.actor], "action": r.action, "field": r.field, "spec": known.get(r.field),
             "old": _stored(r.old_value), "new": _stored(r.new_value)} for r in rows]


@dataclass
class Outcome:
    """What a record's form came to: `status` 303 when saved (then `record`), else the form again with
    its `errors`, the `duplicates` to confirm, or the `conflicts` with a save made meanwhile."""

    status: int
    record: Any = None
    errors: dict[str, str] = dataclass_field(default_factory=dict)
    duplicates: list[dict[str, Any]] = dataclass_field(default_factory=list)
    conflicts: list[dict[str, str]] = dataclass_field(default_factory=list)


def create_record(session, *, values: dict[str, str], fields: tuple[Field, ...], schema: type[BaseModel],
                  create: Callable[[BaseModel], Any], names: Callable[[list[int]], dict[int, str]], lang: str,
                  taken: str) -> Outcome:
    """A "new" form: validated with the API's schema; unless confirmed, checked for likely duplicates
    first (nothing saved while there are some); then created."""
    data, errors = validate(schema, payload(values, fields), lang)
    if errors:
        return Outcome(422, errors=errors)
    try:
        if values.get("confirm") != "yes":
            found = likely_duplicates_before_saving(session, create=lambda: create(data))
            if found:
                errors = {"confirm": t("sales.error.confirm", lang)} if values.get("checked") == "yes" else {}
                return Outcome(422 if errors else 200, errors=errors,
                               duplicates=duplicates_shown(found, names([d.id for d in found])))
        record = create(data)
        session.flush()
    except DomainError as refused:
        return Outcome(error_answer(refused)[0], errors=domain_errors(refused, lang, taken=taken))
    return Outcome(303, record=record)


def edit_record(session, *, record: Any, values: dict[str, str], fields: tuple[Field, ...], schema: type[BaseModel],
                update: Callable[[dict[str, Any]], Any], lang: str, taken: str) -> Outcome:
    """An "edit" form: the API's If-Match rule on its hidden ETag (a save made meanwhile is a conflict
    with both values), then only the fields the reader changed, validated with the API's schema."""
    if stale(values, record):
        return Outcome(409, conflicts=conflicts(values, record, fields))
    names = changed(values, record, fields)
    data, errors = validate(schema, payload(values, fields, only=names), lang)
    errors = {**errors, **missing(values, fields, lang, only=names)}
    if errors:
        return Outcome(422, errors=errors)
    try:
        with session.begin_nested():  # a refusal undoes only this change
            update(data.model_dump(exclude_unset=True))
    except DomainError as refused:
        session.refresh(record)
        return Outcome(error_answer(refused)[0], errors=domain_errors(refused, lang, taken=taken))
    return Outcome(303, record=record)
