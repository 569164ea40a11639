"""The retention policy file and its overrides; legal holds restrict, keep data from an erasure
request, and lift their own restriction when the last one is released."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from shared.audit.service import Actor
from shared.models import Contact, Interaction
from shared.retention.holds import LegalHoldCreate, erasure_holds, list_holds, place_hold, release_hold
from shared.retention.policy import DEFAULT_FILE, Period, PolicyError, load_policy
from shared.subject_requests.erasure import erase_person, held_tables
import factories

OFFICER = Actor(label="user:privacy")


def test_the_default_policy_is_the_issues():
    policy = load_policy()
    assert {name: (str(rule.period), rule.action) for name, rule in policy.items()} == {
        "prospects": ("24 months", "erase"), "former_customers": ("36 months", "erase"),
        "web_events": ("14 months", "anonymize"), "feedback": ("36 months", "anonymize"),
        "access_exports": ("7 days", "erase"), "verification_tokens": ("24 hours", "erase"),
        "access_log": ("24 months", "erase"), "finished_requests": ("36 months", "anonymize"),
        "import_files": ("30 days", "erase")}
    assert policy["web_events"].period.text("fi") == "14 kuukautta"
    assert policy["verification_tokens"].period.text("sv") == "24 timmar"


def test_overrides_and_their_mistakes(tmp_path: Path):
    policy = load_policy(overrides='{"web_events": "12 months", "feedback": {"action": "erase"}}')
    assert (str(policy["web_events"].period), policy["feedback"].action) == ("12 months", "erase")
    for overrides, message in [({"prospects": {"action": "anonymize"}}, "can only erase"),
                               ({"nonsense": "1 day"}, "unknown retention rule"),
                               ({"feedback": "soon"}, "'N hours|days|months|years'")]:
        with pytest.raises(PolicyError, match=message):
            load_policy(overrides=overrides)
    partial = tmp_path / "policy.toml"
    partial.write_text(DEFAULT_FILE.read_text().split("[former_customers]")[0])
    with pytest.raises(PolicyError, match="no rule for: access_exports"):
        load_policy(path=partial)


def test_months_are_calendar_months():
    moment = datetime(2027, 3, 31, 12, tzinfo=UTC)
    assert Period.parse("1 month").before(moment) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert Period.parse("24 months").before(moment) == datetime(2025, 3, 31, 12, tzinfo=UTC)
    assert Period.parse("2 years").before(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(2026, 2, 28, tzinfo=UTC)


def _person(s: Session) -> Contact:
    return factories.contact(s, company=factories.company(s, status="customer"))


def test_a_hold_restricts_and_keeps_the_record_through_an_erasure_request(session):
    contact = _person(session)
    session.add(Interaction(contact_id=contact.id, kind="purchase", summary="Tilaus 4411"))
    hold = place_hold(session, data=LegalHoldCreate(contact_id=contact.id, reason="Kirjanpitolaki 1336/1997 2:10",
                                                    until=date(2099, 1, 1)), actor=OFFICER)
    assert contact.restricted_at is not None and contact.restriction_reason.startswith("legal hold")
    holds = erasure_holds(session, contact_id=contact.id)
    assert {h.table for h in holds} >= {"contacts", "interactions"} and holds[0].reason.startswith("Kirjanpitolaki")
    erase_person(session, contact_id=contact.id, email=None, request_id=uuid.uuid4(), held=held_tables(holds))
    session.expire_all()
    assert session.get(Contact, contact.id) is not None
    assert [h.id for h in list_holds(session)].count(hold.id) == 1
    release_hold(session, hold_id=hold.id, actor=OFFICER)
    kept = session.get(Contact, contact.id)  # erase_person let go of the object it kept
    assert kept.restricted_at is None and erasure_holds(session, contact_id=contact.id) == []


def test_the_last_release_lifts_the_restriction_and_a_subjects_own_restriction_stays(session):
    contact, other = _person(session), _person(session)
    on_company = place_hold(session, data=LegalHoldCreate(company_id=contact.company_id, reason="Riita-asia 2026/77"),
                            actor=OFFICER)
    on_person = place_hold(session, data=LegalHoldCreate(contact_id=contact.id, reason="Verotarkastus 2026"),
                           actor=OFFICER)
    release_hold(session, hold_id=on_company.id, actor=OFFICER)
    assert contact.restricted_at is not None  # still held by the second hold
    release_hold(session, hold_id=on_person.id, actor=OFFICER)
    assert contact.restricted_at is None
    other.restricted_at, other.restriction_reason = datetime.now(UTC), "the person contests the data"
    hold = place_hold(session, data=LegalHoldCreate(contact_id=other.id, reason="Riita-asia 2026/78"), actor=OFFICER)
    release_hold(session, hold_id=hold.id, actor=OFFICER)
    assert other.restriction_reason == "the person contests the data"  # not the hold's to lift
    with pytest.raises(ValueError, match="exactly one"):
        LegalHoldCreate(contact_id=1, company_id=2, reason="kumpi tahansa")
