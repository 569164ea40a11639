"""A campaign's messages are rendered when the notifier claims them, not when the audience is
built: the build writes each recipient's outbox row with its address, sender and subject, and
an empty body (body_text ''); the notifier reads the person's current name, company and language
and the campaign's templates (RENDER_FACTS_SQL) and renders the message right before it goes
(`ClaimRenderer`). The outbox then never holds a hundred thousand copies of the same letter, and
a name corrected between the build and the send is the corrected one in the message.

What may be sent is decided exactly as before: the send-time rule (shared/outbox/eligibility.py)
checks every claimed bulk message with its contact's row locked; a message that could not be
rendered (its person or recipient row gone) is never sent (services/notifier/feeding.py skips it).

`Renderer` is render() for many recipients of one campaign: each message shape (language, source
notice, list) rendered once with markers for the names, company and unsubscribe token, and each
recipient's message that shape with the markers replaced; tests compare it with render().
"""

from __future__ import annotations

import html
import uuid
from dataclasses import replace
from typing import Any

from sqlmodel import Session

from shared.campaigns.render import Person, Rendered, render
from shared.campaigns.unsubscribe import sign_token
from shared.models import EmailCategory, EmailMessage
from shared.models.campaigns import Campaign
from shared.outbox.service import ClaimedEmail
from shared.outbox.sql import execute

_FIRST, _LAST, _COMPANY = "\x01F\x01", "\x01L\x01", "\x01C\x01"
_MARKER_ID = 2**62


def _plain_name(value: str | None, *, required: bool) -> bool:
    """A name the markers can stand for: printable, no space at either end nor two in a row
    (render() folds the subject's spaces, also inside the HTML document's title)."""
    if not value:
        return not required
    return value.isprintable() and " ".join(value.split()) == value


class Renderer:
    """render() for many recipients of one campaign, at a fraction of its cost per message."""

    def __init__(self, campaign: Campaign):
        self.campaign, self.shapes = campaign, {}

    def _shape(self, key: tuple, person: Person, list_id: int | None, source_notice: bool):
        marked = replace(person, contact_id=_MARKER_ID, first_name=_FIRST, last_name=_LAST, company=_COMPANY)
        out = render(self.campaign, marked, list_id=list_id, source_notice=source_notice)
        marker = sign_token(campaign_id=self.campaign.id, contact_id=_MARKER_ID, list_id=list_id or 0)
        html_parts = None
        if out.body_html is not None:  # the title holds the folded subject: split the document around it
            title = f"<title>{html.escape(out.subject)}</title>"
            head, found, rest = out.body_html.partition(title)
            html_parts = (head, rest) if found and title not in rest else None
        self.shapes[key] = shape = (out, marker, html_parts)
        return shape

    def __call__(self, person: Person, *, list_id: int | None, source_notice: bool) -> Rendered:
        company = person.company or ""
        if not (_plain_name(person.first_name, required=True) and _plain_name(person.last_name, required=True)
                and _plain_name(company, required=False)):
            return render(self.campaign, person, list_id=list_id, source_notice=source_notice)
        key = (person.language, person.source, person.source_provider, person.source_received, list_id, source_notice)
        out, marker, html_parts = self.shapes.get(key) or self._shape(key, person, list_id, source_notice)
        if out.body_html is not None and html_parts is None:
            return render(self.campaign, person, list_id=list_id, source_notice=source_notice)
        token = sign_token(campaign_id=self.campaign.id, contact_id=person.contact_id, list_id=list_id or 0)
        plain = (person.first_name, person.last_name, company)

        def fill(text: str, names: tuple[str, str, str]) -> str:
            text = text.replace(marker, token)
            return text.replace(_FIRST, names[0]).replace(_LAST, names[1]).replace(_COMPANY, names[2])

        subject = " ".join(fill(out.subject, plain).split())
        body_html = None
        if html_parts is not None:
            escaped = tuple(html.escape(v) for v in plain)
            body_html = (fill(html_parts[0], escaped) + f"<title>{html.escape(subject)}</title>"
                         + fill(html_parts[1], escaped))
        return Rendered(
            language=out.language, from_address=out.from_address, subject=subject,
            body_text=fill(out.body_text, plain), body_html=body_html,
            headers={name: value.replace(marker, token) for name, value in out.headers.items()})


# What the notifier reads to render claimed campaign messages (psycopg style, %(name)s).
RENDER_FACTS_SQL = """
    SELECT r.email_id, r.campaign_id, r.list_id, r.source_notice, c.id AS contact_id, c.email, c.first_name,
           c.last_name, c.language, c.source, c.source_provider, c.source_received, co.name AS company
    FROM campaign_recipients r
    JOIN contacts c ON c.id = r.contact_id
    LEFT JOIN companies co ON co.id = c.company_id
    WHERE r.email_id = ANY(CAST(%(ids)s AS uuid[]))
"""
CAMPAIGNS_SQL = "SELECT * FROM campaigns WHERE id = ANY(CAST(%(ids)s AS integer[]))"


def needs_rendering(claimed: ClaimedEmail) -> bool:
    """A campaign message whose body is written at send time (the build leaves it empty)."""
    return claimed.campaign_id is not None and claimed.body_text == "" and claimed.category != "transactional"


class ClaimRenderer:
    """The notifier's renderer: one Renderer per campaign (a campaign's templates and sender no
    longer change once its audience is built, see shared/campaigns/service.py EDITABLE)."""

    def __init__(self) -> None:
        self.renderers: dict[int, Renderer] = {}

    def missing(self, campaign_ids: set[int]) -> list[int]:
        return sorted(i for i in campaign_ids if i not in self.renderers)

    def add_campaigns(self, rows) -> None:
        for row in rows:
            self.renderers[row.id] = Renderer(Campaign(**row._asdict()))

    def render(self, claimed: ClaimedEmail, facts: Any) -> ClaimedEmail | None:
        """The claimed message with its subject, body and headers (None: nothing to render it with)."""
        renderer = self.renderers.get(claimed.campaign_id)
        if facts is None or renderer is None or facts.campaign_id != claimed.campaign_id:
            return None
        person = Person(contact_id=facts.contact_id, email=facts.email, first_name=facts.first_name,
                        last_name=facts.last_name, company=facts.company, language=facts.language,
                        source=facts.source, source_provider=facts.source_provider,
                        source_received=facts.source_received)
        out = renderer(person, list_id=facts.list_id, source_notice=facts.source_notice)
        return replace(claimed, subject=out.subject, body_text=out.body_text, body_html=out.body_html,
                       headers=out.headers)


def render_stored(session: Session, *, email_id: uuid.UUID) -> ClaimedEmail | None:
    """A stored campaign message as the notifier renders it when it claims it (None: no such
    message, or its person or recipient row is gone, so it cannot be rendered nor sent)."""
    message = session.get(EmailMessage, email_id)
    facts = execute(session, RENDER_FACTS_SQL, {"ids": [email_id]}).first()
    if message is None or facts is None:
        return None
    renderer = ClaimRenderer()
    renderer.add_campaigns(execute(session, CAMPAIGNS_SQL, {"ids": [facts.campaign_id]}).all())
    claimed = ClaimedEmail(
        id=message.id, to_address=message.to_address, from_address=message.from_address, subject=message.subject,
        body_text=message.body_text, body_html=message.body_html, headers=dict(message.headers or {}),
        message_id=message.message_id, request_id=message.request_id, attempt=message.attempts + 1,
        category=EmailCategory(message.category).value, contact_id=message.contact_id, campaign_id=facts.campaign_id)
    return renderer.render(claimed, facts) if needs_rendering(claimed) else claimed
