"""The privacy notice as it would be published now beside the published version, line by line
(difflib), for the privacy officer to read before publishing: what was added, removed or kept."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from shared import notice
from shared.models.partners import PrivacyNoticeVersion


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added" (only in the draft), "removed" (only in the published version)
    published: str | None  # the line as published (None: none on this side)
    draft: str | None


@dataclass(frozen=True)
class NoticeDiff:
    language: str
    published: PrivacyNoticeVersion | None  # None: nothing published yet
    lines: list[Line]

    @property
    def changed(self) -> bool:
        return any(line.kind != "same" for line in self.lines)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for line in self.lines if line.kind == kind) for kind in ("added", "removed")}


def compare(published: str, draft: str) -> list[Line]:
    """Side by side: equal lines once, a replaced run as removed lines and added lines."""
    old, new = published.splitlines(), draft.splitlines()
    lines: list[Line] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            lines.extend(Line("same", a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        lines.extend(Line("removed", a, None) for a in old[i1:i2])
        lines.extend(Line("added", None, b) for b in new[j1:j2])
    return lines


def notice_diff(session: Session, *, language: str, now: datetime | None = None) -> NoticeDiff:
    """The draft (Markdown) against the current published version in `language`."""
    draft = notice.draft(session, now=now)[language][0]
    published = notice.current_version(session)
    text = published.markdown.get(language, "") if published is not None else ""
    return NoticeDiff(language=language, published=published, lines=compare(text, draft))
