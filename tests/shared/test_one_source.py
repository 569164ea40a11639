"""Settings and constants do what they say, from one source each: REKISTERI_NOTIFIER_MAX_ATTEMPTS
for every message (transactional mail too), REKISTERI_JOB_MAX_ATTEMPTS for jobs, one bulk
priority, the controller's address from its one constant."""

from __future__ import annotations

import pytest

from shared.jobs import kinds
from shared.jobs.service import create_job
from shared.models import EmailCategory
from shared.outbox.service import BULK_PRIORITY, TRANSACTIONAL_PRIORITY, enqueue_email, priority_of
from shared.settings import get_settings
from shared.subject_requests import answer_html, messages
from shared.subject_requests.notice import CONTROLLER


@pytest.fixture
def settings(monkeypatch):
    monkeypatch.setenv("REKISTERI_NOTIFIER_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("REKISTERI_JOB_MAX_ATTEMPTS", "2")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_every_message_and_job_takes_its_attempts_from_the_settings(session, settings):
    for category in (EmailCategory.transactional, EmailCategory.marketing):
        message = enqueue_email(session, to_address="a@example.fi", from_address="r@jetmasters.example",
                                subject="s", body_text="b", category=category)
        assert message.max_attempts == 3, category
    assert create_job(session, kind=kinds.SELFTEST).max_attempts == 2
    assert create_job(session, kind=kinds.SELFTEST, max_attempts=4).max_attempts == 4


def test_one_bulk_priority():
    assert priority_of(EmailCategory.transactional) == TRANSACTIONAL_PRIORITY < BULK_PRIORITY
    assert {priority_of(c) for c in EmailCategory if c != EmailCategory.transactional} == {BULK_PRIORITY}


def test_the_controllers_address_comes_from_its_constant():
    for language in ("fi", "sv", "en"):
        assert CONTROLLER["address"] in messages.render("no_data", language)[1]
        assert CONTROLLER["address"] in answer_html.readme(language, CONTROLLER)
        assert CONTROLLER["business_id"] in answer_html.readme(language, CONTROLLER)
