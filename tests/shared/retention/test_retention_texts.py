"""One source for retention: the periods and actions an access answer and the privacy notice state
come from the retention policy (policy.toml and its overrides), the same one the sweep runs by."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from shared.notice.config import current_config
from shared.notice.render import records_of_processing, render
from shared.retention.policy import DEFAULT_FILE, current_policy
from shared.i18n import TEXTS
from shared.retention.texts import ANSWER, NOTICE
from shared.settings import get_settings
from shared.subject_requests import notice as answer_notice
from shared.subject_requests.access_export import answer_document
from shared.subject_requests.answer_html import render_answer

PERSON = {"contact": {"first_name": "Maija", "provenance": {"purposes": ["sales_marketing"],
                                                            "legal_basis": "customer_relationship",
                                                            "source": "data_subject"}},
          "company": {"name": "Kone Oy", "status": "prospect"},
          "web_events": {"events": []}, "feedback": [], "access_log": [], "subject_requests": []}


@pytest.fixture
def overrides(monkeypatch):
    def apply(values: dict) -> None:
        monkeypatch.setenv("REKISTERI_RETENTION_OVERRIDES", json.dumps(values))
        get_settings.cache_clear()

    yield apply
    monkeypatch.delenv("REKISTERI_RETENTION_OVERRIDES", raising=False)
    get_settings.cache_clear()


def _document(language: str) -> dict:
    """The access answer's document, as the export job builds it."""
    request = SimpleNamespace(id=uuid.uuid4(), received_at=datetime(2026, 11, 1, tzinfo=UTC), verified_at=None)
    return answer_document(PERSON, request=request, language=language, generated_at=datetime.now(UTC))


def _answer(language: str) -> dict:
    return _document(language)["sections"]


def _notice(language: str) -> str:
    markdown, _ = render(current_config(), language=language, version=1, published=date(2026, 11, 25),
                         policy=current_policy(), partners=[], base_url="https://rekisteri.example",
                         privacy_email=None)
    return markdown


def test_the_defaults_read_as_before():
    sections = _answer("en")
    assert (sections["contact"]["retention"], sections["web_events"]["retention"],
            sections["feedback"]["retention"], sections["access_log"]["retention"]) == (
        "24 months after the last interaction", "14 months", "36 months", "24 months")
    assert sections["subject_requests"]["retention"].endswith("who asked: 36 months after the request was "
                                                              "finished, then anonymised")
    assert "Identifiable behaviour on the websites: 14 months, then it is anonymised." in _notice("en")


@pytest.mark.parametrize(("language", "answer_web", "answer_contact", "notice_web", "notice_prospects"), [
    ("fi", "9 kuukautta", "18 kuukautta viimeisestä yhteydenpidosta",
     "Tunnistettavat verkkokäyttäytymistiedot: 9 kuukautta, sitten ne poistetaan.",
     "Mahdollisten asiakkaiden yhteyshenkilöt: 18 kuukautta viimeisestä yhteydenpidosta"),
    ("sv", "9 månader", "18 månader efter den senaste kontakten",
     "Identifierbara uppgifter om beteende på webbplatserna: 9 månader, sedan raderas de.",
     "Kontaktpersoner hos potentiella kunder: 18 månader efter den senaste kontakten"),
    ("en", "9 months", "18 months after the last interaction",
     "Identifiable behaviour on the websites: 9 months, then it is erased.",
     "Contact persons of prospective clients: 18 months after the last interaction"),
])
def test_changing_the_policy_changes_the_answer_and_the_notice(overrides, language, answer_web, answer_contact,
                                                               notice_web, notice_prospects):
    before_answer, before_notice = _answer(language), _notice(language)
    overrides({"web_events": {"period": "9 months", "action": "erase"}, "prospects": "18 months",
               "feedback": "2 years"})

    sections = _answer(language)
    assert sections["web_events"]["retention"] == answer_web != before_answer["web_events"]["retention"]
    assert sections["contact"]["retention"] == answer_contact
    assert sections["feedback"]["retention"] == {"fi": "2 vuotta", "sv": "2 år", "en": "2 years"}[language]
    html = render_answer(_document(language), language=language)
    assert answer_web in html and answer_contact in html
    markdown = _notice(language)
    assert notice_web in markdown and notice_web not in before_notice and notice_prospects in markdown
    record = records_of_processing(current_config(), language=language, policy=current_policy(), partners=[],
                                   privacy_email=None)
    assert {r["rule"]: r["text"] for r in record["retention"]}["web_events"] == notice_web


def test_a_policy_file_replaces_the_texts_too(monkeypatch, tmp_path):
    source = DEFAULT_FILE.read_text()
    policy_file = tmp_path / "policy.toml"
    changed = source.replace('period = "36 months"\naction = "anonymize"\n\n[import_files]',
                             'period = "5 years"\naction = "anonymize"\n\n[import_files]')
    assert changed != source
    policy_file.write_text(changed)
    monkeypatch.setenv("REKISTERI_RETENTION_POLICY_FILE", str(policy_file))
    get_settings.cache_clear()
    try:
        assert "who asked: 5 years after the request was finished" in _answer("en")["subject_requests"]["retention"]
        assert "who asked, 5 years after the request was finished." in _notice("en")
    finally:
        monkeypatch.delenv("REKISTERI_RETENTION_POLICY_FILE")
        get_settings.cache_clear()


def test_every_text_names_a_rule_of_the_policy_in_every_language():
    rules = set(current_policy())
    assert set(NOTICE) <= rules and {rule for rule in ANSWER.values() if rule} <= rules
    for key in ANSWER:
        assert set(TEXTS[f"retention.answer.{key}"]) == {"fi", "sv", "en"}
    for rule in NOTICE:
        assert set(TEXTS[f"retention.notice.{rule}"]) == {"fi", "sv", "en"}
    used = {key for *_, key in answer_notice.CATEGORIES.values() if key}
    assert used <= set(ANSWER)  # every category's retention key has a text
