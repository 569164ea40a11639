"""The privacy notice's draft beside the published version: a line-by-line comparison."""

from __future__ import annotations

from datetime import date

from shared import notice
from shared.models import utcnow
from shared.models.partners import Partner
from shared.notice.diff import compare, notice_diff


def test_compare_keeps_equal_lines_and_shows_replaced_ones_as_removed_and_added():
    lines = compare("a\nb\nc\n", "a\nB\nc\nd")
    assert [(x.kind, x.published, x.draft) for x in lines] == [
        ("same", "a", "a"), ("removed", "b", None), ("added", None, "B"), ("same", "c", "c"), ("added", None, "d")]
    assert compare("", "") == []


def test_the_draft_differs_from_the_published_notice_by_a_new_partner(session):
    if notice.current_version(session) is None:
        notice.publish_first(session)
    unchanged = notice_diff(session, language="fi")
    assert unchanged.published is not None and unchanged.lines
    name = f"Kumppani Uusi {utcnow().microsecond} Oy"
    session.add(Partner(name=name, role="recipient", agreement_reference="S-9", agreement_signed_on=date(2026, 1, 1),
                        purposes=["billing"], fields=["email"], delivery="download"))
    session.flush()
    diff = notice_diff(session, language="sv")
    assert diff.changed and diff.counts["added"] >= 1
    assert any(line.kind == "added" and name in line.draft for line in diff.lines)
    assert not any(line.published and name in line.published for line in diff.lines)
