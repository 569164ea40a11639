"""May this bulk message still go? The one send-time rule, asked by the notifier right before a
batch goes (services/notifier/db.py `lock_and_check`): the batch's contacts' rows are first
share-locked (LOCK_CONTACTS_SQL), so an objection, restriction or erasure, which updates the
contact row, either committed before the lock and is seen by FACTS_SQL, or waits until every
SMTP transaction of the batch has started.

Transactional mail (about the person's own request, or to staff) always goes, even to someone
who objected, and is never locked. For every other message the first rule that fails is the
skip reason recorded on the outbox row:
- no_contact, not_in_campaign: bulk mail we cannot check never goes;
- campaign_cancelled;
- contact_missing: deleted or erased since the audience was built;
- objected_direct_marketing (marketing, sister_marketing) / objected_research (research);
- restricted (Art. 18);
- suppressed: the keyed hash of the address is on the suppression list (unsubscribed,
  objected, bounced, complained, erased, manual) — for every bulk category;
- not_subscribed: no longer subscribed to any list of the campaign's audience;
- address_changed: the contact's address is no longer the one the message was built for;
- no_consent / not_relevant_to_role: a named (personal) address without consent for the
  category's purpose gets the message only if it works at a company and the campaign is marked
  relevant to the person's role, with its justification (Information Society Code 917/2014).
  Generic role addresses (info@, myynti@ …) are the company's, not a person's.

The tests hold a second formulation of the same rule in the ORM (tests/eligibility_oracle.py)
and check this one against it, person by person.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from shared.models import EmailCategory, Purpose
from shared.models.campaigns import CampaignStatus
from shared.common.addresses import is_named_address
from shared.common.suppression import email_hash

SKIP_NO_CONTACT = "no_contact"

CONSENT_PURPOSES = {
    EmailCategory.marketing: (Purpose.sales_marketing,),
    EmailCategory.sister_marketing: (Purpose.sister_marketing,),
    EmailCategory.research: (Purpose.analysis_development, Purpose.feedback),
}
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

# SQL in the driver's style (psycopg, %(name)s), run on the notifier's asynchronous connection.
LOCK_CONTACTS_SQL = "SELECT id FROM contacts WHERE id = ANY(CAST(%(ids)s AS integer[])) ORDER BY id FOR SHARE"

_FACTS = """
    SELECT m.id, c.status, c.relevant_to_role, ct.id AS contact, ct.email, ct.company_id,
           ct.objects_direct_marketing_at IS NOT NULL AS objects_dm,
           ct.objects_research_at IS NOT NULL AS objects_research,
           ct.restricted_at IS NOT NULL AS restricted,
           EXISTS (SELECT 1 FROM subscriptions s WHERE s.contact_id = m.contact_id
                   AND s.list_id = ANY(c.list_ids) AND s.status = 'subscribed') AS subscribed,
           EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = m.hash) AS suppressed,
           (m.purposes <> '' AND EXISTS (
               SELECT 1 FROM consents k WHERE k.contact_id = ct.id AND k.withdrawn_at IS NULL
               AND k.purpose = ANY(string_to_array(m.purposes, ',')))) AS consent
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(contacts)s AS integer[]), CAST(%(hashes)s AS varchar[]),
                CAST(%(purposes)s AS varchar[])) AS m(id, contact_id, hash, purposes)
"""
FACTS_SQL = _FACTS + """
    JOIN campaign_recipients r ON r.email_id = m.id AND r.contact_id = m.contact_id
    JOIN campaigns c ON c.id = r.campaign_id
    LEFT JOIN contacts ct ON ct.id = r.contact_id
"""
# The same facts before the audience is built (the desk's count before starting): each `id` is a
# stand-in for a message not yet written, to the contact's present address, in campaign %(campaign)s.
FORECAST_SQL = _FACTS + """
    JOIN campaigns c ON c.id = %(campaign)s
    LEFT JOIN contacts ct ON ct.id = m.contact_id
"""


def _reason(ref: BulkRef, facts) -> str | None:
    """The rule (see the module's docstring) on one row of FACTS_SQL."""
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
