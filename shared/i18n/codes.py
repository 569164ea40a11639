"""Labels of the codes a person may see: `code.<kind>.<code>`; read them with `label(kind, code, lang)`.

One place for every code shown to a person (request kinds, statuses, sources, legal bases, field
names ...): mails, pages, the access answer and the privacy notice all read their labels here;
data.json keeps the codes, with these labels beside them. A label stands as a noun: write the
sentence around it ("Lähde: hakemistopalvelu"), never inflect it.
"""

from __future__ import annotations


from shared.i18n.languages import entries


def _kind(kind: str, labels: dict[str, tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    return entries(f"code.{kind}", labels)


LANGUAGE = {"fi": ("suomi", "finska", "Finnish"), "sv": ("ruotsi", "svenska", "Swedish"),
            "en": ("englanti", "engelska", "English")}

REQUEST_KIND = {
    "access": ("tietojen tarkastus", "tillgång till uppgifter", "access to your data"),
    "rectification": ("tietojen oikaisu", "rättelse av uppgifter", "rectification of your data"),
    "erasure": ("tietojen poistaminen", "radering av uppgifter", "erasure of your data"),
    "restriction": ("käsittelyn rajoittaminen", "begränsning av behandlingen", "restriction of processing"),
    "objection": ("käsittelyn vastustaminen", "invändning mot behandlingen", "objection to processing"),
}
OBJECTION_SCOPE = {
    "direct_marketing": ("suoramarkkinointi", "direktmarknadsföring", "direct marketing"),
    "research": ("markkina- ja mielipidetutkimukset", "marknads- och opinionsundersökningar",
                 "market and opinion research"),
    "both": ("suoramarkkinointi sekä markkina- ja mielipidetutkimukset",
             "direktmarknadsföring samt marknads- och opinionsundersökningar",
             "direct marketing, and market and opinion research"),
}
REQUEST_STATUS = {
    "received": ("vastaanotettu", "mottagen", "received"),
    "awaiting_verification": ("odottaa vahvistusta", "väntar på bekräftelse", "awaiting confirmation"),
    "verified": ("vahvistettu", "bekräftad", "confirmed"),
    "in_progress": ("käsittelyssä", "under behandling", "in progress"),
    "completed": ("valmis", "slutförd", "completed"),
    "rejected": ("hylätty", "avslagen", "refused"),
    "cancelled": ("peruttu", "återkallad", "cancelled"),
}
CHANNEL = {
    "web": ("verkkosivusto", "webbplatsen", "website"),
    "email": ("sähköposti", "e-post", "email"),
    "phone": ("puhelin", "telefon", "phone"),
    "letter": ("kirje", "brev", "letter"),
    "in_person": ("henkilökohtainen tapaaminen", "personligt möte", "in person"),
    "unsubscribe_link": ("viestin kieltolinkki", "avregistreringslänken i ett meddelande",
                         "the opt-out link in a message"),
    "api": ("järjestelmäliittymä", "systemintegration", "system integration"),
    "import": ("tiedostosta tuonti", "inläsning från fil", "file import"),
}
COMPANY_STATUS = {
    "prospect": ("mahdollinen asiakas", "potentiell kund", "prospective customer"),
    "customer": ("asiakas", "kund", "customer"),
    "former_customer": ("entinen asiakas", "tidigare kund", "former customer"),
}
EMAIL_CATEGORY = {
    "transactional": ("palveluviesti", "servicemeddelande", "service message"),
    "marketing": ("markkinointi", "marknadsföring", "marketing"),
    "research": ("markkina- tai mielipidetutkimus", "marknads- eller opinionsundersökning",
                 "market or opinion research"),
    "sister_marketing": ("sisaryritysten markkinointi", "systerbolagens marknadsföring",
                         "marketing by sister companies"),
}
EMAIL_STATUS = {
    "pending": ("lähtevässä jonossa", "i kö för att skickas", "waiting to be sent"),
    "sending": ("lähetetään", "skickas", "being sent"),
    "sent": ("lähetetty", "skickat", "sent"),
    "failed": ("ei toimitettu", "kunde inte levereras", "not delivered"),
    "skipped": ("jätetty lähettämättä", "inte skickat", "not sent"),
    "cancelled": ("peruttu", "avbrutet", "cancelled"),
}
INTERACTION_KIND = {
    "offering": ("tarjous", "offert", "offer"),
    "purchase": ("osto", "köp", "purchase"),
    "use": ("käyttö", "användning", "use"),
    "product_development": ("tuotekehitys", "produktutveckling", "product development"),
    "marketing": ("markkinointi", "marknadsföring", "marketing"),
    "sales": ("myynti", "försäljning", "sales"),
    "meeting": ("tapaaminen", "möte", "meeting"),
    "call": ("puhelu", "samtal", "call"),
    "email": ("sähköposti", "e-post", "email"),
}
CONSENT_EVENT = {"granted": ("annettu", "givet", "given"), "withdrawn": ("peruttu", "återkallat", "withdrawn")}
FEEDBACK_STATUS = {"new": ("uusi", "ny", "new"), "handled": ("käsitelty", "behandlad", "handled")}
SUBSCRIPTION_STATUS = {
    "pending": ("odottaa vahvistusta", "väntar på bekräftelse", "awaiting confirmation"),
    "subscribed": ("listalla", "på listan", "subscribed"),
    "unsubscribed": ("poistunut listalta", "avregistrerad", "unsubscribed"),
}
ROLE = {
    "admin": ("pääkäyttäjä", "huvudanvändare", "administrator"),
    "sales": ("myynti", "försäljning", "sales"),
    "marketing": ("markkinointi", "marknadsföring", "marketing"),
    "privacy": ("tietosuoja", "dataskydd", "privacy"),
    "system": ("järjestelmä", "systemet", "the system"),
}
ACTOR = {  # who made a change (shared/audit: the label before its colon)
    "staff": ("henkilöstö", "personalen", "staff"),
    "subject": ("sinä itse", "du själv", "you"),
    "system": ("järjestelmä", "systemet", "the system"),
    "retention": ("säilytysaikojen valvonta", "bevakningen av lagringstider", "the retention sweep"),
    "subject-request": ("pyyntösi käsittely", "handläggningen av din begäran", "the handling of your request"),
    "import": ("tiedostosta tuonti", "inläsning från fil", "file import"),
    "cli": ("ylläpito", "underhåll", "maintenance"),
}
ENTITY = {  # the kind of record a change, a view or a legal hold concerns
    "contacts": ("yhteystiedot", "kontaktuppgifter", "contact data"),
    "companies": ("yrityksen tiedot", "företagsuppgifter", "company data"),
    "consents": ("suostumukset", "samtycken", "consents"),
    "subscriptions": ("postituslistat", "utskickslistor", "mailing lists"),
    "interactions": ("yhteydenpito ja asiointi", "kontakter och ärenden", "interactions"),
    "feedback": ("palautteet", "respons", "feedback"),
    "subject-requests": ("rekisteröidyn pyynnöt", "den registrerades begäranden", "data subject requests"),
    "lists": ("postituslistat", "utskickslistor", "mailing lists"),
    "campaigns": ("kampanjat", "kampanjer", "campaigns"),
    "search": ("haku", "sökning", "search"),
    "web-events": ("verkkosivukäynnit", "webbplatsbesök", "website visits"),
    "emails": ("viestit", "meddelanden", "messages"),
    "transfers": ("luovutukset", "utlämnanden", "disclosures"),
    "dedup": ("kaksoiskappaleiden yhdistäminen", "sammanslagning av dubbletter", "merging duplicates"),
    "register": ("rekisteri", "registret", "register"),
    "change_history": ("muutoshistoria", "ändringshistorik", "change history"),
    "disclosures": ("luovutustiedot", "uppgifter om utlämnanden", "records of disclosures"),
    "access_log": ("katseluloki", "logg över visningar", "the log of who read the data"),
    "web_events": ("verkkosivukäynnit", "webbplatsbesök", "website visits"),
    "email_outbox": ("sinulle lähetetyt viestit", "meddelanden till dig", "messages sent to you"),
}
CHANGE_ACTION = {
    "create": ("lisäys", "tillägg", "addition"),
    "update": ("muutos", "ändring", "change"),
    "delete": ("poisto", "radering", "deletion"),
    "merge": ("yhdistäminen kaksoiskappaleesta", "sammanslagning med en dubblett", "merge with a duplicate"),
    "undo": ("yhdistämisen peruminen", "ångrad sammanslagning", "merge undone"),
    "erasure": ("poisto pyynnöstä", "radering på begäran", "erasure on request"),
    "review": ("tarkistus", "granskning", "review"),
}
RECIPIENT_KIND = {
    "partner": ("yhteistyökumppani", "samarbetspartner", "partner"),
    "authority": ("viranomainen", "myndighet", "authority"),
    "processor": ("henkilötietojen käsittelijä", "personuppgiftsbiträde", "processor"),
}
PARTNER_ROLE = {"recipient": ("vastaanottaja", "mottagare", "recipient"),
                "processor": ("henkilötietojen käsittelijä", "personuppgiftsbiträde", "processor")}
PARTNER_PURPOSE = {  # the purposes partners receive data for (the partner registry's codes)
    "billing": ("laskutus", "fakturering", "billing"),
    "marketing": ("markkinointi", "marknadsföring", "marketing"),
    "research": ("markkina- ja mielipidetutkimus", "marknads- och opinionsundersökningar", "market and opinion research"),
    "customer_service": ("asiakaspalvelu", "kundservice", "customer service"),
}
DISCLOSURE_KIND = {
    "transfer": ("tietojen luovutus", "utlämnande av uppgifter", "disclosure of data"),
    "correction": ("ilmoitus oikaisusta", "meddelande om rättelse", "notice of a correction"),
    "deletion": ("ilmoitus poistamisesta", "meddelande om radering", "notice of an erasure"),
    "restriction": ("ilmoitus käsittelyn rajoittamisesta", "meddelande om begränsning", "notice of a restriction"),
}
DISCLOSURE_STATUS = {
    "pending": ("odottaa", "väntar", "pending"),
    "ready": ("valmis noudettavaksi", "klar att hämtas", "ready to be fetched"),
    "delivered": ("toimitettu", "levererad", "delivered"),
    "refused": ("ei luovutettu", "inte utlämnad", "not disclosed"),
    "failed": ("toimitus epäonnistui", "leveransen misslyckades", "delivery failed"),
    "expired": ("vanhentunut", "utgången", "expired"),
    "done": ("tehty", "klar", "done"),
}
SUPPRESSION_REASON = {
    "objected": ("vastustit suoramarkkinointia", "du invände mot direktmarknadsföring",
                 "you objected to direct marketing"),
    "erased": ("tietosi poistettiin pyynnöstäsi", "dina uppgifter raderades på din begäran",
               "your data was erased at your request"),
    "bounced": ("viestit eivät mene perille", "meddelandena når inte fram", "messages cannot be delivered"),
    "unsubscribed": ("kielsit markkinoinnin", "du avregistrerade dig från marknadsföring",
                     "you opted out of marketing"),
    "complaint": ("ilmoitit viestin roskapostiksi", "du anmälde ett meddelande som skräppost",
                  "you reported a message as spam"),
}
IMPORT_KIND = {
    "contacts": ("yhteyshenkilöiden tuontitiedosto", "importfil med kontaktpersoner", "file of contact persons"),
    "companies": ("yritysten tuontitiedosto", "importfil med företag", "file of companies"),
}
LEGAL_BASIS = {
    "customer_relationship": ("Asiakassuhde (EU:n tietosuoja-asetus 6 art. 1 b ja f)",
                              "Kundförhållande (dataskyddsförordningen art. 6.1 b och f)",
                              "Customer relationship (GDPR Art. 6(1)(b) and (f))"),
    "consent": ("Suostumus (6 art. 1 a)", "Samtycke (art. 6.1 a)", "Consent (GDPR Art. 6(1)(a))"),
    "assignment": ("Asiakkaan antama toimeksianto (6 art. 1 b)", "Uppdrag från kunden (art. 6.1 b)",
                   "An assignment from the customer (GDPR Art. 6(1)(b))"),
    "relevant_connection": (
        "Muu asiallinen yhteys, kuten kuuluminen tuotteiden tai palvelujen kohderyhmään (oikeutettu etu, 6 art. 1 f)",
        "Annat sakligt samband, t.ex. att höra till målgruppen för produkterna eller tjänsterna "
        "(berättigat intresse, art. 6.1 f)",
        "Another relevant connection, such as belonging to the target group of the products or services "
        "(legitimate interest, GDPR Art. 6(1)(f))"),
    "legal_obligation": ("Lakisääteinen velvoite (6 art. 1 c; tietosuoja-asetuksen 12–22 art.)",
                         "Rättslig förpliktelse (art. 6.1 c; dataskyddsförordningen art. 12–22)",
                         "Legal obligation (GDPR Art. 6(1)(c); Art. 12–22)"),
    "accountability": ("Oikeutettu etu: tietoturva ja osoitusvelvollisuus (6 art. 1 f, 5 art. 2 ja 32 art.)",
                       "Berättigat intresse: säkerhet och ansvarsskyldighet (art. 6.1 f, 5.2 och 32)",
                       "Legitimate interest: security and accountability (GDPR Art. 6(1)(f), 5(2) and 32)"),
}
PURPOSE = {
    "sales_marketing": ("Myynnin, viestinnän ja markkinoinnin hoitaminen",
                        "Försäljning, kommunikation och marknadsföring", "Sales, communication and marketing"),
    "customer_service": ("Asiakassuhteen hoitaminen ja asiakaspalvelu", "Skötsel av kundförhållandet och kundservice",
                         "Managing the customer relationship and customer service"),
    "analysis_development": ("Asiakkuuksien analysointi ja liiketoiminnan kehittäminen",
                             "Kundanalys och utveckling av verksamheten",
                             "Analysing customers and developing the business"),
    "feedback": ("Asiakaspalautteen kerääminen ja käsittely", "Insamling och hantering av kundrespons",
                 "Collecting and handling customer feedback"),
    "sister_marketing": ("Sisaryritysten tuotteiden ja palveluiden markkinointi",
                         "Marknadsföring av systerbolagens produkter och tjänster",
                         "Marketing the products and services of sister companies"),
    "accountability": ("Tietoturva ja osoitusvelvollisuus (kuka käsitteli tietoja ja miten)",
                       "Informationssäkerhet och ansvarsskyldighet (vem behandlade uppgifterna och hur)",
                       "Security and accountability (who processed the data and how)"),
    "rights": ("Rekisteröidyn oikeuksien toteuttaminen", "Tillgodoseende av den registrerades rättigheter",
               "Fulfilling the data subject's rights"),
}
SOURCE = {
    "data_subject": ("sinä itse tai yrityksesi", "du själv eller ditt företag", "you or your company"),
    "controller": ("Jetmasters Oy:n omat tiedot", "Jetmasters Oy:s egna uppgifter", "Jetmasters Oy's own records"),
    "sister_company": ("Jetmasters Oy:n sisaryritys", "ett systerbolag till Jetmasters Oy",
                       "a sister company of Jetmasters Oy"),
    "stakeholder": ("sidosryhmä", "en intressent", "a stakeholder"),
    "directory_service": ("hakemistopalvelu", "en katalogtjänst", "a directory service"),
    "public_register": ("julkinen luettelo tai rekisteri", "en offentlig förteckning eller ett register",
                        "a public list or register"),
    "website": ("Jetmasters Oy:n verkkosivustot (kun vierailit niillä)",
                "Jetmasters Oy:s webbplatser (när du besökte dem)", "Jetmasters Oy's websites (when you visited them)"),
    "import_file": ("tiedosto, jonka henkilöstömme toi rekisteriin", "en fil som vår personal läste in i registret",
                    "a file our staff uploaded to the register for import"),
    "register_system": ("rekisterijärjestelmä kirjaa nämä itse", "registersystemet registrerar dessa självt",
                        "recorded by the register system itself"),
}
FIELD = {  # names of the fields of contacts, companies and the other records a person may see
    "id": ("Tunniste", "Id", "Id"), "first_name": ("Etunimi", "Förnamn", "First name"),
    "last_name": ("Sukunimi", "Efternamn", "Last name"), "position": ("Asema", "Befattning", "Position"),
    "email": ("Sähköposti", "E-post", "Email"), "phone": ("Puhelin", "Telefon", "Phone"),
    "language": ("Kieli", "Språk", "Language"), "company_id": ("Yritys", "Företag", "Company"),
    "contact_id": ("Yhteyshenkilö", "Kontaktperson", "Contact person"),
    "list_id": ("Postituslista", "Utskickslista", "Mailing list"), "user_id": ("Käyttäjä", "Användare", "User"),
    "last_activity_at": ("Viimeisin yhteydenpito", "Senaste kontakt", "Last interaction"),
    "created_at": ("Luotu", "Skapad", "Created"), "updated_at": ("Muutettu", "Ändrad", "Updated"),
    "name": ("Nimi", "Namn", "Name"), "business_id": ("Y-tunnus", "FO-nummer", "Business ID"),
    "status": ("Tila", "Status", "Status"), "owner": ("Asiakkuuden omistaja", "Kundansvarigt bolag", "Owner"),
    "street_address": ("Katuosoite", "Gatuadress", "Street address"),
    "postal_code": ("Postinumero", "Postnummer", "Postal code"), "city": ("Kaupunki", "Ort", "City"),
    "country": ("Maa", "Land", "Country"), "website": ("Verkkosivut", "Webbplats", "Website"),
    "sole_trader": ("Toiminimi", "Enskild näringsidkare", "Sole trader"),
    "relationship_ended_at": ("Asiakkuus päättyi", "Kundförhållandet upphörde", "Relationship ended"),
    "legal_basis": ("Käsittelyperuste", "Rättslig grund", "Legal basis"),
    "purposes": ("Käyttötarkoitukset", "Ändamål", "Purposes"),
    "source_provider": ("Tiedon toimittaja", "Leverantör av uppgiften", "Provided by"),
    "source_received": ("Tieto saatu", "Uppgiften mottagen", "Received on"),
    "purpose": ("Tarkoitus", "Ändamål", "Purpose"), "consent": ("Suostumus", "Samtycke", "Consent"),
    "granted_at": ("Annettu", "Givet", "Given"),
    "channel": ("Kanava", "Kanal", "Channel"), "evidence": ("Todiste", "Bevis", "Evidence"),
    "withdrawn_at": ("Peruttu", "Återkallat", "Withdrawn"),
    "direct_marketing": ("Suoramarkkinointi", "Direktmarknadsföring", "Direct marketing"),
    "research": ("Markkina- ja mielipidetutkimus", "Marknads- och opinionsundersökningar",
                 "Market and opinion research"),
    "objects_direct_marketing_at": ("Suoramarkkinointia vastustettu", "Invändning mot direktmarknadsföring",
                                    "Objected to direct marketing"),
    "objects_direct_marketing_channel": ("Suoramarkkinoinnin vastustuksen kanava",
                                         "Kanal för invändningen mot direktmarknadsföring",
                                         "Channel of the objection to direct marketing"),
    "objects_research_at": ("Tutkimuksia vastustettu", "Invändning mot undersökningar", "Objected to research"),
    "objects_research_channel": ("Tutkimusten vastustuksen kanava", "Kanal för invändningen mot undersökningar",
                                 "Channel of the objection to research"),
    "restricted_at": ("Käsittelyä rajoitettu", "Behandlingen begränsad", "Processing restricted"),
    "restriction_reason": ("Rajoituksen syy", "Orsak till begränsningen", "Reason for the restriction"),
    "restriction_lift_notified_at": ("Rajoituksen poistamisesta ilmoitettu", "Meddelat att begränsningen hävs",
                                     "Told the restriction would be lifted"),
    "web_visitor": ("Verkkosivujen vierailijatunniste", "Besökar-id på webbplatserna", "Website visitor id"),
    "since": ("Alkaen", "Sedan", "Since"), "reason": ("Syy", "Orsak", "Reason"), "list": ("Lista", "Lista", "List"),
    "description": ("Kuvaus", "Beskrivning", "Description"), "list_owner": ("Listan omistaja", "Listans ägare",
                                                                            "List owner"),
    "source": ("Lähde", "Källa", "Source"), "subscribed_at": ("Liitetty", "Tillagd", "Subscribed"),
    "confirmed_at": ("Vahvistettu", "Bekräftad", "Confirmed"),
    "unsubscribed_at": ("Poistettu listalta", "Avregistrerad", "Unsubscribed"), "kind": ("Laji", "Typ", "Kind"),
    "occurred_at": ("Aika", "Tidpunkt", "When"), "product": ("Tuote tai palvelu", "Produkt eller tjänst", "Product"),
    "summary": ("Yhteenveto", "Sammanfattning", "Summary"), "notes": ("Muistiinpanot", "Anteckningar", "Notes"),
    "by_role": ("Kirjaaja (rooli)", "Registrerad av (roll)", "Recorded by (role)"),
    "received_at": ("Vastaanotettu", "Mottagen", "Received"), "rating": ("Arvio", "Betyg", "Rating"),
    "text": ("Teksti", "Text", "Text"), "handled_at": ("Käsitelty", "Behandlad", "Handled"),
    "resolution": ("Ratkaisu", "Åtgärd", "Resolution"),
    "handled_by_role": ("Käsittelijä (rooli)", "Behandlare (roll)", "Handled by (role)"),
    "site": ("Sivusto", "Webbplats", "Site"), "page": ("Sivu", "Sida", "Page"),
    "referrer": ("Edellinen sivu", "Föregående sida", "Referrer"),
    "visitor_id": ("Vierailijatunniste", "Besökar-id", "Visitor id"),
    "linked_at": ("Yhdistetty", "Kopplad", "Linked"), "at": ("Aika", "Tidpunkt", "When"),
    "entity": ("Tieto", "Uppgift", "Record"), "action": ("Toimenpide", "Åtgärd", "Action"),
    "field": ("Kenttä", "Fält", "Field"), "old_value": ("Vanha arvo", "Gammalt värde", "Old value"),
    "new_value": ("Uusi arvo", "Nytt värde", "New value"), "actor": ("Tekijä", "Utförd av", "By"),
    "role": ("Rooli", "Roll", "Role"), "month": ("Kuukausi", "Månad", "Month"), "route": ("Näkymä", "Vy", "View"),
    "count": ("Kertaa", "Gånger", "Times"), "first_at": ("Ensimmäinen", "Första", "First"),
    "last_at": ("Viimeisin", "Senaste", "Last"), "recipient": ("Vastaanottaja", "Mottagare", "Recipient"),
    "recipient_kind": ("Vastaanottajan laji", "Typ av mottagare", "Recipient kind"),
    "legal_ground": ("Lainkohta", "Lagrum", "Legal ground"), "fields": ("Tiedot", "Uppgifter", "Data"),
    "objection_scope": ("Vastustuksen laajuus", "Invändningens omfattning", "Objection scope"),
    "verified_at": ("Vahvistettu", "Verifierad", "Verified"), "completed_at": ("Valmis", "Klar", "Completed"),
    "outcome": ("Lopputulos", "Resultat", "Outcome"), "sent_at": ("Lähetetty", "Skickat", "Sent"),
    "subject": ("Aihe", "Ämne", "Subject"), "category": ("Luokka", "Kategori", "Category"),
    "campaign": ("Kampanja", "Kampanj", "Campaign"),
    "company_name": ("Yrityksen nimi", "Företagets namn", "Company name"),
    "smtp_reply": ("Postipalvelimen vastaus", "E-postserverns svar", "Mail server's answer"),
    "outcome_unknown": ("Lopputulos tuntematon", "Utfallet okänt", "Outcome unknown"),
    "visitor_ids": ("Vierailijatunnisteet", "Besökar-id", "Visitor ids"), "events": ("Tapahtumat", "Händelser",
                                                                                    "Events"),
}

TEXTS = {
    **_kind("language", LANGUAGE),
    **_kind("request_kind", REQUEST_KIND),
    **_kind("objection_scope", OBJECTION_SCOPE),
    **_kind("request_status", REQUEST_STATUS),
    **_kind("channel", CHANNEL),
    **_kind("company_status", COMPANY_STATUS),
    **_kind("email_category", EMAIL_CATEGORY),
    **_kind("email_status", EMAIL_STATUS),
    **_kind("interaction_kind", INTERACTION_KIND),
    **_kind("feedback_status", FEEDBACK_STATUS),
    **_kind("consent_event", CONSENT_EVENT),
    **_kind("subscription_status", SUBSCRIPTION_STATUS),
    **_kind("role", ROLE),
    **_kind("actor", ACTOR),
    **_kind("entity", ENTITY),
    **_kind("change_action", CHANGE_ACTION),
    **_kind("recipient_kind", RECIPIENT_KIND),
    **_kind("disclosure_kind", DISCLOSURE_KIND),
    **_kind("partner_role", PARTNER_ROLE),
    **_kind("partner_purpose", PARTNER_PURPOSE),
    **_kind("disclosure_status", DISCLOSURE_STATUS),
    **_kind("suppression_reason", SUPPRESSION_REASON),
    **_kind("import_kind", IMPORT_KIND),
    **_kind("legal_basis", LEGAL_BASIS),
    **_kind("purpose", PURPOSE),
    **_kind("source", SOURCE),
    **_kind("field", FIELD),
}
