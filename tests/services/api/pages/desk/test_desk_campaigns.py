"""Campaigns on the desk: composed through the form (each error at its field, the values kept), the
count before starting with the objectors the notifier would skip, a preview as a chosen person in
each language (in the access log), a test message, schedule, start, pause, resume and cancel through
the API's own calls, live statistics, the recipient log, and the role table's refusals."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

import factories
from desk_register_rows import committed
from desk_support import csrf, hidden_fields, make_staff, sign_in
from shared.campaigns.audience import run_build_audience, run_count_audience
from shared.i18n import t
from shared.jobs.runner import run_job
from shared.jobs import kinds
from shared.models import AccessRecord, EmailCategory, EmailMessage, Job, Purpose, Role, utcnow
from shared.models.campaigns import Campaign, CampaignStatus


def _audience(engine, *, objectors: int = 1, eligible: int = 2):
    """A committed list: `eligible` consenting people (one Swedish-speaking), `objectors` who objected."""
    def make(s):
        mailing_list = factories.mailing_list(s)
        company = factories.company(s)
        people = []
        for i in range(eligible + objectors):
            person = factories.contact(s, company=company, consent=Purpose.sales_marketing,
                                       language="sv" if i == 0 else "fi",
                                       objects_direct_marketing_at=utcnow() if i >= eligible else None)
            factories.subscription(s, contact=person, mailing_list=mailing_list)
            people.append(person)
        return mailing_list, people
    return committed(engine, make)


def _form(list_id: int, **fields) -> dict:
    return {"name": "Syyskampanja", "category": "marketing", "list_ids": [str(list_id)],
            "sender_name": "Jetmasters Oy", "sender_email": "markkinointi@jetmasters.example",
            "sender_postal_address": "Pakkastie 5, 87100 Kajaani",
            "fi_subject": "Hei {first_name}", "fi_body_text": "Uutta meiltä, {full_name}.",
            "sv_subject": "Hej {first_name}", "sv_body_text": "Nytt från oss, {full_name}.", **fields}


def _compose(client, engine, list_id: int, **fields):
    page = client.get("/desk/campaigns/new?lang=fi")
    return client.post("/desk/campaigns/new?lang=fi", data={"csrf": csrf(page.text), **_form(list_id, **fields)},
                       follow_redirects=False)


def _campaign_id(response) -> int:
    return int(re.search(r"/desk/campaigns/(\d+)", response.headers["location"]).group(1))


def _run_count(engine, campaign_id: int) -> None:
    """The count job the page queued, run as the worker runs it."""
    with Session(engine) as s:
        job = s.exec(select(Job).where(Job.kind == kinds.COUNT_AUDIENCE).order_by(Job.created_at.desc())).first()
    assert job is not None and job.payload == {"campaign_id": campaign_id}
    assert run_job(str(job.id), run_count_audience) == "succeeded"


@pytest.fixture
def marketer(desk_client, engine):
    staff = make_staff(engine, Role.marketing)
    sign_in(desk_client, staff)
    return staff


@pytest.mark.parametrize(("fields", "field"), [
    ({"list_ids": []}, "list_ids"),
    ({"name": ""}, "name"),
    ({"sender_email": "ei osoite"}, "sender_email"),
    ({"fi_subject": ""}, "fi_subject"),
    ({"sv_body_text": "Hej {firstname}"}, "sv_body_text"),
    ({"fi_subject": "", "fi_body_text": "", "sv_subject": "", "sv_body_text": ""}, "fi_subject"),
    ({"fallback_language": "en"}, "fallback_language"),
    ({"relevant_to_role": "yes", "relevance_justification": "lyhyt"}, "relevance_justification"),
    ({"category": "transactional"}, "category"),
])
def test_a_bad_campaign_is_shown_again_with_the_error_at_its_field(desk_client, engine, marketer, fields, field):
    mailing_list, _ = _audience(engine)
    with Session(engine) as s:
        before = len(s.exec(select(Campaign.id)).all())
    shown = _compose(desk_client, engine, mailing_list.id, **fields)
    assert shown.status_code == 422, shown.text[:300]
    assert f'id="{field}-error"' in shown.text and f'href="#{field}"' in shown.text
    assert re.search(rf'id="{field}"', shown.text)
    assert 'value="Jetmasters Oy"' in shown.text  # what was written is kept
    with Session(engine) as s:
        assert len(s.exec(select(Campaign.id)).all()) == before


def test_composed_counted_previewed_tested_started_and_followed(desk_client, engine, marketer):
    mailing_list, people = _audience(engine)
    made = _compose(desk_client, engine, mailing_list.id)
    assert made.status_code == 303
    campaign_id = _campaign_id(made)
    counting = desk_client.get(f"/desk/campaigns/{campaign_id}?lang=en")
    assert 'http-equiv="refresh"' in counting.text and '<progress id="count-progress"' in counting.text
    _run_count(engine, campaign_id)
    page = desk_client.get(f"/desk/campaigns/{campaign_id}?lang=en")
    assert page.status_code == 200 and "Syyskampanja" in page.text
    assert 'data-count="audience">3<' in page.text and 'data-count="eligible">2<' in page.text
    assert 'data-skip="objected_direct_marketing">1<' in page.text
    assert t("camp.skip.objected_direct_marketing", "en") in page.text
    assert "{first_name}" in page.text  # the placeholders are listed
    assert 'http-equiv="refresh"' not in page.text  # counted: no more refreshing
    token = csrf(page.text)
    again = desk_client.post(f"/desk/campaigns/{campaign_id}/count?lang=en", data={"csrf": token},
                             follow_redirects=False)
    assert again.status_code == 303
    with Session(engine) as s:
        assert len(s.exec(select(Job.id).where(Job.kind == kinds.COUNT_AUDIENCE)
                          .where(Job.payload["campaign_id"].as_integer() == campaign_id)).all()) == 2

    swede = people[0]
    preview = desk_client.get(f"/desk/campaigns/{campaign_id}/preview?contact_id={swede.id}&lang=en")
    assert preview.status_code == 200
    assert f"Hei {swede.first_name}" in preview.text and f"Hej {swede.first_name}" in preview.text
    assert f"{swede.first_name} {swede.last_name}" in preview.text
    with Session(engine) as s:
        logged = s.exec(select(AccessRecord).where(AccessRecord.user_id == marketer.id, AccessRecord.route
                                                   == "GET /desk/campaigns/{campaign_id}/preview")).all()
    assert any(swede.id in r.contact_ids for r in logged)

    bad = desk_client.post(f"/desk/campaigns/{campaign_id}/test-send?lang=en", data={"csrf": token, "to": "ei"})
    assert bad.status_code == 422 and 'id="to-error"' in bad.text
    sent = desk_client.post(f"/desk/campaigns/{campaign_id}/test-send?lang=en", follow_redirects=False,
                            data={"csrf": token, "to": "testaaja@jetmasters.example", "language": "sv"})
    assert sent.status_code == 303
    with Session(engine) as s:
        test = s.exec(select(EmailMessage).where(EmailMessage.to_address == "testaaja@jetmasters.example")).one()
    assert test.category == EmailCategory.transactional and test.subject.startswith("[TESTI / TEST] Hej")

    late = desk_client.post(f"/desk/campaigns/{campaign_id}/schedule?lang=en", data={"csrf": token,
                                                                                     "send_at": "2020-01-01 10:00"})
    assert late.status_code == 422 and 'id="send_at-error"' in late.text
    wrong = desk_client.post(f"/desk/campaigns/{campaign_id}/pause?lang=en", data={"csrf": token})
    assert wrong.status_code == 409 and 'id="actions-error"' in wrong.text

    started = desk_client.post(f"/desk/campaigns/{campaign_id}/start?lang=en", data={"csrf": token},
                               follow_redirects=False)
    assert started.status_code == 303
    building = desk_client.get(f"/desk/campaigns/{campaign_id}?lang=en")
    assert 'http-equiv="refresh"' in building.text and "<progress" in building.text
    with Session(engine) as s:
        job_id = s.get(Campaign, campaign_id).build_job_id
    assert run_job(str(job_id), run_build_audience) == "succeeded"
    sending = desk_client.get(f"/desk/campaigns/{campaign_id}?lang=en")
    assert 'data-count="audience">3<' in sending.text and 'data-count="pending">3<' in sending.text
    assert re.search(r'<progress id="campaign-progress" value="0" max="3"', sending.text)

    assert desk_client.post(f"/desk/campaigns/{campaign_id}/pause?lang=en", data={"csrf": token},
                            follow_redirects=False).status_code == 303
    assert desk_client.post(f"/desk/campaigns/{campaign_id}/resume?lang=en", data={"csrf": token},
                            follow_redirects=False).status_code == 303
    log = desk_client.get(f"/desk/campaigns/{campaign_id}/recipients?lang=en")
    assert log.status_code == 200 and log.text.count("<tr>") == 4  # the header and three people
    assert desk_client.post(f"/desk/campaigns/{campaign_id}/cancel?lang=en", data={"csrf": token},
                            follow_redirects=False).status_code == 303
    ended = desk_client.get(f"/desk/campaigns/{campaign_id}?lang=en")
    assert 'data-count="cancelled">3<' in ended.text and "/cancel?" not in ended.text
    with Session(engine) as s:
        assert s.get(Campaign, campaign_id).status == CampaignStatus.cancelled
        read = s.exec(select(AccessRecord).where(AccessRecord.user_id == marketer.id, AccessRecord.route
                                                 == "GET /desk/campaigns/{campaign_id}/recipients")).first()
    assert read is not None and {p.id for p in people} <= set(read.contact_ids)
    assert desk_client.get("/desk/campaigns?lang=en").text.count(f"/desk/campaigns/{campaign_id}?") == 1


def test_a_schedule_in_finnish_time(desk_client, engine, marketer):
    mailing_list, _ = _audience(engine)
    campaign_id = _campaign_id(_compose(desk_client, engine, mailing_list.id))
    page = desk_client.get(f"/desk/campaigns/{campaign_id}?lang=fi")
    done = desk_client.post(f"/desk/campaigns/{campaign_id}/schedule?lang=fi", follow_redirects=False,
                            data={"csrf": csrf(page.text), "send_at": "2099-06-01T12:00"})
    assert done.status_code == 303
    with Session(engine) as s:
        campaign = s.get(Campaign, campaign_id)
    assert campaign.status == CampaignStatus.scheduled and campaign.send_at.hour == 9  # 12:00 summer time in UTC


def test_privacy_follows_but_does_not_act_and_sales_is_refused(desk_client, engine):
    mailing_list, people = _audience(engine)
    with Session(engine) as s:
        campaign = Campaign(name="Kevät", category="marketing", list_ids=[mailing_list.id],
                            sender_name="Jetmasters Oy", sender_email="m@jetmasters.example",
                            sender_postal_address="Kajaani", fallback_language="fi",
                            templates={"fi": {"subject": "Hei", "body_text": "Terve"}})
        s.add(campaign)
        s.commit()
        campaign_id = campaign.id
    page = sign_in(desk_client, make_staff(engine, Role.privacy))
    shown = desk_client.get(f"/desk/campaigns/{campaign_id}?lang=en")
    assert shown.status_code == 200 and "/start?" not in shown.text and "/preview?" not in shown.text
    assert desk_client.get("/desk/campaigns/new?lang=en").status_code == 403
    assert desk_client.get(f"/desk/campaigns/{campaign_id}/edit?lang=en").status_code == 403
    assert desk_client.get(f"/desk/campaigns/{campaign_id}/preview?contact_id={people[0].id}").status_code == 403
    refused = desk_client.post(f"/desk/campaigns/{campaign_id}/start?lang=en", data={"csrf": csrf(page.text)})
    assert refused.status_code == 403
    desk_client.post("/desk/signout", data={"csrf": csrf(page.text)})
    sign_in(desk_client, make_staff(engine, Role.sales))
    assert desk_client.get("/desk/campaigns?lang=en").status_code == 403
    assert desk_client.get(f"/desk/campaigns/{campaign_id}?lang=en").status_code == 403
    with Session(engine) as s:
        assert s.get(Campaign, campaign_id).status == CampaignStatus.draft


def test_a_draft_is_changed_with_the_etag_read_and_a_change_made_meanwhile_is_refused(desk_client, engine, marketer):
    mailing_list, _ = _audience(engine)
    campaign_id = _campaign_id(_compose(desk_client, engine, mailing_list.id))
    form = desk_client.get(f"/desk/campaigns/{campaign_id}/edit?lang=fi")
    assert form.status_code == 200 and 'value="Hei {first_name}"' in form.text and 'name="etag"' in form.text
    fields = {"csrf": csrf(form.text)}
    etag = hidden_fields(form.text)["etag"]
    bad = desk_client.post(f"/desk/campaigns/{campaign_id}/edit?lang=fi",
                           data={**fields, "etag": etag, **_form(mailing_list.id, fi_subject="")})
    assert bad.status_code == 422 and 'id="fi_subject-error"' in bad.text
    done = desk_client.post(f"/desk/campaigns/{campaign_id}/edit?lang=fi", follow_redirects=False,
                            data={**fields, "etag": etag, **_form(mailing_list.id, fi_subject="Moi {first_name}",
                                                                  category="research")})
    assert done.status_code == 303
    with Session(engine) as s:
        campaign = s.get(Campaign, campaign_id)
        assert campaign.templates["fi"]["subject"] == "Moi {first_name}"
        assert campaign.category == EmailCategory.marketing  # the kind of message stays
        counts = s.exec(select(Job.id).where(Job.kind == kinds.COUNT_AUDIENCE,
                                             Job.payload["campaign_id"].as_integer() == campaign_id)).all()
    assert len(counts) == 2  # counted again
    stale = desk_client.post(f"/desk/campaigns/{campaign_id}/edit?lang=fi",
                             data={**fields, "etag": etag, **_form(mailing_list.id, fi_subject="Terve {first_name}")})
    assert stale.status_code == 409 and 'id="name-error"' in stale.text
    assert 'value="Moi {first_name}"' in stale.text  # what is stored now, to start again from
    with Session(engine) as s:
        assert s.get(Campaign, campaign_id).templates["fi"]["subject"] == "Moi {first_name}"
