"""Texts of the answer to an access request (answer.html, README.txt and the rights in data.json)."""

from __future__ import annotations

from shared.i18n.languages import entries

UI = {
    "title": ("Vastaus tietojen tarkastuspyyntöön", "Svar på begäran om registerutdrag",
              "Answer to your request for access"),
    "intro": ("Tässä ovat kaikki sinua koskevat tiedot asiakas- ja markkinointirekisterissämme sekä se, miksi ja "
              "mistä ne on saatu ja kuinka kauan niitä säilytetään. Rekisterinpitäjä: {controller}. Samat tiedot "
              "ovat koneluettavassa muodossa tiedostossa data.json. Ajat ovat Suomen aikaa.",
              "Här finns alla uppgifter om dig i vårt kund- och marknadsföringsregister, varför och varifrån vi har "
              "fått dem och hur länge de sparas. Personuppgiftsansvarig: {controller}. Samma uppgifter finns i "
              "maskinläsbar form i filen data.json. Tiderna anges i finsk tid.",
              "These are all the data about you in our customer and marketing register, why and from where we have "
              "them and how long we keep them. Controller: {controller}. The same data is in machine-readable form "
              "in the file data.json. Times are Finnish time."),
    "generated": ("Laadittu", "Upprättat", "Prepared"),
    "request": ("Pyyntö vastaanotettu", "Begäran mottagen", "Request received"),
    "purposes": ("Käyttötarkoitukset", "Ändamål", "Purposes"),
    "legal_basis": ("Käsittelyperuste", "Rättslig grund", "Legal basis"),
    "source": ("Tietolähde", "Källa", "Source"),
    "retention": ("Säilytysaika", "Lagringstid", "Retention period"),
    "none": ("Ei tietoja.", "Inga uppgifter.", "None."),
    "rights": ("Oikeutesi", "Dina rättigheter", "Your rights"),
    "controller": ("Rekisterinpitäjä", "Personuppgiftsansvarig", "Controller"),
    "business_id": ("Y-tunnus", "FO-nummer", "Business ID"),
    "yes": ("kyllä", "ja", "yes"),
    "no": ("ei", "nej", "no"),
    "events_total": ("Tapahtumia yhteensä: {n}. Alla yhteenveto sivustoittain ja kuukausittain sekä {shown} uusinta; "
                     "kaikki ovat tiedostossa data.json.",
                     "Totalt {n} händelser. Nedan en sammanställning per webbplats och månad samt de {shown} senaste; "
                     "alla finns i filen data.json.",
                     "{n} events in all. Below, a summary per site and month and the latest {shown}; all of them are "
                     "in the file data.json."),
    "your_request": ("Pyyntösi", "Din begäran", "Your request"),
    "restriction_by_request": ("Pyysit käsittelyn rajoittamista", "Du begärde begränsning av behandlingen",
                               "You asked for the processing to be restricted"),
    "register_view": ("Rekisterin näkymä", "Registrets vy", "A view of the register"),
    "contact_point": ("Rekisteriasiat: rekisterin yhteyshenkilö, kirjallisesti yllä olevaan osoitteeseen.",
                      "Registerärenden: registrets kontaktperson, skriftligen till adressen ovan.",
                      "Register matters: the register's contact person, in writing to the address above."),
}
SECTIONS = {
    "contact": ("Yhteystietosi", "Dina kontaktuppgifter", "Your contact data"),
    "company": ("Yritys", "Företaget", "Company"),
    "consents": ("Suostumukset", "Samtycken", "Consents"),
    "objections": ("Vastustukset (suoramarkkinointi, tutkimus)", "Invändningar (direktmarknadsföring, undersökningar)",
                   "Objections (direct marketing, research)"),
    "restriction": ("Käsittelyn rajoitus", "Begränsning av behandling", "Restriction of processing"),
    "subscriptions": ("Postituslistat", "Utskickslistor", "Mailing lists"),
    "interactions": ("Yhteydenpito ja asiointi", "Kontakter och ärenden", "Interactions"),
    "web_events": ("Käynnit verkkosivustoillamme", "Besök på våra webbplatser", "Visits to our websites"),
    "feedback": ("Palautteet", "Respons", "Feedback"),
    "change_history": ("Tietojen muutoshistoria", "Ändringshistorik", "Change history"),
    "access_log": ("Kuka tietojasi on katsonut", "Vem har läst dina uppgifter", "Who has read your data"),
    "disclosures": ("Luovutukset kumppaneille ja viranomaisille", "Utlämnanden till partner och myndigheter",
                    "Disclosures to partners and authorities"),
    "emails": ("Sinulle lähetetyt viestit", "Meddelanden till dig", "Messages sent to you"),
    "campaigns": ("Sinulle lähetetyt kampanjat", "Kampanjer som skickats till dig", "Campaigns sent to you"),
    "subject_requests": ("Aiemmat pyyntösi", "Dina tidigare begäranden", "Your earlier requests"),
    "suppression": ("Markkinoinnin estolista", "Spärrlista för marknadsföring", "Marketing suppression list"),
    "import_files": ("Käsittelemättömät tuontitiedostot", "Obehandlade importfiler", "Import files not yet processed"),
}
# What became of an earlier request (the start of SubjectRequest.outcome -> a sentence).
OUTCOMES = {
    "objection recorded": ("Vastustus kirjattu", "Invändningen registrerad", "Objection recorded"),
    "processing restricted": ("Käsittelyä rajoitettu", "Behandlingen begränsad", "Processing restricted"),
    "access export ready": ("Tiedot toimitettu", "Uppgifterna lämnade", "Data provided"),
    "no data held": ("Ei tietoja rekisterissä", "Inga uppgifter i registret", "No data held"),
    "erased": ("Tiedot poistettu", "Uppgifterna raderade", "Data erased"),
    "rectified": ("Tiedot korjattu", "Uppgifterna rättade", "Data corrected"),
    "rejected": ("Pyyntö hylätty", "Begäran avslogs", "Request refused"),
}
RIGHTS = {
    "access": ("Oikeus tarkastaa sinua koskevat tiedot (tämä vastaus).",
               "Rätt att få tillgång till uppgifterna om dig (detta svar).",
               "The right of access to the data about you (this answer)."),
}
README = {
    "readme": (
        "Vastaus tietojen tarkastuspyyntöösi – {controller}, {address} (Y-tunnus {business_id})\n\n"
        "answer.html  Luettava vastaus: sinua koskevat tiedot, käyttötarkoitukset, käsittelyperusteet, "
        "tietolähteet, säilytysajat ja oikeutesi. Avaa tiedosto selaimella.\n"
        "data.json    Samat tiedot koneluettavassa muodossa (JSON, UTF-8, ajat ISO 8601 -muodossa "
        "UTC-aikaa); koodien selitteet ovat kohdassa \"labels\".\n",
        "Svar på din begäran om registerutdrag – {controller}, {address} (FO-nummer {business_id})\n\n"
        "answer.html  Läsbart svar: uppgifterna om dig, ändamål, rättslig grund, källor, lagringstider och dina "
        "rättigheter. Öppna filen i en webbläsare.\n"
        "data.json    Samma uppgifter i maskinläsbar form (JSON, UTF-8, tider i ISO 8601 i UTC-tid); "
        "förklaringarna till koderna finns under \"labels\".\n",
        "Answer to your request for access – {controller}, {address} (business ID {business_id})\n\n"
        "answer.html  The readable answer: the data about you, purposes, legal bases, sources, retention periods "
        "and your rights. Open it in a web browser.\n"
        "data.json    The same data in machine-readable form (JSON, UTF-8, times in ISO 8601, UTC); the labels "
        "of the codes are under \"labels\".\n"),
}

TEXTS = {
    **entries("access_answer", UI),
    **entries("access_answer.section", SECTIONS),
    **entries("access_answer.outcome", OUTCOMES),
    **entries("access_answer.right", RIGHTS),
    **entries("access_answer", README),
}
# The answer lists the rights of the privacy notice (shared/i18n/notice.py), its own first.
RIGHT_KEYS = ("access_answer.right.access", *(f"notice.right.{key}" for key in
                                              ("rectify", "erase", "restrict", "object", "withdraw", "complain")))
