"""What the subject is told, in their language (fi, sv, en). Sent through the outbox as
transactional mail: `Auto-Submitted: auto-generated`, never an unsubscribe header, and never
stopped by an objection (it is about the person's own request)."""

from __future__ import annotations

from sqlmodel import Session

from shared.i18n import label, t
from shared.models import Contact, EmailCategory, EmailMessage, Language, SubjectRequest
from shared.outbox.service import enqueue_email
from shared.settings import get_settings
from shared.subject_requests.notice import CONTROLLER
from shared.subject_requests.tracking import centre_url, status_link

# The templates: each has `mail.<template>.subject` and `.body` in shared/i18n/mail.py.
TEMPLATES = ("verify", "received", "objection_confirmed", "restriction_confirmed", "restriction_lifting",
             "export_ready", "no_data", "erasure_done", "rectification_done", "rectification_partial", "rejected",
             "extended")


def render(template: str, language: Language | str, **values: str) -> tuple[str, str]:
    """(subject, body) of a template in the language, signed by the controller."""
    lang = Language(language).value
    signature = t("mail.signature", lang, controller=CONTROLLER["name"], address=CONTROLLER["address"])
    return t(f"mail.{template}.subject", lang), f"{t(f'mail.{template}.body', lang, **values)}\n\n{signature}"


def send_request_email(session: Session, *, request: SubjectRequest, template: str, to: str | None = None,
                       **values: str) -> EmailMessage | None:
    """Queue the message about this request in the caller's transaction; None if there is no
    address to send to (a request by letter without an email)."""
    values.setdefault("kind", label("request_kind", request.kind, request.language))
    return _send(session, to=to or request.email, language=request.language, template=template,
                 contact_id=request.contact_id, headers={"X-Rekisteri-Request": str(request.id)}, values=values,
                 link_line=t("centre.mail.status_link", request.language, link=status_link(request)))


def send_contact_email(session: Session, *, contact: Contact, template: str, **values: str) -> EmailMessage | None:
    """Queue a message to a contact about their own data (e.g. a restriction being lifted)."""
    return _send(session, to=contact.email, language=contact.language, template=template,
                 contact_id=contact.id, headers={}, values=values,
                 link_line=t("centre.mail.centre_link", contact.language,
                             link=centre_url("/privacy", lang=contact.language)))


def _send(session: Session, *, to: str | None, language: Language | str, template: str, contact_id: int | None,
          headers: dict[str, str], values: dict[str, str], link_line: str) -> EmailMessage | None:
    if not to:
        return None
    subject, body = render(template, language, **values)
    body = f"{body}\n\n{link_line}"  # the privacy centre's page about it, in the person's language
    return enqueue_email(
        session, to_address=to, from_address=get_settings().mail_from, subject=subject, body_text=body,
        category=EmailCategory.transactional, headers={"Auto-Submitted": "auto-generated", **headers},
        contact_id=contact_id,
    )
