"""Texts of the mails a data subject receives: answers to their requests (shared/subject_requests/
messages.py) and what the register adds to a campaign message (shared/campaigns/render.py).

Codes reach these texts only as labels (`label(...)`), and each label stands as a noun after a
colon ("Pyyntö: tietojen tarkastus"); dates come from `format_date` / `format_datetime`.
"""

_COMPLAINT = {
    "fi": "Sinulla on oikeus tehdä valitus valvontaviranomaiselle: Tietosuojavaltuutetun toimisto, tietosuoja.fi.",
    "sv": "Du har rätt att lämna in ett klagomål till tillsynsmyndigheten: Dataombudsmannens byrå, tietosuoja.fi.",
    "en": "You have the right to lodge a complaint with the supervisory authority: the Office of the Data "
          "Protection Ombudsman, tietosuoja.fi.",
}


def _with_complaint(texts: dict[str, str]) -> dict[str, str]:
    return {lang: f"{text}\n\n{_COMPLAINT[lang]}" for lang, text in texts.items()}


TEXTS = {
    "mail.complaint": _COMPLAINT,
    "mail.signature": {"fi": "Ystävällisin terveisin\n{controller}, {address}",
                       "sv": "Med vänliga hälsningar\n{controller}, {address}",
                       "en": "Kind regards\n{controller}, {address}"},
    "mail.nothing": {"fi": "ei mitään", "sv": "inga", "en": "none"},

    "mail.verify.subject": {"fi": "Vahvista pyyntösi", "sv": "Bekräfta din begäran", "en": "Confirm your request"},
    "mail.verify.body": {
        "fi": "Saimme pyynnön, joka koskee tietojasi.\nPyyntö: {kind}\n\nVahvista pyyntö tästä linkistä {hours} tunnin "
              "kuluessa:\n{link}\n\nJos et tehnyt pyyntöä, voit jättää tämän viestin huomiotta.",
        "sv": "Vi har tagit emot en begäran som gäller dina uppgifter.\nBegäran: {kind}\n\nBekräfta begäran via länken "
              "inom {hours} timmar:\n{link}\n\nOm du inte har gjort begäran kan du bortse från det här meddelandet.",
        "en": "We received a request about your data.\nRequest: {kind}\n\nConfirm it with this link within {hours} "
              "hours:\n{link}\n\nIf you did not make it, you can ignore this message."},
    "mail.received.subject": {"fi": "Pyyntösi on vastaanotettu", "sv": "Din begäran har tagits emot",
                              "en": "Your request was received"},
    "mail.received.body": {
        "fi": "Olemme vastaanottaneet pyyntösi.\nPyyntö: {kind}\n\nVastaamme viimeistään {due}.",
        "sv": "Vi har tagit emot din begäran.\nBegäran: {kind}\n\nVi svarar senast {due}.",
        "en": "We have received your request.\nRequest: {kind}\n\nWe will answer by {due} at the latest."},
    "mail.objection_confirmed.subject": {"fi": "Vastustuksesi on kirjattu", "sv": "Din invändning har registrerats",
                                         "en": "Your objection is recorded"},
    "mail.objection_confirmed.body": {
        "fi": "Olemme kirjanneet, että vastustat tietojesi käsittelyä.\nVastustus koskee: {scope}\n\n"
              "Vastustus on voimassa heti.",
        "sv": "Vi har registrerat din invändning mot behandlingen av dina uppgifter.\nInvändningen gäller: {scope}\n\n"
              "Invändningen gäller omedelbart.",
        "en": "We have recorded your objection to the processing of your data.\nThe objection concerns: {scope}\n\n"
              "It is in effect now."},
    "mail.restriction_confirmed.subject": {"fi": "Käsittelyn rajoitus on voimassa", "sv": "Begränsningen gäller",
                                           "en": "Processing is restricted"},
    "mail.restriction_confirmed.body": {
        "fi": "Tietojesi käsittelyä on rajoitettu. Kerromme sinulle ennen kuin rajoitus poistetaan.",
        "sv": "Behandlingen av dina uppgifter har begränsats. Vi meddelar dig innan begränsningen hävs.",
        "en": "Processing of your data is now restricted. We will tell you before the restriction is lifted."},
    "mail.restriction_lifting.subject": {"fi": "Käsittelyn rajoitus poistuu", "sv": "Begränsningen hävs",
                                         "en": "The restriction will be lifted"},
    "mail.restriction_lifting.body": _with_complaint({
        "fi": "Tietojesi käsittelyn rajoitus poistetaan.\nSyy: {reason}",
        "sv": "Begränsningen av behandlingen av dina uppgifter hävs.\nOrsak: {reason}",
        "en": "The restriction of processing your data will be lifted.\nReason: {reason}"}),
    "mail.export_ready.subject": {"fi": "Tietosi ovat ladattavissa", "sv": "Dina uppgifter kan laddas ner",
                                  "en": "Your data is ready"},
    "mail.export_ready.body": {
        "fi": "Kopio tiedoistasi on ladattavissa tästä linkistä:\n{link}\n\nLinkki toimii {expires} asti.",
        "sv": "En kopia av dina uppgifter kan laddas ner via den här länken:\n{link}\n\nLänken fungerar fram till "
              "{expires}.",
        "en": "A copy of your data can be downloaded with this link:\n{link}\n\nThe link works until {expires}."},
    "mail.no_data.subject": {"fi": "Vastaus pyyntöösi", "sv": "Svar på din begäran", "en": "Answer to your request"},
    "mail.no_data.body": {"fi": "Rekisterissämme ei ole sinua koskevia tietoja.",
                          "sv": "Vårt register innehåller inga uppgifter om dig.",
                          "en": "Our register holds no data about you."},
    "mail.erasure_done.subject": {"fi": "Tietosi on poistettu", "sv": "Dina uppgifter har raderats",
                                  "en": "Your data was erased"},
    "mail.erasure_done.body": {
        "fi": "Tietosi on poistettu rekisteristämme. Säilytämme vain suojatun tunnisteen sähköpostiosoitteestasi, "
              "jottei sitä lisätä markkinointiin uudelleen.{exceptions}",
        "sv": "Dina uppgifter har raderats ur vårt register. Vi behåller endast en skyddad kod av din e-postadress så "
              "att den inte läggs till i marknadsföringen igen.{exceptions}",
        "en": "Your data was erased from our register. We keep only a protected code of your email address so that "
              "it is never added to marketing again.{exceptions}"},
    "mail.erasure_done.kept": {
        "fi": "\n\nSeuraavat tiedot säilytetään, koska laki tai oikeudellinen vaatimus edellyttää sitä:\n{kept}",
        "sv": "\n\nFöljande uppgifter bevaras eftersom lagen eller ett rättsligt anspråk kräver det:\n{kept}",
        "en": "\n\nThe following data is kept because the law or a legal claim requires it:\n{kept}"},
    "mail.erasure_done.kept_item": {"fi": "– {what}. Peruste: {reason}", "sv": "– {what}. Grund: {reason}",
                                    "en": "– {what}. Ground: {reason}"},
    "mail.rectification_done.subject": {"fi": "Tietosi on korjattu", "sv": "Dina uppgifter har rättats",
                                        "en": "Your data was corrected"},
    "mail.rectification_done.body": {
        "fi": "Olemme korjanneet tietosi pyyntösi mukaisesti.\nKorjatut tiedot: {changed}",
        "sv": "Vi har rättat dina uppgifter enligt din begäran.\nRättade uppgifter: {changed}",
        "en": "We have corrected your data as you asked.\nCorrected: {changed}"},
    "mail.rectification_partial.subject": {"fi": "Vastaus oikaisupyyntöösi", "sv": "Svar på din begäran om rättelse",
                                           "en": "Answer to your request for rectification"},
    "mail.rectification_partial.body": _with_complaint({
        "fi": "Olemme käsitelleet pyyntösi tietojesi oikaisemisesta. Korjasimme tiedot vain osittain.\n\n"
              "Korjatut tiedot: {changed}\nTiedot, joita emme korjanneet: {refused}\nSyy: {reason}",
        "sv": "Vi har behandlat din begäran om rättelse av dina uppgifter. Vi rättade uppgifterna endast delvis.\n\n"
              "Rättade uppgifter: {changed}\nUppgifter som vi inte rättade: {refused}\nOrsak: {reason}",
        "en": "We have handled your request to rectify your data. We corrected it only in part.\n\n"
              "Corrected: {changed}\nNot corrected: {refused}\nReason: {reason}"}),
    "mail.rejected.subject": {"fi": "Vastaus pyyntöösi", "sv": "Svar på din begäran", "en": "Answer to your request"},
    "mail.rejected.body": _with_complaint({
        "fi": "Emme voi toteuttaa pyyntöäsi.\nPyyntö: {kind}\nSyy: {reason}",
        "sv": "Vi kan inte tillmötesgå din begäran.\nBegäran: {kind}\nOrsak: {reason}",
        "en": "We cannot fulfil your request.\nRequest: {kind}\nReason: {reason}"}),
    "mail.extended.subject": {"fi": "Pyyntösi käsittely jatkuu", "sv": "Handläggningen av din begäran förlängs",
                              "en": "Your request needs more time"},
    "mail.extended.body": _with_complaint({
        "fi": "Tarvitsemme lisäaikaa pyyntösi käsittelyyn.\nPyyntö: {kind}\nVastaamme viimeistään {due}.\n"
              "Syy: {reason}",
        "sv": "Vi behöver mer tid för att behandla din begäran.\nBegäran: {kind}\nVi svarar senast {due}.\n"
              "Orsak: {reason}",
        "en": "We need more time to handle your request.\nRequest: {kind}\nWe will answer by {due} at the latest.\n"
              "Reason: {reason}"}),

    # What the register adds to every campaign message (shared/campaigns/render.py).
    "mail.campaign.opt_out.marketing": {
        "fi": "Etkö halua enää markkinointiviestejämme? Kiellä ne maksutta yhdellä napsautuksella:",
        "sv": "Vill du inte längre få vår marknadsföring? Avsluta den kostnadsfritt med ett klick:",
        "en": "Don't want our marketing any more? Opt out free of charge with one click:"},
    "mail.campaign.opt_out.research": {
        "fi": "Etkö halua osallistua markkina- ja mielipidetutkimuksiin? Kiellä ne maksutta yhdellä napsautuksella:",
        "sv": "Vill du inte delta i marknads- och opinionsundersökningar? Avsluta dem kostnadsfritt med ett klick:",
        "en": "Don't want to take part in market and opinion research? Opt out free of charge with one click:"},
    "mail.campaign.sender": {"fi": "Lähettäjä", "sv": "Avsändare", "en": "Sender"},
    "mail.campaign.on_behalf": {
        "fi": "Viesti lähetetään asiakas- ja markkinointirekisteristä, jonka rekisterinpitäjä on {controller}.",
        "sv": "Meddelandet skickas från kund- och marknadsföringsregistret hos {controller}.",
        "en": "This message is sent from the customer and marketing register of {controller}."},
    "mail.campaign.source_notice": {
        "fi": "Yhteystietosi on saatu rekisteriimme muualta kuin sinulta itseltäsi.\nRekisterinpitäjä: {controller}\n"
              "Lähde: {source}{received}\nSinulla on oikeus milloin tahansa kieltää maksutta tietojesi käsittely "
              "suoramarkkinointia sekä markkina- ja mielipidetutkimuksia varten:",
        "sv": "Dina kontaktuppgifter har kommit till vårt register från någon annan än dig själv.\n"
              "Personuppgiftsansvarig: {controller}\nKälla: {source}{received}\nDu har rätt att när som helst och "
              "kostnadsfritt förbjuda behandling av dina uppgifter för direktmarknadsföring samt marknads- och "
              "opinionsundersökningar:",
        "en": "Your contact details came to our register from someone other than you.\nController: {controller}\n"
              "Source: {source}{received}\nYou have the right to object at any time, free of charge, to the use of "
              "your data for direct marketing and for market and opinion research:"},
    "mail.campaign.source_received": {"fi": " (saatu {day})", "sv": " (mottagen {day})", "en": " (received {day})"},
}
