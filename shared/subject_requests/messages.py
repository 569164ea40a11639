"""What the subject is told, in their language (fi, sv, en). Sent through the outbox as
transactional mail: `Auto-Submitted: auto-generated`, never an unsubscribe header, and never
stopped by an objection (it is about the person's own request)."""

from __future__ import annotations

from sqlmodel import Session

from shared.models import Contact, EmailCategory, EmailMessage, Language, SubjectRequest
from shared.outbox.service import enqueue_email
from shared.settings import get_settings
from shared.i18n import t
from shared.subject_requests.tracking import centre_url, status_link

COMPLAINT = {
    "fi": "Sinulla on oikeus tehdä valitus tietosuojavaltuutetulle (tietosuoja.fi).",
    "sv": "Du har rätt att lämna in klagomål till dataombudsmannen (tietosuoja.fi).",
    "en": "You have the right to lodge a complaint with the Data Protection Ombudsman (tietosuoja.fi).",
}

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "verify": {
        "fi": ("Vahvista pyyntösi", "Saimme pyynnön ({kind}). Vahvista se tästä linkistä {hours} tunnin kuluessa:\n{link}\n\nJos et tehnyt pyyntöä, voit jättää tämän viestin huomiotta."),
        "sv": ("Bekräfta din begäran", "Vi har tagit emot en begäran ({kind}). Bekräfta den via länken inom {hours} timmar:\n{link}\n\nOm du inte gjort begäran kan du bortse från meddelandet."),
        "en": ("Confirm your request", "We received a request ({kind}). Confirm it with this link within {hours} hours:\n{link}\n\nIf you did not make it, you can ignore this message."),
    },
    "received": {
        "fi": ("Pyyntösi on vastaanotettu", "Pyyntösi ({kind}) on vastaanotettu. Vastaamme viimeistään {due}."),
        "sv": ("Din begäran har tagits emot", "Din begäran ({kind}) har tagits emot. Vi svarar senast {due}."),
        "en": ("Your request was received", "Your request ({kind}) was received. We will answer by {due} at the latest."),
    },
    "objection_confirmed": {
        "fi": ("Vastustuksesi on kirjattu", "Olemme kirjanneet vastustuksesi ({scope}). Se on voimassa heti."),
        "sv": ("Din invändning har registrerats", "Vi har registrerat din invändning ({scope}). Den gäller omedelbart."),
        "en": ("Your objection is recorded", "We have recorded your objection ({scope}). It is in effect now."),
    },
    "restriction_confirmed": {
        "fi": ("Käsittelyn rajoitus on voimassa", "Tietojesi käsittelyä on rajoitettu. Kerromme ennen kuin rajoitus poistetaan."),
        "sv": ("Begränsningen gäller", "Behandlingen av dina uppgifter har begränsats. Vi meddelar dig innan begränsningen hävs."),
        "en": ("Processing is restricted", "Processing of your data is now restricted. We will tell you before the restriction is lifted."),
    },
    "restriction_lifting": {
        "fi": ("Käsittelyn rajoitus poistuu", "Tietojesi käsittelyn rajoitus poistetaan. Syy: {reason}\n\n" + COMPLAINT["fi"]),
        "sv": ("Begränsningen hävs", "Begränsningen av behandlingen av dina uppgifter hävs. Orsak: {reason}\n\n" + COMPLAINT["sv"]),
        "en": ("The restriction will be lifted", "The restriction of processing your data will be lifted. Reason: {reason}\n\n" + COMPLAINT["en"]),
    },
    "export_ready": {
        "fi": ("Tietosi ovat ladattavissa", "Kopio tiedoistasi on ladattavissa {expires} asti:\n{link}"),
        "sv": ("Dina uppgifter kan laddas ner", "En kopia av dina uppgifter kan laddas ner till och med {expires}:\n{link}"),
        "en": ("Your data is ready", "A copy of your data can be downloaded until {expires}:\n{link}"),
    },
    "no_data": {
        "fi": ("Vastaus pyyntöösi", "Rekisterissämme ei ole sinua koskevia tietoja."),
        "sv": ("Svar på din begäran", "Vårt register innehåller inga uppgifter om dig."),
        "en": ("Answer to your request", "Our register holds no data about you."),
    },
    "erasure_done": {
        "fi": ("Tietosi on poistettu", "Tietosi on poistettu rekisteristämme. Säilytämme vain suojatun tunnisteen sähköpostiosoitteestasi, jottei sitä lisätä markkinointiin uudelleen.{exceptions}"),
        "sv": ("Dina uppgifter har raderats", "Dina uppgifter har raderats ur vårt register. Vi behåller endast en skyddad kod av din e-postadress så att den inte läggs till i marknadsföring igen.{exceptions}"),
        "en": ("Your data was erased", "Your data was erased from our register. We keep only a protected code of your email address so that it is never added to marketing again.{exceptions}"),
    },
    "rectification_done": {
        "fi": ("Tietosi on korjattu", "Olemme korjanneet tietosi: {fields}."),
        "sv": ("Dina uppgifter har rättats", "Vi har rättat dina uppgifter: {fields}."),
        "en": ("Your data was corrected", "We corrected your data: {fields}."),
    },
    "rejected": {
        "fi": ("Vastaus pyyntöösi", "Emme voi toteuttaa pyyntöäsi. Syy: {reason}\n\n" + COMPLAINT["fi"]),
        "sv": ("Svar på din begäran", "Vi kan inte tillmötesgå din begäran. Orsak: {reason}\n\n" + COMPLAINT["sv"]),
        "en": ("Answer to your request", "We cannot fulfil your request. Reason: {reason}\n\n" + COMPLAINT["en"]),
    },
    "extended": {
        "fi": ("Pyyntösi käsittely jatkuu", "Tarvitsemme lisäaikaa {due} asti. Syy: {reason}\n\n" + COMPLAINT["fi"]),
        "sv": ("Handläggningen förlängs", "Vi behöver mer tid, till och med {due}. Orsak: {reason}\n\n" + COMPLAINT["sv"]),
        "en": ("Your request needs more time", "We need more time, until {due}. Reason: {reason}\n\n" + COMPLAINT["en"]),
    },
}
SIGNATURE = {
    "fi": "\n\nYstävällisin terveisin\nJetmasters Oy, Pakkastie 5, 87100 Kajaani",
    "sv": "\n\nMed vänliga hälsningar\nJetmasters Oy, Pakkastie 5, 87100 Kajaani",
    "en": "\n\nKind regards\nJetmasters Oy, Pakkastie 5, 87100 Kajaani",
}


def render(template: str, language: Language | str, **values: str) -> tuple[str, str]:
    lang = Language(language).value
    subject, body = TEMPLATES[template][lang]
    return subject, body.format(**values) + SIGNATURE[lang]


def send_request_email(session: Session, *, request: SubjectRequest, template: str, to: str | None = None,
                       **values: str) -> EmailMessage | None:
    """Queue the message about this request in the caller's transaction; None if there is no
    address to send to (a request by letter without an email)."""
    values.setdefault("kind", request.kind.value)
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
