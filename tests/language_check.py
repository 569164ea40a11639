"""One language per reader: a Finnish or Swedish text holds no bare code and no English word.

`assert_one_language(text, "fi")` fails with the offending words and their context when a
Finnish or Swedish text contains a code a person should never see (any code of the labels
table, `code.<kind>.<code>` in shared/i18n, e.g. `objection`, `customer_relationship`) or a
common English word that is not also a Finnish or Swedish word ("the", "request", "customer",
"sent" ...). URLs, email addresses, file and domain names and HTML tags are removed first;
`allowed` takes words that belong in the text anyway (a company's or a person's name).
An English text is checked for snake_case codes only (`sales_marketing`).
`visible_text(html)` gives the text a reader sees in an HTML page (no tags, scripts, styles).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from shared.i18n import TEXTS

# Common English words that are not Finnish or Swedish words (lower case).
ENGLISH_WORDS = frozenset("""
    the and or of to your you yours we our ours us they them their he she his her it its this that these those
    is are was were be been being has have had do does did done will would shall should can could may might must
    not no yes with from at by on in for as if than then there here when where why how what which who whom whose
    about after before into out over under until while again also only any each every all both either neither
    more most other some such own same just very please thank thanks dear regards kind hello
    request requests requested data link links email emails mail customer customers client clients sent send
    import imported contacts contact received receive answer answered reason reasons date dates time
    name names status source sources company companies message messages subject unsubscribe unsubscribed
    subscribe subscribed confirm confirmed confirmation mailing list lists marketing research erasure erased
    access rectification rectified restriction restricted objection objections consent consents privacy notice
    policy version days day hours hour month months year years due ready download downloaded expires expired
    new old last first none nothing something anything everything pending failed delivered cancelled
    completed rejected verified awaiting progress transfer deletion correction corrected phone website web
    page pages site visitor visitors event events feedback interaction interactions change changes changed
    history log sales meeting call purchase offering product products service services team staff role user
    users admin officer transactional direct prospect former owner recipient recipients processor withdrawn
    granted evidence channel letter person people record records file files field fields value values
    legal basis purpose purposes retention rights right complaint ombudsman office protection controller
    business id visit visits outcome scope kept keep held hold directory public sister stakeholder
    manual manually handled open closed skipped bounced deferred unknown
""".split())

# Words of the list above that are also words of the language (false friends), and codes
# that are words of the language: never flagged in that language.
NATIVE = {
    "fi": frozenset({"on", "me", "no", "se", "sen"}),
    "sv": frozenset({"in", "is", "for", "by", "men", "under", "hem", "en", "register", "system", "partner", "status",
                     "id", "person", "team", "service", "version", "text"}),
    "en": frozenset(),
}
# Tiny codes (fi, sv, en) collide with ordinary words and with the language names themselves.
CODES = frozenset(key.rsplit(".", 1)[1] for key in TEXTS if key.startswith("code.") and len(key.rsplit(".", 1)[1]) > 2)

_STRIP = [
    re.compile(r"<[^>]*>"),  # HTML tags
    re.compile(r"https?://\S+|www\.\S+"),  # URLs
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # email addresses
    re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:fi|se|com|org|net|eu|invalid|test|example|json|html|txt|csv|zip)\b",
               re.IGNORECASE),  # domain and file names (tietosuoja.fi, data.json)
]
# A run of letters touching a digit is part of an identifier or a number (a tag like "eb3be11f"),
# not a word a reader reads.
# Only whole runs are judged: a match may neither start nor end inside a longer run of letters
# (else "5abe" would yield "be", an English word, from a tag's last letters).
_LETTERS = "A-Za-z_ÅÄÖåäöÉéÜü"
_WORD = re.compile(rf"(?<![0-9{_LETTERS}])[{_LETTERS}]+(?![0-9{_LETTERS}])")


class _Visible(HTMLParser):
    """The text a reader sees: everything outside <script>, <style>, <head> metadata and tags."""

    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        for name, value in attrs:  # what a reader meets too: alternative texts, titles, labels
            if name in ("alt", "title", "aria-label", "placeholder") and value:
                self.parts.append(f" {value} ")
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of an HTML page as a reader sees it (tags, scripts and styles removed)."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def foreign_words(text: str, lang: str, *, allowed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The bare codes and English words in a text meant for `lang`, each with some context."""
    cleaned = text
    for pattern in _STRIP:
        cleaned = pattern.sub(" ", cleaned)
    native = NATIVE.get(lang, frozenset()) | {word.lower() for word in allowed}
    found: list[str] = []
    for match in _WORD.finditer(cleaned):
        word = match.group(0)
        lower = word.lower().strip("_")
        if not lower or lower in native:
            continue
        if lang == "en":
            bad = "_" in lower  # a snake_case word is a code whatever the language
        else:
            bad = lower in CODES or lower in ENGLISH_WORDS or "_" in lower
        if bad:
            start, end = max(0, match.start() - 40), min(len(cleaned), match.end() + 40)
            found.append(f"{word!r} in …{' '.join(cleaned[start:end].split())}…")
    return found


def assert_one_language(text: str, lang: str, *, allowed: set[str] | frozenset[str] = frozenset()) -> None:
    """Fail if a Finnish or Swedish text holds a bare code or an English word (see module doc)."""
    found = foreign_words(text, lang, allowed=allowed)
    assert not found, f"{lang} text has {len(found)} foreign word(s):\n  " + "\n  ".join(found)
