"""The retention sweep on a fixture register with a frozen clock: it removes exactly what its
plan said, erases people through the erasure machinery (partners get a deletion notice), and
leaves held, restricted and still-needed records alone."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from typer.testing import CliRunner

import factories
from shared.audit.service import Actor
from shared.cli.retention import retention_app
from shared.models import (AccessExport, AccessRecord, ChangeRecord, Company, Contact, Disclosure, Feedback,
                           Interaction, RequestStatus, SubjectRequest, VerificationToken, WebEvent, utcnow)
from shared.models.partners import Partner, RetentionRun, SubjectRef
from shared.retention.holds import LegalHoldCreate, place_hold
from shared.retention.sweep import plan, schedule_sweep, sweep

NOW = utcnow().replace(microsecond=0)  # the frozen clock of this module
PROVENANCE = {"legal_basis": "relevant_connection", "purposes": ["sales_marketing"], "source": "directory_service"}
OFFICER = Actor(label="user:privacy")


def months_ago(months: int) -> object:
    return NOW - timedelta(days=int(months * 30.5))


def person(s: Session, *, status: str | None = "prospect", created=None, ended=None, **fields) -> Contact:
    company_id = None
    if status is not None:
        company = Company(name=f"Yritys {uuid.uuid4().hex[:6]} Oy", status=status, relationship_ended_at=ended,
                          created_at=created or NOW, updated_at=created or NOW, **PROVENANCE)
        s.add(company)
        s.flush()
        company_id = company.id
    return factories.contact(s, company_id=company_id, created_at=created or NOW, updated_at=created or NOW,
                             **(PROVENANCE | fields))


@pytest.fixture
def register(session: Session) -> dict[str, object]:
    """One record for each case the rules decide, dated against NOW."""
    s = session
    old = months_ago(30)
    r = {
        "old_prospect": person(s, created=old),
        "companyless_old": person(s, status=None, created=old),
        "active_prospect": person(s, created=old),
        "subscribed_recently": person(s, created=old, last_activity_at=months_ago(1)),
        "old_former": person(s, status="former_customer", created=months_ago(60), ended=months_ago(40)),
        "recent_former": person(s, status="former_customer", created=months_ago(60), ended=months_ago(12)),
        "customer": person(s, status="customer", created=months_ago(60)),
        "held": person(s, created=old),
        "restricted": person(s, created=old, restricted_at=months_ago(2), restriction_reason="kiistää tiedot"),
    }
    s.add(Interaction(contact_id=r["active_prospect"].id, kind="call", summary="Soitto", occurred_at=months_ago(3)))
    place_hold(s, data=LegalHoldCreate(contact_id=r["held"].id, reason="Kirjanpitolaki 1336/1997 2:10"),
               actor=OFFICER)
    partner = Partner(name=f"Laskutus {uuid.uuid4().hex[:6]} Oy", role="recipient", agreement_reference="S-1",
                      agreement_signed_on=NOW.date(), purposes=["billing"], fields=["email"], delivery="download")
    s.add(partner)
    s.flush()
    s.add(Disclosure(contact_id=r["old_prospect"].id, recipient=partner.name, recipient_kind="partner",
                     purpose="billing", fields=["email"], at=months_ago(29)))
    visitor = f"v-{uuid.uuid4().hex}"
    r["old_event"] = WebEvent(site="www", page="/haku?q=nimi", visitor_id=visitor, occurred_at=months_ago(15))
    r["new_event"] = WebEvent(site="www", page="/", visitor_id=visitor, occurred_at=months_ago(13))
    r["old_feedback"] = Feedback(contact_id=r["customer"].id, channel="email", text="Terveisin Etu",
                                 received_at=months_ago(37))
    r["old_read"] = AccessRecord(contact_ids=[r["customer"].id], route="GET /v1/contacts", at=months_ago(25))
    r["held_read"] = AccessRecord(contact_ids=[r["held"].id, r["customer"].id], route="GET /v1/contacts",
                                  at=months_ago(25))
    r["old_request"] = SubjectRequest(kind="access", status=RequestStatus.completed, email="kysyja@example.fi",
                                      name="Kysyjä", due_at=months_ago(38), completed_at=months_ago(37),
                                      updated_at=months_ago(37))
    for key in ("old_event", "new_event", "old_feedback", "old_read", "held_read", "old_request"):
        s.add(r[key])
    s.flush()
    content = b"zip"
    r["old_export"] = AccessExport(request_id=r["old_request"].id, content=content, created_at=NOW - timedelta(days=8),
                                   sha256=hashlib.sha256(content).hexdigest(), expires_at=NOW - timedelta(days=1))
    r["old_token"] = VerificationToken(request_id=r["old_request"].id, token_hash=uuid.uuid4().hex,
                                       created_at=NOW - timedelta(hours=25), expires_at=NOW - timedelta(hours=1))
    s.add_all([r["old_export"], r["old_token"]])
    s.flush()
    r["partner"] = partner
    return r


def test_the_sweep_removes_exactly_what_the_plan_said(session, register):
    r = {key: getattr(value, "id", value) for key, value in register.items()}  # ids: rows will vanish
    planned = plan(session, now=NOW)
    for name in ("prospects", "former_customers", "web_events", "feedback", "access_log", "access_exports",
                 "verification_tokens", "finished_requests"):
        assert planned["rules"][name]["count"] >= 1, name
    assert planned["rules"]["prospects"]["held"] >= 1 and planned["rules"]["prospects"]["restricted"] >= 1
    assert planned["rules"]["access_log"]["held"] >= 1
    assert "Etu" not in str(planned) and "@" not in str(planned)  # counts, no names

    swept = sweep(session, now=NOW, trigger="test")

    assert swept["rules"] == planned["rules"]
    after = plan(session, now=NOW)["rules"]
    assert all(entry["count"] == 0 for entry in after.values()), after
    session.expire_all()
    gone = {key for key in ("old_prospect", "companyless_old", "old_former") if session.get(Contact, r[key]) is None}
    assert gone == {"old_prospect", "companyless_old", "old_former"}
    for key in ("active_prospect", "subscribed_recently", "recent_former", "customer", "held", "restricted"):
        assert session.get(Contact, r[key]) is not None, key
    assert session.get(WebEvent, r["old_event"]).visitor_id == "anonymous"
    assert session.get(WebEvent, r["old_event"]).page == "/haku"
    assert session.get(WebEvent, r["new_event"]).contact_id is None  # never linked; still identifiable
    assert session.get(WebEvent, r["new_event"]).visitor_id.startswith("v-")
    feedback = session.get(Feedback, r["old_feedback"])
    assert (feedback.contact_id, feedback.text) == (None, "")
    assert session.get(AccessRecord, r["old_read"]) is None and session.get(AccessRecord, r["held_read"])
    request = session.get(SubjectRequest, r["old_request"])
    assert (request.status, request.email, request.name) == ("completed", None, None)
    assert session.get(AccessExport, r["old_export"]) is None
    assert session.get(VerificationToken, r["old_token"]) is None

    deletion = session.exec(select(Disclosure).where(Disclosure.recipient == register["partner"].name,
                                                     Disclosure.kind == "deletion")).one()
    assert (deletion.status, deletion.contact_id) == ("pending", None)
    ref = session.get(SubjectRef, (deletion.request_id, register["partner"].name))
    assert ref is not None  # the deletion notice can name the person to the partner
    run = session.get(RetentionRun, uuid.UUID(swept["run_id"]))
    assert run.counts["rules"] == planned["rules"] and run.trigger == "test"
    audit = session.exec(select(ChangeRecord).where(ChangeRecord.reason == f"retention:{run.id}")).all()
    assert len(audit) == sum(swept["rules"][n]["count"] for n in ("prospects", "former_customers"))
    assert {(a.actor, a.action, a.entity_id, a.old_value) for a in audit} == {("retention", "erasure", 0, None)}


def test_held_people_stay_restricted_and_are_not_swept_later(session, register):
    held = register["held"]
    assert held.restricted_at is not None and held.restriction_reason.startswith("legal hold")
    sweep(session, now=NOW)
    later = NOW + timedelta(days=3650)
    assert plan(session, now=later)["rules"]["prospects"]["held"] >= 1
    session.expire_all()
    assert session.get(Contact, held.id) is not None


def test_the_cli_prints_the_plan_without_names(engine):
    result = CliRunner().invoke(retention_app, ["plan", "--as-of", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert "as of 2030-01-01" in result.output and "prospects" in result.output and "@" not in result.output
    assert CliRunner().invoke(retention_app, ["plan", "--as-of", "huomenna"]).exit_code == 2


def test_a_sweep_is_scheduled_once(session):
    first = schedule_sweep(session)
    assert schedule_sweep(session).id == first.id and first.queue == "bulk"
