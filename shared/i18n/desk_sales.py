"""The desk's pages for sales and marketing (services/api/pages/desk/{search,companies,contacts,
lists,duplicates}.py): search, company and contact pages with their forms, mailing lists and the
duplicate review. Entries are `sales.<page>.<key>`; rows are (fi, sv, en)."""

from __future__ import annotations

from shared.i18n.languages import entries

COMMON = {
    "save": ("Tallenna", "Spara", "Save"),
    "edit": ("Muokkaa", "Redigera", "Edit"),
    "cancel": ("Peruuta", "Avbryt", "Cancel"),
    "saved": ("Tallennettu.", "Sparat.", "Saved."),
    "created": ("Lisätty rekisteriin.", "Tillagt i registret.", "Added to the register."),
    "none": ("Ei mitään.", "Inget.", "None."),
    "next_page": ("Seuraava sivu", "Nästa sida", "Next page"),
    "first_page": ("Ensimmäinen sivu", "Första sidan", "First page"),
    "required_hint": ("Pakollinen.", "Obligatorisk.", "Required."),
    "provenance": ("Tietojen alkuperä", "Uppgifternas ursprung", "Where the data came from"),
    "provenance_hint": ("Käsittelyperuste, käyttötarkoitukset ja lähde kerrotaan henkilölle tarkastuspyynnön "
                        "vastauksessa.",
                        "Rättslig grund, ändamål och källa anges för personen i svaret på en begäran om "
                        "registerutdrag.",
                        "The legal basis, purposes and source are told to the person in an access answer."),
    "choose": ("Valitse", "Välj", "Choose"),
    "conflict": ("Joku muu tallensi tämän tietueen sillä välin, kun muokkasit sitä. Mitään ei tallennettu. "
                 "Alla ovat sinun arvosi ja sillä välin tallennetut arvot. Tarkista ne ja tallenna uudelleen, "
                 "jos haluat korvata tallennetut arvot omillasi.",
                 "Någon annan sparade den här posten medan du redigerade den. Inget sparades. Nedan finns dina "
                 "värden och de värden som sparades under tiden. Kontrollera dem och spara igen om du vill "
                 "ersätta de sparade värdena med dina.",
                 "Someone else saved this record while you were editing it. Nothing was saved. Below are your "
                 "values and the ones saved meanwhile. Check them and save again if you want yours to replace "
                 "the saved ones."),
    "conflict_title": ("Tallennettu sillä välin", "Sparat under tiden", "Saved meanwhile"),
    "field": ("Kenttä", "Fält", "Field"),
    "yours": ("Sinun arvosi", "Ditt värde", "Your value"),
    "theirs": ("Tallennettu sillä välin", "Sparat under tiden", "Saved meanwhile"),
    "empty": ("(tyhjä)", "(tomt)", "(empty)"),
    "history": ("Muutoshistoria", "Ändringshistorik", "Change history"),
    "history_intro": ("Uusin ensin: kuka muutti mitä ja milloin.", "Senaste först: vem ändrade vad och när.",
                      "Newest first: who changed what and when."),
    "action": ("Muutos", "Ändring", "Change"),
    "old": ("Ennen", "Före", "Before"),
    "new": ("Jälkeen", "Efter", "After"),
    "who": ("Tekijä", "Av", "By"),
    "when": ("Aika", "Tidpunkt", "When"),
    "yes": ("kyllä", "ja", "yes"),
    "no": ("ei", "nej", "no"),
}

ERRORS = {
    "required": ("Tämä tieto on pakollinen.", "Uppgiften är obligatorisk.", "This is required."),
    "value": ("Tarkista tämä arvo.", "Kontrollera värdet.", "Check this value."),
    "email": ("Anna sähköpostiosoite muodossa nimi@esimerkki.fi.", "Ange e-postadressen som namn@exempel.fi.",
              "Give the email address as name@example.com."),
    "phone": ("Anna puhelinnumero kansainvälisessä muodossa, esimerkiksi +358 40 123 4567.",
              "Ange telefonnumret i internationellt format, till exempel +358 40 123 4567.",
              "Give the phone number in international form, for example +358 40 123 4567."),
    "business_id": ("Anna Y-tunnus muodossa 1234567-8 (tarkistusnumero oikein).",
                    "Ange FO-numret som 1234567-8 (med rätt kontrollsiffra).",
                    "Give the business ID as 1234567-8 (with the right check digit)."),
    "website": ("Anna verkkosivujen osoite, esimerkiksi https://esimerkki.fi.",
                "Ange webbplatsens adress, till exempel https://exempel.fi.",
                "Give the website's address, for example https://example.com."),
    "date": ("Anna päivämäärä, joka ei ole tulevaisuudessa.", "Ange ett datum som inte ligger i framtiden.",
             "Give a date that is not in the future."),
    "company": ("Rekisterissä ei ole yritystä tällä numerolla.", "Det finns inget företag med det numret i registret.",
                "No company in the register has this number."),
    "country": ("Anna maakoodi kahdella isolla kirjaimella, esimerkiksi FI.",
                "Ange landskoden med två versaler, till exempel FI.",
                "Give the country code as two capital letters, for example FI."),
    "too_long": ("Arvo on liian pitkä.", "Värdet är för långt.", "The value is too long."),
    "rating": ("Anna arvosana 1–5.", "Ange ett betyg 1–5.", "Give a rating from 1 to 5."),
    "email_taken": ("Rekisterissä on jo yhteyshenkilö tällä sähköpostiosoitteella.",
                    "Det finns redan en kontaktperson med den här e-postadressen i registret.",
                    "A contact with this email address is already in the register."),
    "business_id_taken": ("Rekisterissä on jo yritys tällä Y-tunnuksella.",
                          "Det finns redan ett företag med det här FO-numret i registret.",
                          "A company with this business ID is already in the register."),
    "confirm": ("Vahvista, että tarkistit mahdolliset kaksoiskappaleet.",
                "Bekräfta att du har kontrollerat de möjliga dubbletterna.",
                "Confirm that you checked the likely duplicates."),
}

SEARCH = {
    "title": ("Haku", "Sök", "Search"),
    "intro": ("Hae yrityksiä ja yhteyshenkilöitä nimen, sähköpostiosoitteen, Y-tunnuksen tai puhelinnumeron "
              "alulla. Isot ja pienet kirjaimet sekä ääkköset ovat samanarvoisia. Haku kirjataan lokiin.",
              "Sök företag och kontaktpersoner med början av namn, e-postadress, FO-nummer eller telefonnummer. "
              "Stora och små bokstäver samt diakritiska tecken räknas lika. Sökningen loggas.",
              "Find companies and contact persons by the start of a name, an email address, a business ID or a "
              "phone number. Case and diacritics do not matter. Searches are logged."),
    "query": ("Hakusana", "Sökord", "Search for"),
    "search": ("Hae", "Sök", "Search"),
    "companies": ("Yritykset", "Företag", "Companies"),
    "contacts": ("Yhteyshenkilöt", "Kontaktpersoner", "Contact persons"),
    "nothing": ("Ei osumia.", "Inga träffar.", "Nothing found."),
    "new_company": ("Uusi yritys", "Nytt företag", "New company"),
    "new_contact": ("Uusi yhteyshenkilö", "Ny kontaktperson", "New contact person"),
}

COMPANY = {
    "title": ("Yritys", "Företag", "Company"),
    "new_title": ("Uusi yritys", "Nytt företag", "New company"),
    "edit_title": ("Muokkaa yritystä", "Redigera företaget", "Edit the company"),
    "details": ("Tiedot", "Uppgifter", "Details"),
    "contacts": ("Yhteyshenkilöt", "Kontaktpersoner", "Contact persons"),
    "add_contact": ("Lisää yhteyshenkilö tähän yritykseen", "Lägg till en kontaktperson i företaget",
                    "Add a contact person to this company"),
}

CONTACT = {
    "title": ("Yhteyshenkilö", "Kontaktperson", "Contact person"),
    "new_title": ("Uusi yhteyshenkilö", "Ny kontaktperson", "New contact person"),
    "edit_title": ("Muokkaa yhteyshenkilöä", "Redigera kontaktpersonen", "Edit the contact person"),
    "intro": ("Sivun avaaminen kirjataan lokiin.", "Att sidan öppnas loggas.", "Opening this page is logged."),
    "details": ("Tiedot", "Uppgifter", "Details"),
    "state": ("Rajoitukset", "Begränsningar", "Restrictions"),
    "objects_dm": ("Vastustaa suoramarkkinointia: ei markkinointia.", "Motsätter sig direktmarknadsföring: ingen "
                   "marknadsföring.", "Objects to direct marketing: no marketing."),
    "objects_research": ("Vastustaa tutkimuksia.", "Motsätter sig undersökningar.", "Objects to research."),
    "restricted": ("Käsittely on rajoitettu: tietoja ei saa muuttaa eikä käyttää.",
                   "Behandlingen är begränsad: uppgifterna får inte ändras eller användas.",
                   "Processing is restricted: the data may not be changed or used."),
    "company_number": ("Yrityksen numero", "Företagets nummer", "Company number"),
    "company_hint": ("Yrityksen numero rekisterissä (yrityksen sivun osoitteessa). Jätä tyhjäksi, jos ei yritystä.",
                     "Företagets nummer i registret (i adressen till företagets sida). Lämna tomt om inget företag.",
                     "The company's number in the register (in its page's address). Leave empty for none."),
    "duplicates": ("Mahdollisia kaksoiskappaleita", "Möjliga dubbletter", "Likely duplicates"),
    "duplicates_intro": ("Rekisterissä on jo henkilöitä, jotka ovat todennäköisesti sama henkilö. Tarkista ne "
                         "ennen tallentamista. Mitään ei ole vielä tallennettu.",
                         "Registret har redan personer som sannolikt är samma person. Kontrollera dem innan du "
                         "sparar. Inget har sparats ännu.",
                         "The register already holds people who are likely the same person. Check them before "
                         "saving. Nothing has been saved yet."),
    "company_duplicates_intro": ("Rekisterissä on jo yrityksiä, jotka ovat todennäköisesti sama yritys. Tarkista "
                                 "ne ennen tallentamista. Mitään ei ole vielä tallennettu.",
                                 "Registret har redan företag som sannolikt är samma företag. Kontrollera dem "
                                 "innan du sparar. Inget har sparats ännu.",
                                 "The register already holds companies that are likely the same company. Check "
                                 "them before saving. Nothing has been saved yet."),
    "likelihood": ("Todennäköisyys {percent} %", "Sannolikhet {percent} %", "Likelihood {percent}%"),
    "agreed": ("Yhteneväiset tiedot", "Uppgifter som stämmer överens", "What agreed"),
    "confirm": ("Tarkistin nämä, tallenna silti uutena", "Jag har kontrollerat dessa, spara ändå som ny",
                "I checked these, save as new all the same"),
    "save_anyway": ("Tallenna", "Spara", "Save"),
    "subscriptions": ("Postituslistat", "Utskickslistor", "Mailing lists"),
    "interactions": ("Yhteydenpito", "Kontakter", "Interactions"),
    "feedback": ("Palaute", "Respons", "Feedback"),
    "web_events": ("Käynnit verkkosivuilla", "Besök på webbplatserna", "Website visits"),
    "web_events_intro": ("Samat tiedot, jotka henkilö saisi tarkastuspyynnön vastauksessa.",
                         "Samma uppgifter som personen skulle få i svaret på en begäran om registerutdrag.",
                         "The same the person would receive in an access answer."),
    "add_interaction": ("Kirjaa yhteydenpito", "Registrera en kontakt", "Record an interaction"),
    "add_feedback": ("Kirjaa palaute", "Registrera respons", "Record feedback"),
    "kind": ("Laji", "Typ", "Kind"),
    "summary": ("Yhteenveto", "Sammanfattning", "Summary"),
    "product": ("Tuote tai palvelu", "Produkt eller tjänst", "Product or service"),
    "notes": ("Muistiinpanot", "Anteckningar", "Notes"),
    "occurred_at": ("Milloin", "När", "When"),
    "occurred_hint": ("Esimerkiksi 2026-12-01 14:30 (Suomen aikaa). Tyhjä: nyt.",
                      "Till exempel 2026-12-01 14:30 (finsk tid). Tomt: nu.",
                      "For example 2026-12-01 14:30 (Finnish time). Empty: now."),
    "channel": ("Kanava", "Kanal", "Channel"),
    "rating": ("Arvosana (1–5)", "Betyg (1–5)", "Rating (1–5)"),
    "text": ("Palaute", "Respons", "Feedback"),
    "interaction_added": ("Yhteydenpito kirjattu.", "Kontakten registrerad.", "Interaction recorded."),
    "feedback_added": ("Palaute kirjattu.", "Responsen registrerad.", "Feedback recorded."),
    "no_company": ("ei yritystä", "inget företag", "no company"),
}

TEXTS = {
    **entries("sales", COMMON),
    **entries("sales.error", ERRORS),
    **entries("sales.search", SEARCH),
    **entries("sales.company", COMPANY),
    **entries("sales.contact", CONTACT),
}

CHANGE = {
    "create": ("lisätty", "tillagd", "added"),
    "update": ("muutettu", "ändrad", "changed"),
    "delete": ("poistettu", "raderad", "deleted"),
    "merge": ("yhdistetty", "sammanslagen", "merged"),
    "import": ("tuotu tiedostosta", "inläst från fil", "imported"),
    "revoke": ("peruttu", "återkallad", "revoked"),
    "undo": ("yhdistäminen peruttu", "sammanslagningen ångrad", "merge undone"),
}

TEXTS |= entries("sales.change", CHANGE)

# What agreed between two records (shared/dedup/scoring.py's fields and levels), as a reviewer reads it.
DEDUP_FIELD = {
    "first_name": ("Etunimi", "Förnamn", "First name"),
    "last_name": ("Sukunimi", "Efternamn", "Last name"),
    "email": ("Sähköposti", "E-post", "Email"),
    "phone": ("Puhelin", "Telefon", "Phone"),
    "company": ("Yritys", "Företag", "Company"),
    "position": ("Asema", "Befattning", "Position"),
    "postcode": ("Postinumero", "Postnummer", "Postal code"),
    "street": ("Katu", "Gata", "Street"),
    "house_number": ("Talon numero", "Husnummer", "House number"),
    "city": ("Kaupunki", "Ort", "City"),
    "business_id": ("Y-tunnus", "FO-nummer", "Business ID"),
    "name": ("Nimi", "Namn", "Name"),
    "domain": ("Verkkotunnus", "Domän", "Web domain"),
}
DEDUP_LEVEL = {
    "exact": ("sama", "samma", "the same"),
    "exact_with_phone": ("sama, puhelinnumero myös", "samma, telefonnumret också", "the same, the phone too"),
    "diacritics": ("sama ilman ääkkösiä", "samma utan diakritiska tecken", "the same without diacritics"),
    "fuzzy": ("lähes sama", "nästan samma", "nearly the same"),
    "weak": ("samankaltainen", "liknande", "similar"),
    "different": ("eri", "olika", "different"),
    "nickname": ("lempinimi", "smeknamn", "a short form of the name"),
    "swapped": ("vaihtanut paikkaa ({level})", "har bytt plats ({level})", "swapped ({level})"),
    "local_part": ("sama alku, eri verkkotunnus", "samma början, annan domän", "the same name, another domain"),
    "local_part_tagged": ("sama numeroitu alku", "samma numrerade början", "the same numbered name"),
    "fuzzy_tagged": ("lähes sama numeroitu alku", "nästan samma numrerade början", "nearly the same numbered name"),
    "other_domain": ("eri verkkotunnus", "annan domän", "another domain"),
    "generic": ("yhteinen postilaatikko", "gemensam brevlåda", "a shared mailbox"),
    "word_order": ("samat sanat eri järjestyksessä", "samma ord i annan ordning", "the same words in another order"),
    "one_digit": ("yksi numero eri", "en siffra olika", "one digit different"),
    "other_flat": ("sama talo, eri asunto", "samma hus, annan lägenhet", "the same house, another flat"),
    "with_postcode": ("sama (postinumero kertoo jo)", "samma (postnumret säger det redan)",
                      "the same (the postal code says so already)"),
    "other_town": ("sama nimi toisella paikkakunnalla", "samma namn på en annan ort", "the same name in another town"),
}
TEXTS |= entries("sales.dedup.field", DEDUP_FIELD) | entries("sales.dedup.level", DEDUP_LEVEL)

NAV = {  # the desk's navigation (templates/desk/base.html)
    "search": ("Haku", "Sök", "Search"),
    "lists": ("Postituslistat", "Utskickslistor", "Mailing lists"),
    "duplicates": ("Kaksoiskappaleet", "Dubbletter", "Duplicates"),
}
TEXTS |= entries("sales.nav", NAV)

LISTS = {
    "title": ("Postituslistat", "Utskickslistor", "Mailing lists"),
    "list_title": ("Postituslista", "Utskickslista", "Mailing list"),
    "new": ("Uusi lista", "Ny lista", "New list"),
    "name": ("Nimi", "Namn", "Name"),
    "description": ("Kuvaus", "Beskrivning", "Description"),
    "create": ("Luo lista", "Skapa listan", "Create the list"),
    "name_taken": ("Samanniminen lista on jo olemassa.", "Det finns redan en lista med samma namn.",
                   "A list with this name already exists."),
    "intro": ("Listan jäsenet. Sivun avaaminen kirjataan lokiin.", "Listans medlemmar. Att sidan öppnas loggas.",
              "The list's members. Opening this page is logged."),
    "members": ("Jäsenet", "Medlemmar", "Members"),
    "person": ("Henkilö", "Person", "Person"),
    "status": ("Tila", "Status", "Status"),
    "all": ("Kaikki", "Alla", "All"),
    "filter": ("Näytä", "Visa", "Show"),
    "source": ("Lähde", "Källa", "Source"),
    "since": ("Alkaen", "Sedan", "Since"),
    "actions": ("Toiminnot", "Åtgärder", "Actions"),
    "confirm": ("Merkitse vahvistetuksi", "Markera som bekräftad", "Mark as confirmed"),
    "unsubscribe": ("Poista listalta", "Avregistrera", "Unsubscribe"),
    "resubscribe": ("Lisää uudelleen", "Lägg till igen", "Subscribe again"),
    "remove": ("Poista tilaus kokonaan", "Radera prenumerationen helt", "Delete the subscription"),
    "add": ("Lisää jäsen", "Lägg till en medlem", "Add a member"),
    "contact": ("Yhteyshenkilö", "Kontaktperson", "Contact person"),
    "contact_hint": ("Sähköpostiosoite tai numero rekisterissä.", "E-postadress eller numret i registret.",
                     "Email address or the number in the register."),
    "how": ("Miten henkilö liitetään", "Hur personen läggs till", "How the person joins"),
    "pending": ("Odottaa henkilön vahvistusta (kaksivaiheinen tilaus)",
                "Väntar på personens bekräftelse (dubbel bekräftelse)",
                "Waiting for the person to confirm (double opt-in)"),
    "subscribed": ("Listalla heti (henkilö on jo vahvistanut)", "På listan genast (personen har redan bekräftat)",
                   "On the list now (the person has already confirmed)"),
    "no_contact": ("Rekisterissä ei ole yhteyshenkilöä tällä sähköpostiosoitteella tai numerolla.",
                   "Det finns ingen kontaktperson med den e-postadressen eller det numret i registret.",
                   "No contact in the register has this email address or number."),
    "refused": ("Ei onnistu: {detail}", "Går inte: {detail}", "Not possible: {detail}"),
    "why_objected": ("henkilö on kieltänyt suoramarkkinoinnin.", "personen har förbjudit direktmarknadsföring.",
                     "the person has objected to direct marketing."),
    "why_restricted": ("henkilön tietojen käsittely on rajoitettu.", "behandlingen av personens uppgifter är "
                       "begränsad.", "processing of the person's data is restricted."),
    "why_already": ("henkilö on jo listalla; muuta olemassa olevaa tilausta.", "personen finns redan på listan; "
                    "ändra den befintliga prenumerationen.", "the person is already on the list; change that "
                    "subscription instead."),
    "stale": ("Joku muutti tätä tilausta sillä välin. Tarkista tila ja tee muutos uudelleen.",
              "Någon ändrade prenumerationen under tiden. Kontrollera statusen och gör ändringen igen.",
              "Someone changed this subscription meanwhile. Check its status and make the change again."),
    "done_created": ("Lista luotu.", "Listan har skapats.", "The list was created."),
    "done_added": ("Jäsen lisätty.", "Medlemmen har lagts till.", "The member was added."),
    "done_confirm": ("Tilaus vahvistettu.", "Prenumerationen har bekräftats.", "The subscription was confirmed."),
    "done_unsubscribe": ("Poistettu listalta.", "Avregistrerad.", "Unsubscribed."),
    "done_resubscribe": ("Lisätty uudelleen; odottaa vahvistusta.", "Tillagd igen; väntar på bekräftelse.",
                         "Subscribed again; waiting for confirmation."),
    "done_remove": ("Tilaus poistettu.", "Prenumerationen har raderats.", "The subscription was deleted."),
}
TEXTS |= entries("sales.lists", LISTS)

DUPLICATES = {
    "title": ("Kaksoiskappaleet", "Dubbletter", "Duplicates"),
    "intro": ("Ryhmät, joiden tietueet ovat todennäköisesti sama henkilö tai yritys, varmimmat ensin. Sivun "
              "avaaminen kirjataan lokiin.",
              "Grupper vars poster sannolikt är samma person eller företag, de säkraste först. Att sidan öppnas "
              "loggas.",
              "Groups whose records are likely one person or company, the most certain first. Opening this page "
              "is logged."),
    "entity": ("Tietueet", "Poster", "Records"),
    "entity_contacts": ("Yhteyshenkilöt", "Kontaktpersoner", "Contact persons"),
    "entity_companies": ("Yritykset", "Företag", "Companies"),
    "queue": ("Tarkistettavat", "Att granska", "To review"),
    "group": ("Ryhmä", "Grupp", "Group"),
    "score": ("Varmuus", "Säkerhet", "Certainty"),
    "records": ("Tietueet", "Poster", "Records"),
    "review": ("Tarkista ryhmä {id}", "Granska grupp {id}", "Review group {id}"),
    "empty": ("Ei tarkistettavaa.", "Inget att granska.", "Nothing to review."),
    "merges": ("Viimeisimmät yhdistämiset", "Senaste sammanslagningarna", "Recent merges"),
    "merges_intro": ("Yhdistämisen voi perua: tietueet palautetaan ennalleen.",
                     "En sammanslagning kan ångras: posterna återställs som de var.",
                     "A merge can be undone: the records are restored as they were."),
    "merged_count": ("{n} tietuetta yhdistetty tähän", "{n} poster sammanslagna hit", "{n} records merged into it"),
    "undo": ("Peru yhdistäminen", "Ångra sammanslagningen", "Undo the merge"),
    "group_title": ("Mahdolliset kaksoiskappaleet", "Möjliga dubbletter", "Likely duplicates"),
    "group_intro": ("Nämä tietueet ovat {percent} %:n todennäköisyydellä sama. Sivun avaaminen kirjataan lokiin.",
                    "Dessa poster är samma med {percent} % sannolikhet. Att sidan öppnas loggas.",
                    "These records are the same with a likelihood of {percent}%. Opening this page is logged."),
    "why": ("Miksi ne näyttävät samalta", "Varför de ser likadana ut", "Why they look the same"),
    "side_by_side": ("Rinnakkain", "Sida vid sida", "Side by side"),
    "choose_hint": ("Valitse säilyvä tietue ja eroavista kentistä säilyvä arvo. Sääntöjen varaan jätetyssä kentässä "
                    "säilyy uusin arvo sen täydellisimmässä kirjoitusasussa (esimerkiksi ääkkösin).",
                    "Välj posten som blir kvar och det värde som blir kvar i de fält som skiljer sig. I ett fält som "
                    "lämnas åt reglerna blir det nyaste värdet kvar i sin mest fullständiga stavning (till exempel "
                    "med diakritiska tecken).",
                    "Choose the record that stays and, where fields differ, the value that stays. A field left to "
                    "the rules keeps the newest value in its most complete spelling (with its diacritics, say)."),
    "centre": ("keskus", "centrum", "centre"),
    "rules": ("Sääntöjen mukaan", "Enligt reglerna", "By the rules"),
    "by_rules": ("Sääntöjen mukaan", "Enligt reglerna", "By the rules"),
    "survivor": ("Säilyvä tietue", "Posten som blir kvar", "The record that stays"),
    "keep_record": ("Säilytä tämä", "Behåll den här", "Keep this one"),
    "keep_provenance": ("Tämän alkuperä", "Det här ursprunget", "This one's provenance"),
    "merge": ("Yhdistä", "Slå samman", "Merge"),
    "dismiss": ("Eivät ole sama", "De är inte samma", "Not the same"),
    "dismiss_reason": ("Syy", "Orsak", "Reason"),
    "reason_different_records": ("Eri henkilöt tai yritykset", "Olika personer eller företag",
                                 "Different people or companies"),
    "reason_not_sure": ("En ole varma", "Jag är inte säker", "Not sure"),
    "reason_other": ("Muu syy", "Annan orsak", "Another reason"),
    "status_merged": ("Ryhmä on jo yhdistetty.", "Gruppen har redan slagits samman.", "The group has been merged."),
    "status_dismissed": ("Ryhmä on merkitty eri tietueiksi.", "Gruppen har markerats som olika poster.",
                         "The group was marked as different records."),
    "status_superseded": ("Uudempi ajo korvasi ryhmän.", "En nyare körning ersatte gruppen.",
                          "A newer run replaced the group."),
    "status_open": ("Avoin.", "Öppen.", "Open."),
    "back": ("Takaisin jonoon", "Tillbaka till kön", "Back to the queue"),
    "refused": ("Ei onnistunut: {detail}", "Det gick inte: {detail}", "Not done: {detail}"),
    "why_restricted": ("tietueen käsittely on rajoitettu; vain tietosuojavastaava voi yhdistää sen.",
                       "behandlingen av posten är begränsad; bara dataskyddsansvarige kan slå samman den.",
                       "processing of a record is restricted; only the privacy officer may merge it."),
    "why_business_ids": ("yrityksillä on eri Y-tunnukset.", "företagen har olika FO-nummer.",
                         "the companies have different business IDs."),
    "why_not_open": ("ryhmää ei voi enää yhdistää (se on käsitelty tai muuttunut).",
                     "gruppen kan inte längre slås samman (den är behandlad eller har ändrats).",
                     "the group can no longer be merged (it was decided or has changed)."),
    "why_undone": ("yhdistäminen on jo peruttu.", "sammanslagningen har redan ångrats.",
                   "the merge has been undone already."),
    "done_merged": ("Yhdistetty. Yhdistämisen voi perua alla.", "Sammanslaget. Sammanslagningen kan ångras nedan.",
                    "Merged. The merge can be undone below."),
    "done_dismissed": ("Merkitty eri tietueiksi.", "Markerat som olika poster.", "Marked as different records."),
    "done_undone": ("Yhdistäminen peruttu: tietueet palautettu.", "Sammanslagningen ångrad: posterna återställda.",
                    "The merge was undone: the records are restored."),
}
TEXTS |= entries("sales.dup", DUPLICATES)
