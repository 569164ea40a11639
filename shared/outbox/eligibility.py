"""May this message still be sent? Asked in the transaction that claims it, and again for a
whole batch of bulk mail right before it goes, with the contacts' rows share-locked
(`check_batch(lock=True)`): an objection, restriction or erasure updates the contact row, so it
waits until every SMTP transaction of the batch has started, and whatever committed before the
lock was taken is seen by the re-check.

Transactional mail (about the person's own request, or to staff) always goes, even to someone
who objected, and is never locked. Marketing and research mail must name a contact and pass every
send-time rule of shared.campaigns.eligibility (still exists, subscribed, no objection for the
category, not restricted, not suppressed, consent or relevance to the role). `check_batch` asks
the same rules, in the same order, of many messages in one query; tests keep the two in step.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from shared.campaigns.eligibility import CONSENT_PURPOSES, check_marketing, is_named_address
from shared.models import EmailCategory, EmailMessage
from shared.models.campaigns import CampaignStatus
from shared.register.suppression import email_hash

SKIP_NO_CONTACT = "no_contact"


def may_send(session: Session, message: EmailMessage) -> str | None:
    """None if the message may go; otherwise the reason it is skipped."""
    if message.category == EmailCategory.transactional:
        return None
    if message.contact_id is None:
        return SKIP_NO_CONTACT
    return check_marketing(session, message)


@dataclass(frozen=True)
class BulkRef:
    """What the batch check needs of one message."""

    id: uuid.UUID
    contact_id: int | None
    category: str
    to_address: str
    address_hash: str  # email_hash(to_address), computed once per claim


def bulk_ref(*, id: uuid.UUID, contact_id: int | None, category: str, to_address: str) -> BulkRef:
    return BulkRef(id, contact_id, str(category), to_address, email_hash(to_address))


_PURPOSES = {str(cat.value): ",".join(p.value for p in purposes) for cat, purposes in CONSENT_PURPOSES.items()}

# SQL in the driver's style (psycopg, %(name)s): run by a Session (exec_driver_sql) or by the
# notifier's own asynchronous connection, the same text.
LOCK_CONTACTS_SQL = "SELECT id FROM contacts WHERE id = ANY(CAST(%(ids)s AS integer[])) ORDER BY id FOR SHARE"

FACTS_SQL = """
    SELECT m.id, c.status, c.relevant_to_role, ct.id AS contact, ct.email, ct.company_id,
           ct.objects_direct_marketing_at IS NOT NULL AS objects_dm,
           ct.objects_research_at IS NOT NULL AS objects_research,
           ct.restricted_at IS NOT NULL AS restricted,
           EXISTS (SELECT 1 FROM subscriptions s WHERE s.contact_id = r.contact_id
                   AND s.list_id = ANY(c.list_ids) AND s.status = 'subscribed') AS subscribed,
           EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = m.hash) AS suppressed,
           (m.purposes <> '' AND EXISTS (
               SELECT 1 FROM consents k WHERE k.contact_id = ct.id AND k.withdrawn_at IS NULL
               AND k.purpose = ANY(string_to_array(m.purposes, ',')))) AS consent
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(contacts)s AS integer[]), CAST(%(hashes)s AS varchar[]),
                CAST(%(purposes)s AS varchar[])) AS m(id, contact_id, hash, purposes)
    JOIN campaign_recipients r ON r.email_id = m.id AND r.contact_id = m.contact_id
    JOIN campaigns c ON c.id = r.campaign_id
    LEFT JOIN contacts ct ON ct.id = r.contact_id
"""


def _reason(ref: BulkRef, facts) -> str | None:
    """check_marketing's rules, in its order, on one row of FACTS_SQL."""
    if facts is None:
        return "not_in_campaign"
    if facts.status == CampaignStatus.cancelled.value:
        return "campaign_cancelled"
    if facts.contact is None:
        return "contact_missing"
    if ref.category == EmailCategory.research.value:
        if facts.objects_research:
            return "objected_research"
    elif facts.objects_dm:
        return "objected_direct_marketing"
    if facts.restricted:
        return "restricted"
    if facts.suppressed:
        return "suppressed"
    if not facts.subscribed:
        return "not_subscribed"
    if not facts.email or facts.email.lower() != ref.to_address.lower():
        return "address_changed"
    if is_named_address(ref.to_address) and not facts.consent:
        if facts.company_id is None:
            return "no_consent"
        if not facts.relevant_to_role:
            return "not_relevant_to_role"
    return None


@dataclass
class BatchCheck:
    """One batch's check, in steps any connection can run: `lock_params` (if locking) and
    `facts_params` to run, then `reasons(rows)`."""

    refs: Sequence[BulkRef]

    def __post_init__(self):
        self.paused: set[uuid.UUID] = set()  # may go, but their campaign is paused: hold them
        self.known: dict[uuid.UUID, str] = {}
        self.checked: list[BulkRef] = []
        for ref in self.refs:
            if ref.category == EmailCategory.transactional.value:
                continue
            if ref.contact_id is None:
                self.known[ref.id] = SKIP_NO_CONTACT
            else:
                self.checked.append(ref)

    @property
    def lock_params(self) -> dict:
        return {"ids": sorted({r.contact_id for r in self.checked})}

    @property
    def facts_params(self) -> dict:
        checked = self.checked
        return {"ids": [r.id for r in checked], "contacts": [r.contact_id for r in checked],
                "hashes": [r.address_hash for r in checked],
                "purposes": [_PURPOSES.get(r.category, "") for r in checked]}

    def reasons(self, rows) -> dict[uuid.UUID, str]:
        facts = {row.id: row for row in rows}
        reasons = dict(self.known)
        for ref in self.checked:
            found = facts.get(ref.id)
            reason = _reason(ref, found)
            if reason is not None:
                reasons[ref.id] = reason
            elif found.status == CampaignStatus.paused.value:
                self.paused.add(ref.id)
        return reasons


def check_batch(session: Session, refs: Sequence[BulkRef], *, lock: bool = False) -> dict[uuid.UUID, str]:
    """The skip reason of every bulk message in `refs` that may not go (absent: it may go).

    With `lock`, the contacts' rows are first share-locked (in id order) in the session's
    transaction; the caller keeps that transaction open until the SMTP transactions started."""
    check = BatchCheck(refs)
    if not check.checked:
        return check.known
    conn = session.connection()
    if lock:
        conn.exec_driver_sql(LOCK_CONTACTS_SQL, check.lock_params)
    return check.reasons(conn.exec_driver_sql(FACTS_SQL, check.facts_params).all())
