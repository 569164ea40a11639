"""Texts about retention (shared/retention/texts.py fills in the period and action of each rule of
the retention policy): the privacy notice's section 7 and the "retention" of each category of an
access answer."""

TEXTS = {
    "retention.action.erase": {
        "fi": "poistetaan",
        "sv": "raderas",
        "en": "erased",
    },
    "retention.action.anonymize": {
        "fi": "anonymisoidaan",
        "sv": "anonymiseras",
        "en": "anonymised",
    },
    "retention.notice.prospects": {
        "fi": "Mahdollisten asiakkaiden yhteyshenkilöt: {period} viimeisestä yhteydenpidosta, sitten tiedot "
              "{action}.",
        "sv": "Kontaktpersoner hos potentiella kunder: {period} efter den senaste kontakten, sedan {action} "
              "uppgifterna.",
        "en": "Contact persons of prospective clients: {period} after the last interaction, then the data is "
              "{action}.",
    },
    "retention.notice.former_customers": {
        "fi": "Asiakkaiden yhteyshenkilöt: asiakassuhteen ajan ja {period} sen päättymisestä, sitten tiedot "
              "{action}.",
        "sv": "Kontaktpersoner hos kunder: under kundförhållandet och {period} efter att det upphört, sedan "
              "{action} uppgifterna.",
        "en": "Contact persons of clients: for the client relationship and {period} after it ends, then the data "
              "is {action}.",
    },
    "retention.notice.web_events": {
        "fi": "Tunnistettavat verkkokäyttäytymistiedot: {period}, sitten ne {action}.",
        "sv": "Identifierbara uppgifter om beteende på webbplatserna: {period}, sedan {action} de.",
        "en": "Identifiable behaviour on the websites: {period}, then it is {action}.",
    },
    "retention.notice.feedback": {
        "fi": "Asiakaspalaute: {period}, sitten se {action}.",
        "sv": "Kundrespons: {period}, sedan {action} den.",
        "en": "Customer feedback: {period}, then it is {action}.",
    },
    "retention.notice.access_log": {
        "fi": "Loki siitä, kuka tietoja katseli: {period}.",
        "sv": "Logg över vem som visade uppgifterna: {period}.",
        "en": "The log of who read the data: {period}.",
    },
    "retention.notice.finished_requests": {
        "fi": "Rekisteröityjen pyyntöjen käsittelytiedot: pyytäjän tiedot {period} pyynnön valmistumisesta.",
        "sv": "Uppgifter om behandlingen av registrerades begäranden: den som begärde, {period} efter att "
              "begäran slutförts.",
        "en": "Records of data subjects' requests: who asked, {period} after the request was finished.",
    },
    "retention.notice.access_exports": {
        "fi": "Tarkastuspyynnön vastaus ladattavana: {period}.",
        "sv": "Svaret på en begäran om tillgång kan laddas ned i {period}.",
        "en": "The answer to an access request can be downloaded for {period}.",
    },
    "retention.answer.prospect": {
        "fi": "{period} viimeisestä yhteydenpidosta",
        "sv": "{period} efter den senaste kontakten",
        "en": "{period} after the last interaction",
    },
    "retention.answer.customer": {
        "fi": "Asiakassuhteen ajan ja {period} sen päättymisestä",
        "sv": "Under kundförhållandet och {period} efter att det upphört",
        "en": "For the customer relationship and {period} after it ends",
    },
    "retention.answer.former_customer": {
        "fi": "{period} asiakassuhteen päättymisestä",
        "sv": "{period} efter att kundförhållandet upphörde",
        "en": "{period} after the customer relationship ended",
    },
    "retention.answer.web_events": {
        "fi": "{period}",
        "sv": "{period}",
        "en": "{period}",
    },
    "retention.answer.feedback": {
        "fi": "{period}",
        "sv": "{period}",
        "en": "{period}",
    },
    "retention.answer.access_log": {
        "fi": "{period}",
        "sv": "{period}",
        "en": "{period}",
    },
    "retention.answer.requests": {
        "fi": "Pyyntö ja sen käsittely niin kauan kuin on tarpeen sen osoittamiseksi, miten pyyntö käsiteltiin; "
              "pyytäjän tiedot {period} pyynnön valmistumisesta, sitten ne {action}",
        "sv": "Begäran och dess behandling så länge det behövs för att visa hur den behandlades; uppgifterna om "
              "den som begärde {period} efter att begäran slutförts, sedan {action} de",
        "en": "The request and its handling as long as needed to show how it was handled; who asked: {period} "
              "after the request was finished, then {action}",
    },
    "retention.answer.import_file": {
        "fi": "Kunnes tuonti on käsitelty; epäonnistuneen tuonnin tiedosto {action}, kun {period} on kulunut",
        "sv": "Tills inläsningen har behandlats; filen från en misslyckad inläsning {action} efter {period}",
        "en": "Until the import is processed; a failed import's file is {action} after {period}",
    },
    "retention.answer.with_record": {
        "fi": "Niin kauan kuin tiedot, joita ne koskevat",
        "sv": "Så länge som uppgifterna de gäller",
        "en": "As long as the record they concern",
    },
    "retention.answer.suppression": {
        "fi": "Pysyvästi, jotta markkinointikieltoa noudatetaan (vain suojattu tunniste)",
        "sv": "Permanent, så att förbudet mot marknadsföring respekteras (endast en skyddad kod)",
        "en": "Permanently, so that the objection to marketing is honoured (a protected code only)",
    },
}
