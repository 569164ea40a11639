"""The one table of texts: every entry in fi, sv and en; languages chosen as a page would; dates."""

import datetime as dt

import pytest

from shared.i18n import LANGUAGES, TEXTS, choose_language, format_date, format_datetime, label, t


def test_every_text_has_every_language_and_no_empty_one():
    missing = [(key, lang) for key, entry in TEXTS.items() for lang in LANGUAGES if not entry.get(lang, "").strip()]
    assert missing == []
    extra = [(key, set(entry) - set(LANGUAGES)) for key, entry in TEXTS.items() if set(entry) - set(LANGUAGES)]
    assert extra == []


def test_text_and_label_lookup():
    assert t("common.language_name", "sv") == "svenska"
    assert label("language", "en", "fi") == "englanti"
    with pytest.raises(KeyError):
        t("no.such.key", "fi")


@pytest.mark.parametrize(("query", "header", "expected"), [
    ("sv", "en-GB,en;q=0.9", "sv"),
    (None, "en-GB,en;q=0.9,fi;q=0.8", "en"),
    (None, "de-DE,sv;q=0.5,en;q=0.7", "en"),
    (None, "de-DE", "fi"),
    ("xx", None, "fi"),
    (None, "fi;q=0, sv", "sv"),
])
def test_choose_language(query, header, expected):
    assert choose_language(query, header) == expected


def test_one_date_format_per_language_in_helsinki_time():
    moment = dt.datetime(2027, 1, 6, 4, 26, tzinfo=dt.timezone.utc)  # 6.26 in Helsinki (UTC+2)
    assert format_datetime(moment, "fi") == "6.1.2027 klo 6.26"
    assert format_datetime(moment, "sv") == "6.1.2027 kl. 6.26"
    assert format_datetime(moment, "en") == "6 January 2027 at 06:26"
    assert format_date(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone.utc), "fi") == "1.1.2027"
    assert format_date(dt.date(2027, 1, 6), "en") == "6 January 2027"
