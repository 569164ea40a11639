"""Web behaviour service on the real database: site keys, ingest, linking, scrubbing, paging."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import insert
from sqlmodel import select

import factories
from shared.audit.service import Actor
from shared.models import ChangeRecord, Contact, SiteKey, SourceKind, VisitorLink, WebEvent
from shared.web_events import service
from shared.web_events.schemas import WebEventIn

ACTOR = Actor.user(1, request_id="test-request")


def _contact(session) -> Contact:
    return factories.contact(session, email=None, source=SourceKind.controller)


def _visitor() -> str:
    return f"v-{uuid.uuid4().hex}"


def _events(session, visitor_id: str) -> list[WebEvent]:
    return list(session.exec(select(WebEvent).where(WebEvent.visitor_id == visitor_id).order_by(WebEvent.id)).all())


def test_site_key_is_stored_only_as_its_hash(session):
    key, site_key = service.create_site_key(session, site="www.jetmasters.fi")
    assert key.startswith("sk_") and len(key) > 40
    stored = session.get(SiteKey, site_key.id)
    assert key not in [str(value) for value in stored.model_dump().values()]
    assert stored.key_hash == service.hash_site_key(key) and len(stored.key_hash) == 64
    assert service.site_for_key(session, key=key) == "www.jetmasters.fi"
    assert site_key.id in [k.id for k in service.list_site_keys(session)]


def test_revoked_and_unknown_keys_are_refused(session):
    key, site_key = service.create_site_key(session, site="shop.jetmasters.fi")
    assert service.revoke_site_key(session, key_id=site_key.id) is site_key
    assert site_key.revoked_at is not None
    assert service.site_for_key(session, key=key) is None
    assert service.revoke_site_key(session, key_id=site_key.id).revoked_at == site_key.revoked_at  # idempotent
    with pytest.raises(service.UnknownSiteKey):
        service.revoke_site_key(session, key_id=2_000_000_000)
    with pytest.raises(service.InvalidSiteKey):
        service.require_site(session, key=key)
    assert site_key.id not in [k.id for k in service.list_site_keys(session, include_revoked=False)]
    for wrong in ("", "sk_", "sk_not-a-key", key[3:], "rk_" + key[3:], "sk_" + "x" * 500):
        assert service.site_for_key(session, key=wrong) is None


def test_ingest_takes_the_site_given_and_defaults_the_time(session):
    visitor = _visitor()
    before = datetime.now(UTC)
    count = service.ingest_events(session, site="a.example", events=[
        WebEventIn(page="https://a.example/", visitor_id=visitor),
        WebEventIn(page="https://a.example/x", referrer="", visitor_id=visitor,
                   occurred_at=datetime(2025, 1, 2, 3, 4, 5)),
    ])
    assert count == 2
    first, second = _events(session, visitor)
    assert {first.site, second.site} == {"a.example"} and first.occurred_at >= before
    assert second.occurred_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)  # no zone: UTC
    assert second.referrer is None
    assert service.ingest_events(session, site="a.example", events=[]) == 0


def test_events_of_a_linked_visitor_get_the_contact_at_ingest(session):
    contact = _contact(session)
    known, unknown = _visitor(), _visitor()
    session.add(VisitorLink(visitor_id=known, contact_id=contact.id))
    session.flush()
    service.ingest_events(session, site="a.example", events=[
        WebEventIn(page="/p", visitor_id=known), WebEventIn(page="/p", visitor_id=unknown),
        WebEventIn(page="/q", visitor_id=known),
    ])
    assert [e.contact_id for e in _events(session, known)] == [contact.id, contact.id]
    assert [e.contact_id for e in _events(session, unknown)] == [None]


def test_identify_back_fills_only_unlinked_events_and_records_history(session):
    contact, other = _contact(session), _contact(session)
    visitor = _visitor()
    service.ingest_events(session, site="a.example", events=[WebEventIn(page=f"/{i}", visitor_id=visitor)
                                                             for i in range(3)])
    session.exec(insert(WebEvent.__table__).values(site="a.example", page="/old", visitor_id=visitor,
                                                   contact_id=other.id, occurred_at=datetime.now(UTC)))
    assert service.identify_visitor(session, visitor_id=visitor, contact_id=contact.id, actor=ACTOR) == 3
    by_page = {e.page: e.contact_id for e in _events(session, visitor)}
    assert by_page == {"/0": contact.id, "/1": contact.id, "/2": contact.id, "/old": other.id}
    assert session.get(VisitorLink, visitor).contact_id == contact.id
    history = session.exec(select(ChangeRecord).where(ChangeRecord.contact_id == contact.id,
                                                      ChangeRecord.field == "web_visitor")).all()
    assert [(h.action, h.new_value, h.actor) for h in history] == [("update", visitor, "user:1")]
    # again: nothing left to link, no second history row
    assert service.identify_visitor(session, visitor_id=visitor, contact_id=contact.id, actor=ACTOR) == 0
    assert len(session.exec(select(ChangeRecord).where(ChangeRecord.contact_id == contact.id)).all()) == 1


def test_relinking_a_visitor_moves_the_link_and_records_both_contacts(session):
    first, second = _contact(session), _contact(session)
    visitor = _visitor()
    service.identify_visitor(session, visitor_id=visitor, contact_id=first.id, actor=ACTOR)
    service.identify_visitor(session, visitor_id=visitor, contact_id=second.id, actor=ACTOR)
    assert session.get(VisitorLink, visitor).contact_id == second.id
    removed = session.exec(select(ChangeRecord).where(ChangeRecord.contact_id == first.id,
                                                      ChangeRecord.old_value == visitor)).all()
    assert len(removed) == 1 and removed[0].new_value is None


def test_identify_needs_an_existing_contact(session):
    with pytest.raises(service.UnknownContact):
        service.identify_visitor(session, visitor_id=_visitor(), contact_id=2_000_000_000, actor=ACTOR)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://a.fi/p", "https://a.fi/p"),
    ("https://a.fi/p?utm_source=x&email=a%40b.fi&q=jets", "https://a.fi/p?utm_source=x&q=jets"),
    ("https://a.fi/p?E-Mail=x&Phone=0401234567&first_name=A&last-name=B&name=C&token=t",
     "https://a.fi/p"),
    ("https://a.fi/p?ref=anna@example.com&id=7", "https://a.fi/p?id=7"),
    ("https://a.fi/p?ref=anna%2540example.com&id=7", "https://a.fi/p?id=7"),
    ("https://a.fi/p?%C3%A4=%C3%B6&x=1+2", "https://a.fi/p?%C3%A4=%C3%B6&x=1+2"),  # kept byte for byte
    ("https://user:secret@a.fi/p?x=1", "https://a.fi/p?x=1"),
    ("https://a.fi/p?x=1#section", "https://a.fi/p?x=1#section"),
    ("https://a.fi/p#email=a@b.fi&tab=2", "https://a.fi/p#tab=2"),
    ("https://a.fi/p#token=abc", "https://a.fi/p"),
    ("/relative?username=x&phone=1", "/relative?username=x"),
    ("https://[::1/p?name=x", "https://[::1/p"),  # malformed URLs do not raise
])
def test_scrub_url_drops_obvious_personal_data(url, expected):
    assert service.scrub_url(url) == expected


def test_ingest_scrubs_page_and_referrer(session):
    visitor = _visitor()
    service.ingest_events(session, site="a.example", events=[WebEventIn(
        page="https://a.fi/thanks?email=anna%40example.com&form=7",
        referrer="https://mail.example/?to=anna@example.com", visitor_id=visitor)])
    (event,) = _events(session, visitor)
    assert (event.page, event.referrer) == ("https://a.fi/thanks?form=7", "https://mail.example/")


def test_events_come_newest_first_a_page_at_a_time(session):
    visitor = _visitor()
    base = datetime(2025, 6, 1, tzinfo=UTC)
    times = [base + timedelta(minutes=i // 2) for i in range(7)]  # pairs share a time: id breaks ties
    service.ingest_events(session, site="a.example", events=[
        WebEventIn(page=f"/{i}", visitor_id=visitor, occurred_at=t) for i, t in enumerate(times)])
    seen, cursor = [], None
    while True:
        items, cursor = service.list_events(session, visitor_id=visitor, cursor=cursor, limit=3)
        seen += items
        if cursor is None:
            break
    assert [e.page for e in seen] == ["/6", "/5", "/4", "/3", "/2", "/1", "/0"]
    with pytest.raises(ValueError):
        service.list_events(session)


def test_event_validation():
    assert WebEventIn(page=" /p ", visitor_id="a.B_c:1-2").page == "/p"
    soon = datetime.now(UTC) + timedelta(minutes=4)
    assert WebEventIn(page="/p", visitor_id="v", occurred_at=soon).occurred_at == soon
    for bad in ({"page": "", "visitor_id": "v"}, {"page": "/" * 2001, "visitor_id": "v"},
                {"page": "/p", "visitor_id": "has space"}, {"page": "/p", "visitor_id": "v" * 101},
                {"page": "/p", "visitor_id": ""}, {"page": "/p", "visitor_id": "v", "email": "x"},
                {"page": "/p", "visitor_id": "v", "occurred_at": datetime.now(UTC) + timedelta(minutes=6)}):
        with pytest.raises(ValidationError):
            WebEventIn(**bad)


def test_cli_creates_lists_and_revokes_site_keys(engine):
    from sqlmodel import Session
    from typer.testing import CliRunner

    from shared.cli.site_keys import site_keys_app

    runner = CliRunner()
    site = f"cli-{uuid.uuid4().hex[:8]}.example"
    created = runner.invoke(site_keys_app, ["create", "--site", site])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert key.startswith("sk_") and "\n" not in key
    with Session(engine) as session:
        assert service.site_for_key(session, key=key) == site
    listed = runner.invoke(site_keys_app, ["list"])
    assert key not in listed.output
    line = next(line for line in listed.stdout.splitlines() if f"\t{site}\t" in line)
    assert line.endswith("\tactive\t-")  # no origins: only servers may use the key
    assert runner.invoke(site_keys_app, ["revoke", line.split("\t")[0]]).exit_code == 0
    with Session(engine) as session:
        assert service.site_for_key(session, key=key) is None
    assert runner.invoke(site_keys_app, ["revoke", "2000000000"]).exit_code == 1
    assert runner.invoke(site_keys_app, ["create", "--site", "bad site"]).exit_code == 2


@pytest.mark.parametrize("query", ["utm_source=news&utm_campaign=c1", "a=1&&b=2&", "Email=x", "E-MAIL=x", "nAme=x",
                                   "first-name=Anna&x=1", "q=anna%40example.fi", "t%6Fken=abc", "x=a+b", "phone=1",
                                   "filename=report.pdf", "tokenize=1", "x=@", "", "&&"])
def test_scrubbing_skips_the_parameter_check_only_where_none_can_be_personal(query):
    assert all(any(part in name for part in service._NAME_PARTS) for name in service.PERSONAL_PARAMS)
    full = "&".join(p for p in query.split("&") if p and not service._personal(p))
    assert service._scrub_params(query) == full
