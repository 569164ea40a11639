"""Finding contacts: every filter of `GET /v1/contacts`, one keyset page at a time.

A name is found by the start of each word, case and diacritics aside, folded as dedup folds names
('mak' finds Mäkinen, 'jarv' Järvinen), through the folded-name indexes (models/dedup.py). The
"name" order is the same folded last name (then the id), so a last name's first page is read
from its index in order and stops at the page's end, however common the name.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlalchemy import String, and_, literal_column, or_, union_all
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, select

from shared.common.errors import InvalidInput
from shared.common.validation import normalize_business_id, normalize_email, normalize_phone
from shared.dedup.normalize import person_name
from shared.models import Company, CompanyStatus, Contact, LegalBasis, Subscription
from shared.models.dedup import folded, inline
from shared.pagination import Sort

FIRST_FOLDED, LAST_FOLDED = folded(Contact.first_name), folded(Contact.last_name)
# The last-name order in an expression no index has: where the rows to sort are the few a
# first-name index found, the planner must not walk the last-name index from 'a' hoping to meet
# them early (it assumes they are spread evenly over it).
SORTED_LAST_FOLDED = LAST_FOLDED.concat(inline("")).collate("C")
SORTS = {
    "name": lambda: Sort(LAST_FOLDED, Contact.id),  # ix_contacts_last_folded
    "-name": lambda: Sort(LAST_FOLDED, Contact.id, descending=True),
    "created_at": lambda: Sort(Contact.created_at, Contact.id),
    "-created_at": lambda: Sort(Contact.created_at, Contact.id, descending=True),
}
MAX_NAME_WORDS = 4
Objection = Literal["direct_marketing", "research", "any", "none"]


def search_contacts(session: Session, *, limit: int = 50, **filters: Any) -> tuple[list[Contact], str | None]:
    """Contacts matching every given filter (those of `search_statement`), one keyset page at a time."""
    rows = session.exec(search_statement(limit=limit, **filters)).all()
    return Sort.page(rows, limit=limit)


def search_statement(
    *,
    q: str | None = None,
    company_id: int | None = None,
    business_id: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    company_status: CompanyStatus | None = None,
    list_id: int | None = None,
    legal_basis: LegalBasis | None = None,
    objection: Objection | None = None,
    sort: str = "name",
    cursor: str | None = None,
    limit: int = 50,
) -> Select:
    """The SELECT of one page (limit + 1 rows of contact and sort value) under every given filter."""

    def page(order: Sort, *names: ColumnElement) -> Select:
        query = order.select(Contact).where(*names)
        if company_id is not None:
            query = query.where(Contact.company_id == company_id)
        if business_id or company_status is not None:
            query = query.join(Company, Company.id == Contact.company_id)
            if business_id:
                query = query.where(Company.business_id == business_id)
            if company_status is not None:
                query = query.where(Company.status == company_status)
        if email:
            query = query.where(Contact.email == _search_email(email))
        if phone:
            query = query.where(Contact.phone == phone)
        if list_id is not None:
            query = query.where(Contact.id.in_(select(Subscription.contact_id).where(Subscription.list_id == list_id)))
        if legal_basis is not None:
            query = query.where(Contact.legal_basis == legal_basis)
        return order.apply(_objection_filter(query, objection), cursor=cursor, limit=limit)

    words = _folded_words(q)
    if not words:
        return page(SORTS[sort]())
    if len(words) == 1 and sort in ("name", "-name"):
        return _one_word(words[0], page, descending=sort == "-name", limit=limit)
    order = SORTS[sort]()
    if sort in ("name", "-name"):
        order = Sort(SORTED_LAST_FOLDED, Contact.id, order.descending)
    return page(order, _name_condition(words))


def _folded_words(q: str | None) -> list[str]:
    """The words of a name query, folded; more than MAX_NAME_WORDS: the last ones as one."""
    words = [w for w in (person_name(word)[1] for word in (q or "").split()) if w]
    if len(words) > MAX_NAME_WORDS:
        words = words[:MAX_NAME_WORDS - 1] + ["".join(words[MAX_NAME_WORDS - 1:])]
    return words


def _name_condition(words: list[str]) -> ColumnElement:
    """One word: the first or the last name starts with it. More: the first name starts with the
    first words and the last name with the rest, or the other way round ("matti vir",
    "virtanen matti", "anna-liisa mäki", "anna liisa mäki")."""
    if len(words) == 1:
        return or_(_starts(FIRST_FOLDED, words[0]), _starts(LAST_FOLDED, words[0]))
    either = []
    for split in range(1, len(words)):
        head, tail = "".join(words[:split]), "".join(words[split:])
        either += [and_(_starts(FIRST_FOLDED, head), _starts(LAST_FOLDED, tail)),
                   and_(_starts(LAST_FOLDED, head), _starts(FIRST_FOLDED, tail))]
    return or_(*either)


def _one_word(word: str, page, *, descending: bool, limit: int) -> Select:
    """The rows of `_name_condition([word])` in name order, as the merge of two pages with cheap
    plans: last names starting with the word, read in order from their index (the page stops at
    its end); first names starting with it where the last name does not, found through their
    index and sorted."""
    last = _starts(LAST_FOLDED, word)
    by_last = page(Sort(LAST_FOLDED, Contact.id, descending), last)
    by_first = page(Sort(SORTED_LAST_FOLDED, Contact.id, descending), _starts(FIRST_FOLDED, word), ~last)
    keys = (literal_column("sort_value"), literal_column("id"))
    merged = union_all(by_last, by_first).order_by(*(k.desc() for k in keys) if descending else keys)
    return select(Contact, literal_column("sort_value", String)).from_statement(merged.limit(limit + 1))


def _starts(column, prefix: str) -> ColumnElement:
    """`column` starts with `prefix`, as a range of its "C" index (code-point order is byte
    order in UTF-8): a range with bound values is still a range of the index in a prepared
    statement's generic plan, where LIKE with a bound pattern is not."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return column >= prefix
    after = 0xE000 if 0xD800 <= last + 1 < 0xE000 else last + 1  # no surrogate in text
    return and_(column >= prefix, column < prefix[:-1] + chr(after))


def _objection_filter(query, objection: Objection | None):
    dm, research = Contact.objects_direct_marketing_at, Contact.objects_research_at
    if objection == "direct_marketing":
        return query.where(dm.is_not(None))
    if objection == "research":
        return query.where(research.is_not(None))
    if objection == "any":
        return query.where(or_(dm.is_not(None), research.is_not(None)))
    if objection == "none":
        return query.where(dm.is_(None), research.is_(None))
    return query


PHONE_LIKE = re.compile(r"\+?[\d\s()-]{6,}")


def one_box(text: str) -> dict[str, str]:
    """The filter one search box's text is (the desk's search over companies and people): an email
    address (with an @), a business ID (1234567-8), a phone number (digits, read as E.164), else
    the start of a name. Raises InvalidInput for an email address that is not one."""
    text = text.strip()
    if "@" in text:
        return {"email": _search_email(text)}
    try:
        return {"business_id": normalize_business_id(text)}
    except ValueError:
        pass
    if PHONE_LIKE.fullmatch(text):
        try:
            return {"phone": normalize_phone(text)}
        except ValueError:
            pass
    return {"q": text}


def _search_email(email: str) -> str:
    try:
        return normalize_email(email)
    except ValueError as exc:
        raise InvalidInput(("query", "email"), str(exc)) from None
