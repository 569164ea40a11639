"""The desk's register pages (services/api/pages/desk/{people,partners,retention,breaches,notice,
outcomes}.py): the person page, partners and transfers, retention, breaches, the privacy notice's
draft and the unknown mail outcomes. Entries are `reg.<page>.<key>`; rows are (fi, sv, en)."""

from __future__ import annotations

from shared.i18n.languages import entries

COMMON = {
    "reason": ("Perustelu", "Motivering", "Reason"),
    "reason_hint": ("Kirjataan nimelläsi muutoshistoriaan.", "Registreras med ditt namn i ändringshistoriken.",
                    "Recorded with your name in the change history."),
    "reason_short": ("Kirjoita perustelu (vähintään {n} merkkiä).", "Skriv en motivering (minst {n} tecken).",
                     "Write a reason (at least {n} characters)."),
    "none": ("Ei mitään.", "Inget.", "None."),
    "yes": ("kyllä", "ja", "yes"),
    "no": ("ei", "nej", "no"),
    "when": ("Aika", "Tidpunkt", "When"),
    "done": ("Tallennettu.", "Sparat.", "Saved."),
    "conflict": ("Joku muutti tätä sillä välin. Tarkista tiedot ja tee muutos uudelleen.",
                 "Någon ändrade detta under tiden. Kontrollera uppgifterna och gör ändringen igen.",
                 "Someone changed this meanwhile. Check the details and make the change again."),
    "not_allowed": ("Tätä ei voi tehdä nyt: {detail}", "Det går inte att göra nu: {detail}",
                    "This cannot be done now: {detail}"),
    "invalid_time": ("Anna aika muodossa VVVV-KK-PP TT:MM.", "Ange tiden som ÅÅÅÅ-MM-DD TT:MM.",
                     "Give the time as YYYY-MM-DD HH:MM."),
    "time_hint": ("Esimerkiksi 2026-12-01 14:30 (Suomen aikaa).", "Till exempel 2026-12-01 14:30 (finsk tid).",
                  "For example 2026-12-01 14:30 (Finnish time)."),
}

PEOPLE = {
    "title": ("Henkilöt", "Personer", "People"),
    "intro": ("Etsi henkilö nimellä tai sähköpostiosoitteella. Henkilön sivun avaaminen kirjataan lokiin.",
              "Sök en person med namn eller e-postadress. Att öppna en persons sida loggas.",
              "Find a person by name or email address. Opening a person's page is logged."),
    "query": ("Nimi tai sähköposti", "Namn eller e-post", "Name or email"),
    "search": ("Hae", "Sök", "Search"),
    "found": ("Löytyi", "Hittade", "Found"),
    "nobody": ("Ketään ei löytynyt.", "Ingen hittades.", "Nobody found."),
    "open": ("Avaa henkilön sivu: {name}", "Öppna personens sida: {name}", "Open the person's page: {name}"),
}

PERSON = {
    "title": ("Henkilö: {name}", "Person: {name}", "Person: {name}"),
    "intro": ("Kaikki, mitä rekisterissä on tästä henkilöstä, samassa järjestyksessä kuin tarkastuspyynnön "
              "vastauksessa. Sivun avaaminen on kirjattu lokiin.",
              "Allt som registret har om den här personen, i samma ordning som i svaret på en begäran om "
              "registerutdrag. Att sidan öppnades har loggats.",
              "Everything the register holds about this person, in the order an access answer gives it. "
              "Opening this page has been logged."),
    "contents": ("Sisältö", "Innehåll", "Contents"),
    "state": ("Tila nyt", "Läget nu", "State now"),
    "restricted": ("Käsittely on rajoitettu.", "Behandlingen är begränsad.", "Processing is restricted."),
    "not_restricted": ("Käsittelyä ei ole rajoitettu.", "Behandlingen är inte begränsad.",
                       "Processing is not restricted."),
    "lift_notified": ("Henkilölle on kerrottu, että rajoitus poistetaan.", "Personen har fått veta att "
                      "begränsningen hävs.", "The person has been told the restriction will be lifted."),
    "objects_dm": ("Vastustaa suoramarkkinointia.", "Motsätter sig direktmarknadsföring.",
                   "Objects to direct marketing."),
    "objects_research": ("Vastustaa tutkimuksia.", "Motsätter sig undersökningar.", "Objects to research."),
    "actions": ("Toimenpiteet", "Åtgärder", "Actions"),
    "worked": ("Henkilön pyynnöt työjonossa", "Personens begäranden i arbetskön", "The person's requests in the queue"),
    "restrict": ("Rajoita käsittelyä", "Begränsa behandlingen", "Restrict processing"),
    "restrict_hint": ("Henkilö pysyy rekisterissä, mutta häntä ei käytetä markkinointiin, tutkimuksiin eikä "
                      "luovutuksiin. Henkilö saa vahvistuksen sähköpostilla.",
                      "Personen finns kvar i registret men används inte för marknadsföring, undersökningar eller "
                      "utlämnanden. Personen får en bekräftelse per e-post.",
                      "The person stays in the register but is left out of marketing, research and transfers. "
                      "The person gets a confirmation by email."),
    "lift_notice": ("Kerro henkilölle, että rajoitus poistetaan", "Meddela personen att begränsningen hävs",
                    "Tell the person the restriction will be lifted"),
    "lift_notice_hint": ("Rajoituksen saa poistaa vasta, kun henkilölle on kerrottu siitä. Perustelu lähtee "
                         "henkilölle sähköpostissa.",
                         "Begränsningen får hävas först när personen har fått veta det. Motiveringen skickas "
                         "till personen per e-post.",
                         "A restriction may be lifted only after the person has been told. The reason goes to "
                         "the person by email."),
    "lift": ("Poista rajoitus", "Häv begränsningen", "Lift the restriction"),
    "objection": ("Kirjaa puhelimessa saatu vastustus", "Registrera en invändning som kom per telefon",
                  "Record an objection received by phone"),
    "scope": ("Mitä henkilö vastustaa", "Vad personen motsätter sig", "What the person objects to"),
    "erasure": ("Aloita tietojen poistaminen", "Börja radera uppgifterna", "Start an erasure"),
    "erasure_hint": ("Poisto tehdään taustalla; tiedot, joita laki tai oikeudellinen pito vaatii, säilytetään. "
                     "Henkilö saa vahvistuksen.",
                     "Raderingen görs i bakgrunden; uppgifter som lagen eller ett rättsligt kvarhållande kräver "
                     "sparas. Personen får en bekräftelse.",
                     "The erasure runs in the background; data a law or a legal hold requires is kept. The "
                     "person gets a confirmation."),
    "channel": ("Miten pyyntö tuli", "Hur begäran kom", "How the request came"),
    "verification": ("Miten henkilöllisyys varmistettiin", "Hur identiteten kontrollerades",
                     "How the identity was verified"),
    "verification_hint": ("Esimerkiksi: soitin takaisin rekisterissä olevaan numeroon.",
                          "Till exempel: jag ringde tillbaka till numret i registret.",
                          "For example: I called back the number in the register."),
    "verification_short": ("Kerro, miten henkilöllisyys varmistettiin (vähintään 3 merkkiä).",
                           "Ange hur identiteten kontrollerades (minst 3 tecken).",
                           "Say how the identity was verified (at least 3 characters)."),
    "scope_missing": ("Valitse, mitä henkilö vastustaa.", "Välj vad personen motsätter sig.",
                      "Choose what the person objects to."),
    "started": ("Pyyntö kirjattiin ja sen käsittely alkoi.", "Begäran registrerades och behandlingen började.",
                "The request was recorded and its handling started."),
    "told": ("Henkilölle lähti ilmoitus. Rajoituksen voi nyt poistaa.", "Meddelandet till personen skickades. "
             "Begränsningen kan nu hävas.", "The notice to the person was sent. The restriction can now be lifted."),
    "lifted": ("Rajoitus poistettiin.", "Begränsningen hävdes.", "The restriction was lifted."),
    "request_link": ("Avaa pyyntö", "Öppna begäran", "Open the request"),
}
SECTIONS = {  # the person page's headings (staff read them: third person)
    "contact": ("Yhteystiedot", "Kontaktuppgifter", "Contact data"),
    "company": ("Yritys", "Företag", "Company"),
    "consents": ("Suostumukset", "Samtycken", "Consents"),
    "objections": ("Vastustukset", "Invändningar", "Objections"),
    "restriction": ("Käsittelyn rajoitus", "Begränsning av behandlingen", "Restriction of processing"),
    "subscriptions": ("Postituslistat", "Utskickslistor", "Mailing lists"),
    "interactions": ("Yhteydenpito", "Kontakter", "Interactions"),
    "web_events": ("Verkkokäynnit", "Webbesök", "Web events"),
    "feedback": ("Palautteet", "Respons", "Feedback"),
    "change_history": ("Muutoshistoria", "Ändringshistorik", "Change history"),
    "access_log": ("Katselujen loki", "Logg över läsningar", "Access log"),
    "disclosures": ("Luovutukset kumppaneille ja viranomaisille", "Utlämnanden till partner och myndigheter",
                    "Disclosures to partners and authorities"),
    "emails": ("Lähetetyt viestit", "Skickade meddelanden", "Messages sent"),
    "campaigns": ("Kampanjat ja postipalvelimen vastaukset", "Kampanjer och e-postserverns svar",
                  "Campaigns and the mail server's answers"),
    "subject_requests": ("Pyynnöt", "Begäranden", "Requests"),
    "suppression": ("Markkinoinnin estolista", "Spärrlista för marknadsföring", "Marketing suppression list"),
    "import_files": ("Käsittelemättömät tuontitiedostot", "Obehandlade importfiler", "Import files not yet processed"),
}

PARTNERS = {
    "title": ("Kumppanit ja luovutukset", "Partner och utlämnanden", "Partners and transfers"),
    "intro": ("Kumppanit, joille tietoja saa luovuttaa kirjallisen sopimuksen perusteella, ja luovutusten loki.",
              "Partner som får uppgifter enligt ett skriftligt avtal, och loggen över utlämnanden.",
              "Partners that may receive data under a written agreement, and the log of disclosures."),
    "partners": ("Kumppanit", "Partner", "Partners"),
    "name": ("Kumppani", "Partner", "Partner"),
    "role": ("Rooli", "Roll", "Role"),
    "agreement": ("Sopimus", "Avtal", "Agreement"),
    "signed": ("Allekirjoitettu", "Undertecknat", "Signed"),
    "expires": ("Päättyy", "Upphör", "Expires"),
    "purposes": ("Tarkoitukset", "Ändamål", "Purposes"),
    "fields": ("Tiedot", "Uppgifter", "Data"),
    "state": ("Tila", "Läge", "State"),
    "in_force": ("Voimassa", "Gäller", "In force"),
    "expiring": ("Päättyy pian", "Upphör snart", "Expires soon"),
    "ended": ("Päättynyt tai ei voimassa", "Upphört eller gäller inte", "Ended or not in force"),
    "inactive": ("Ei käytössä", "Inte i bruk", "Not active"),
    "no_end": ("toistaiseksi", "tills vidare", "until further notice"),
    "days_left": ("{n} päivää jäljellä", "{n} dagar kvar", "{n} days left"),
    "new_transfer": ("Uusi luovutus", "Nytt utlämnande", "New transfer"),
    "transfers": ("Luovutukset", "Utlämnanden", "Transfers"),
    "transfers_intro": ("Viimeisimmät luovutukset. Luovutuksen avaaminen kirjataan jokaisen siinä olevan "
                        "henkilön lokiin, joten tässä näkyvät vain määrät.",
                        "De senaste utlämnandena. Att öppna ett utlämnande loggas för varje person i det, så här "
                        "visas bara antal.",
                        "The latest transfers. Opening a transfer is logged for every person in it, so only "
                        "counts are shown here."),
    "rows": ("Henkilöitä", "Personer", "People"),
    "excluded": ("Jätetty pois", "Utelämnade", "Left out"),
    "status": ("Tila", "Status", "Status"),
    "created": ("Tehty", "Gjort", "Made"),
    "disclosures": ("Luovutusloki", "Logg över utlämnanden", "Disclosure log"),
    "disclosures_intro": ("Viimeisimmät {n} kirjausta. Lokin avaaminen kirjataan jokaisen siinä näkyvän henkilön "
                          "lokiin.",
                          "De senaste {n} posterna. Att öppna loggen loggas för varje person som syns i den.",
                          "The latest {n} entries. Opening the log is logged for every person shown in it."),
    "person": ("Henkilö", "Person", "Person"),
    "erased": ("poistettu", "raderad", "erased"),
    "followups": ("Oikaisu-, poisto- ja rajoitusilmoitukset kumppaneille (19 artikla)",
                  "Meddelanden om rättelse, radering och begränsning till partner (artikel 19)",
                  "Correction, deletion and restriction notices to partners (Article 19)"),
    "followups_waiting": ("Odottaa lähtöä", "Väntar på att skickas", "Waiting to go"),
    "followups_failed": ("Epäonnistuneet toimitukset", "Misslyckade leveranser", "Failed deliveries"),
    "attempts": ("Yrityksiä", "Försök", "Attempts"),
    "detail": ("Tekninen syy", "Teknisk orsak", "Technical cause"),
}
RULES = {  # why a transfer leaves a person out (shared/transfers/files.py `_purpose_rules`)
    "restricted": ("käsittely rajoitettu", "behandlingen begränsad", "processing restricted"),
    "objected_direct_marketing": ("vastustaa suoramarkkinointia", "motsätter sig direktmarknadsföring",
                                  "objects to direct marketing"),
    "suppressed": ("markkinoinnin estolistalla", "på spärrlistan för marknadsföring", "on the suppression list"),
    "objected_research": ("vastustaa tutkimuksia", "motsätter sig undersökningar", "objects to research"),
    "not_a_customer": ("ei asiakasyrityksen yhteyshenkilö", "inte kontaktperson hos en kund",
                       "not a contact person of a customer"),
}
TRANSFER_STATUS = {
    "pending": ("jonossa", "i kö", "queued"),
    "ready": ("odottaa latausta", "väntar på nedladdning", "waiting for download"),
    "delivered": ("toimitettu", "levererad", "delivered"),
    "refused": ("estetty", "nekad", "refused"),
    "failed": ("epäonnistui", "misslyckades", "failed"),
    "expired": ("vanhentui", "förföll", "expired"),
}
REFUSALS = {  # shared/partners/service.py REFUSALS, for the reader
    "inactive": ("Kumppani ei ole käytössä.", "Partnern är inte i bruk.", "The partner is not active."),
    "not_in_force": ("Kirjallinen sopimus {reference} tulee voimaan vasta {date}.",
                     "Det skriftliga avtalet {reference} gäller först från {date}.",
                     "The written agreement {reference} is not in force until {date}."),
    "expired": ("Kirjallinen sopimus {reference} päättyi {date}.", "Det skriftliga avtalet {reference} upphörde "
                "{date}.", "The written agreement {reference} expired on {date}."),
    "purpose": ("Sopimus ei kata tätä tarkoitusta ({purpose}). Se kattaa: {covered}.",
                "Avtalet omfattar inte detta ändamål ({purpose}). Det omfattar: {covered}.",
                "The agreement does not cover this purpose ({purpose}). It covers: {covered}."),
    "fields": ("Kumppani ei saa näitä tietoja: {fields}.", "Partnern får inte dessa uppgifter: {fields}.",
               "The partner may not receive: {fields}."),
    "channel": ("Kumppanin toimitustavasta puuttuu osoite tai jaettu avain.",
                "Partnerns leveranssätt saknar adress eller delad nyckel.",
                "The partner's delivery has no address or no shared key."),
}
TRANSFER = {
    "title": ("Uusi luovutus kumppanille", "Nytt utlämnande till en partner", "New transfer to a partner"),
    "intro": ("Valitse kumppani, tarkoitus ja ketkä luovutetaan. Esikatselu kertoo, montako henkilöä lähtisi ja "
              "montako kukin sääntö jättää pois, ennen kuin mitään luovutetaan.",
              "Välj partner, ändamål och vilka som lämnas ut. Förhandsvisningen visar hur många personer som "
              "skulle gå och hur många varje regel utelämnar, innan något lämnas ut.",
              "Choose the partner, the purpose and who is included. The preview shows how many people would go "
              "and how many each rule leaves out, before anything is disclosed."),
    "partner": ("Kumppani", "Partner", "Partner"),
    "choose": ("Valitse", "Välj", "Choose"),
    "purpose": ("Tarkoitus", "Ändamål", "Purpose"),
    "fields": ("Luovutettavat tiedot", "Uppgifter som lämnas ut", "Data to disclose"),
    "fields_hint": ("Jos et valitse mitään, mukaan tulevat kaikki tiedot, jotka kumppani saa.",
                    "Om du inte väljer något tas alla uppgifter med som partnern får.",
                    "If you choose none, every field the partner may receive is included."),
    "lists": ("Vain näiden postituslistojen tilaajat", "Endast prenumeranter på dessa listor",
              "Only subscribers of these mailing lists"),
    "statuses": ("Vain näiden yritysten yhteyshenkilöt", "Endast kontaktpersoner hos dessa företag",
                 "Only contact persons of these companies"),
    "languages": ("Vain nämä kielet", "Endast dessa språk", "Only these languages"),
    "preview": ("Esikatsele", "Förhandsvisa", "Preview"),
    "make": ("Tee luovutus", "Gör utlämnandet", "Make the transfer"),
    "would_send": ("Luovutukseen tulisi {n} henkilöä.", "Utlämnandet skulle omfatta {n} personer.",
                   "The transfer would send {n} people."),
    "candidates": ("Valintaan osui {n} henkilöä; säännöt jättävät pois:", "Urvalet träffade {n} personer; "
                   "reglerna utelämnar:", "The selection matched {n} people; the rules leave out:"),
    "refused": ("Luovutusta ei voi tehdä", "Utlämnandet kan inte göras", "The transfer cannot be made"),
    "preview_title": ("Esikatselu", "Förhandsvisning", "Preview"),
    "more": ("ja {n} muuta", "och {n} till", "and {n} more"),
    "made": ("Luovutus on jonossa.", "Utlämnandet står i kö.",
             "The transfer is queued."),
    "link_once": ("Kumppanin latauslinkki näytetään vain nyt, tämän kerran:",
                  "Partnerns nedladdningslänk visas bara nu, denna gång:",
                  "The partner's download link is shown only now, this once:"),
    "purpose_missing": ("Valitse tarkoitus.", "Välj ett ändamål.", "Choose a purpose."),
    "partner_missing": ("Valitse kumppani.", "Välj en partner.", "Choose a partner."),
}

RETENTION = {
    "title": ("Säilytysajat", "Lagringstider", "Retention"),
    "intro": ("Mitä seuraava ajo poistaisi kunkin säännön mukaan (vain määrät), aiemmat ajot ja oikeudelliset "
              "pidot. Ajo käynnistyy yöllä itsestään; sen voi ajaa myös nyt.",
              "Vad nästa körning skulle ta bort enligt varje regel (endast antal), tidigare körningar och "
              "rättsliga kvarhållanden. Körningen startar av sig själv på natten; den kan också köras nu.",
              "What the next sweep would remove under each rule (counts only), past sweeps and legal holds. The "
              "sweep runs by itself at night; it can also run now."),
    "plan": ("Suunnitelma", "Plan", "Plan"),
    "rule": ("Sääntö", "Regel", "Rule"),
    "period": ("Säilytysaika", "Lagringstid", "Period"),
    "action": ("Toimenpide", "Åtgärd", "Action"),
    "count": ("Kohteita", "Poster", "Due"),
    "held": ("Pidossa", "Kvarhållna", "Held"),
    "restricted": ("Rajoitettuja", "Begränsade", "Restricted"),
    "run": ("Aja nyt", "Kör nu", "Run now"),
    "queued": ("Ajo on jonossa.", "Körningen står i kö.", "The sweep is queued."),
    "runs": ("Aiemmat ajot", "Tidigare körningar", "Past sweeps"),
    "trigger": ("Käynnistäjä", "Startad av", "Started by"),
    "started": ("Alkoi", "Började", "Started"),
    "finished": ("Päättyi", "Slutade", "Finished"),
    "counts": ("Määrät", "Antal", "Counts"),
    "running": ("käynnissä", "pågår", "running"),
    "holds": ("Oikeudelliset pidot", "Rättsliga kvarhållanden", "Legal holds"),
    "hold_target": ("Kohde", "Objekt", "Held"),
    "hold_until": ("Asti", "Till", "Until"),
    "hold_company": ("Yritys {id}", "Företag {id}", "Company {id}"),
    "hold_place": ("Aseta oikeudellinen pito", "Lägg ett rättsligt kvarhållande", "Place a legal hold"),
    "hold_place_hint": ("Pidon kohteena olevaa henkilöä tai yrityksen henkilöitä ei poisteta, ja heidän "
                        "käsittelynsä rajoitetaan, kunnes pito päättyy tai vapautetaan.",
                        "Den person eller de personer vid företaget som kvarhålls raderas inte, och behandlingen "
                        "begränsas tills kvarhållandet upphör eller hävs.",
                        "The person, or the company's people, are not erased and their processing is restricted "
                        "until the hold ends or is released."),
    "hold_contact_id": ("Henkilön numero", "Personens nummer", "Person's number"),
    "hold_company_id": ("Yrityksen numero", "Företagets nummer", "Company's number"),
    "hold_target_hint": ("Anna joko henkilön tai yrityksen numero, ei molempia.",
                         "Ange antingen personens eller företagets nummer, inte båda.",
                         "Give either the person's or the company's number, not both."),
    "hold_target_missing": ("Anna joko henkilön tai yrityksen numero.", "Ange antingen personens eller företagets "
                            "nummer.", "Give either the person's or the company's number."),
    "hold_not_found": ("Tällä numerolla ei löydy ketään.", "Ingen hittas med det numret.",
                       "No one has this number."),
    "hold_reason_hint": ("Laki tai vaatimus, jonka vuoksi tiedot säilytetään. Poistopyynnön vastaus kertoo sen "
                         "henkilölle.", "Lagen eller anspråket som gör att uppgifterna bevaras. Svaret på en "
                         "begäran om radering citerar det för personen.",
                         "The law or the claim the data is kept for. An erasure answer quotes it to the person."),
    "hold_until_hint": ("Muodossa VVVV-KK-PP. Tyhjä: kunnes pito vapautetaan.",
                        "I formen ÅÅÅÅ-MM-DD. Tomt: tills kvarhållandet hävs.",
                        "As YYYY-MM-DD. Empty: until the hold is released."),
    "hold_until_invalid": ("Anna päivä muodossa VVVV-KK-PP.", "Ange dagen som ÅÅÅÅ-MM-DD.",
                           "Give the date as YYYY-MM-DD."),
    "hold_release": ("Vapauta", "Häv", "Release"),
    "placed": ("Pito asetettu; sen kattamien henkilöiden käsittely on rajoitettu.",
               "Kvarhållandet är lagt; behandlingen av dem det gäller är begränsad.",
               "The hold is in place; the processing of those it covers is restricted."),
    "released": ("Pito vapautettu; rajoitus poistettiin niiltä, joita muu pito ei koske.",
                 "Kvarhållandet är hävt; begränsningen hävdes för dem som inget annat kvarhållande gäller.",
                 "The hold is released; the restriction was lifted from those no other hold covers."),
    "trigger.schedule": ("ajastus", "schemat", "the schedule"),
    "trigger.api": ("henkilökunta", "personalen", "staff"),
    "trigger.desk": ("henkilökunta", "personalen", "staff"),
    "trigger.cli": ("komentorivi", "kommandoraden", "the command line"),
}
RULE_NAMES = {  # the retention policy's rules (shared/retention/policy.py RULES)
    "prospects": ("Mahdollisten asiakkaiden yhteyshenkilöt", "Kontaktpersoner hos potentiella kunder",
                  "Contact persons of prospects"),
    "former_customers": ("Entisten asiakkaiden yhteyshenkilöt", "Kontaktpersoner hos tidigare kunder",
                         "Contact persons of former clients"),
    "web_events": ("Verkkokäynnit", "Webbesök", "Web events"),
    "feedback": ("Palautteet", "Respons", "Feedback"),
    "access_exports": ("Tarkastusvastaukset ladattavana", "Registerutdrag för nedladdning",
                       "Access answers for download"),
    "verification_tokens": ("Vahvistuslinkit", "Bekräftelselänkar", "Verification links"),
    "access_log": ("Katselujen loki", "Logg över läsningar", "Access log"),
    "finished_requests": ("Valmiit pyynnöt", "Avslutade begäranden", "Finished requests"),
    "import_files": ("Tuontitiedostot", "Importfiler", "Import files"),
}

BREACHES = {
    "title": ("Tietoturvaloukkaukset", "Personuppgiftsincidenter", "Personal data breaches"),
    "intro": ("Jokainen loukkaus kirjataan. Tietosuojavaltuutetulle on ilmoitettava 72 tunnin kuluessa siitä, kun "
              "loukkaus tuli tietoon, ellei se todennäköisesti aiheuta riskiä.",
              "Varje incident dokumenteras. Den ska anmälas till dataombudsmannen inom 72 timmar från att den "
              "blev känd, om den inte sannolikt medför en risk.",
              "Every breach is recorded. It must be reported to the Data Protection Ombudsman within 72 hours of "
              "becoming known, unless it is unlikely to result in a risk."),
    "summary": ("Lyhyesti", "Kortfattat", "Summary"),
    "description": ("Mitä tapahtui", "Vad som hände", "What happened"),
    "discovered": ("Tuli tietoon", "Blev känd", "Became known"),
    "deadline": ("Ilmoitettava viimeistään", "Ska anmälas senast", "Report by"),
    "left": ("{h} t {m} min jäljellä", "{h} h {m} min kvar", "{h} h {m} min left"),
    "overdue": ("Myöhässä", "Försenad", "Overdue"),
    "reported": ("Ilmoitettu", "Anmäld", "Reported"),
    "status": ("Tila", "Status", "Status"),
    "estimate": ("Arvio", "Uppskattning", "Estimate"),
    "people": ("Henkilöitä", "Personer", "People"),
    "records": ("Tietueita", "Poster", "Records"),
    "computed": ("Lokien mukaan", "Enligt loggarna", "From the logs"),
    "authority_notified": ("Ilmoitettu tietosuojavaltuutetulle", "Anmäld till dataombudsmannen",
                           "Reported to the Ombudsman"),
    "subjects_notified": ("Ilmoitettu henkilöille", "Meddelad till personerna", "People told"),
    "delay_reason": ("Syy myöhästymiseen", "Orsak till förseningen", "Reason for the delay"),
    "high_risk": ("Korkea riski: henkilöille on kerrottava", "Hög risk: personerna ska informeras",
                  "High risk: the people must be told"),
    "new": ("Kirjaa uusi loukkaus", "Registrera en ny incident", "Record a new breach"),
    "create": ("Kirjaa", "Registrera", "Record"),
    "open": ("Avaa", "Öppna", "Open"),
    "notifications": ("Ilmoitukset", "Anmälningar", "Notifications"),
    "save": ("Tallenna", "Spara", "Save"),
    "estimate_title": ("Arvioi lokeista", "Uppskatta ur loggarna", "Estimate from the logs"),
    "estimate_hint": ("Laskee katselu- ja luovutuslokeista, keiden tietoja aikavälillä käsiteltiin.",
                      "Räknar ur loggarna över läsningar och utlämnanden vems uppgifter som behandlades under "
                      "perioden.",
                      "Counts from the access and disclosure logs whose data was handled in the window."),
    "since": ("Alkaen", "Från", "From"),
    "until": ("Asti", "Till", "Until"),
    "count": ("Laske", "Räkna", "Count"),
    "none_yet": ("Ei vielä", "Inte ännu", "Not yet"),
    "status.open": ("avoin", "öppen", "open"),
    "status.reported": ("ilmoitettu", "anmäld", "reported"),
    "status.closed": ("suljettu", "stängd", "closed"),
    "summary_missing": ("Kirjoita lyhyt kuvaus (vähintään 3 merkkiä).", "Skriv en kort beskrivning (minst 3 tecken).",
                        "Write a short summary (at least 3 characters)."),
    "future": ("Aika ei voi olla tulevaisuudessa.", "Tiden kan inte ligga i framtiden.",
               "The time cannot be in the future."),
}

NOTICE = {
    "title": ("Tietosuojaseloste", "Dataskyddsbeskrivning", "Privacy notice"),
    "intro": ("Luonnos on seloste sellaisena kuin se julkaistaisiin nyt (asetuksista, säilytysajoista ja "
              "kumppaneista). Rivit, jotka ovat vain luonnoksessa, on merkitty plusmerkillä ja rivit, jotka "
              "poistuisivat, miinusmerkillä.",
              "Utkastet är beskrivningen så som den skulle publiceras nu (ur inställningarna, lagringstiderna och "
              "partnerna). Rader som bara finns i utkastet har ett plustecken och rader som skulle försvinna ett "
              "minustecken.",
              "The draft is the notice as it would be published now (from the settings, the retention periods and "
              "the partners). Lines only in the draft are marked with a plus sign, lines that would go with a "
              "minus sign."),
    "language": ("Kieli", "Språk", "Language"),
    "show": ("Näytä", "Visa", "Show"),
    "published": ("Julkaistu versio {version} ({date})", "Publicerad version {version} ({date})",
                  "Published version {version} ({date})"),
    "nothing_published": ("Mitään ei ole vielä julkaistu", "Inget har publicerats ännu", "Nothing published yet"),
    "draft": ("Luonnos", "Utkast", "Draft"),
    "added": ("lisätty", "tillagd", "added"),
    "removed": ("poistettu", "borttagen", "removed"),
    "changes": ("{added} riviä lisätty, {removed} poistettu.", "{added} rader tillagda, {removed} borttagna.",
                "{added} lines added, {removed} removed."),
    "publish": ("Julkaise", "Publicera", "Publish"),
    "change_note": ("Mitä muuttui", "Vad som ändrats", "What changed"),
    "change_note_hint": ("Näkyy julkaistujen versioiden luettelossa.", "Visas i listan över publicerade versioner.",
                         "Shown in the list of published versions."),
    "note_short": ("Kerro, mitä muuttui (vähintään 3 merkkiä).", "Ange vad som ändrats (minst 3 tecken).",
                   "Say what changed (at least 3 characters)."),
    "published_now": ("Versio {version} julkaistiin.", "Version {version} publicerades.",
                      "Version {version} was published."),
    "unchanged": ("Luonnos on sama kuin julkaistu versio; julkaistavaa ei ole.",
                  "Utkastet är detsamma som den publicerade versionen; det finns inget att publicera.",
                  "The draft is the same as the published version; there is nothing to publish."),
}

OUTCOMES = {
    "title": ("Postin tuntemattomat lopputulokset", "Okända utfall för e-post", "Unknown mail outcomes"),
    "intro": ("Näiden viestien sisältö ehti postipalvelimelle, mutta vastausta ei tullut: palvelin on voinut "
              "toimittaa ne. Niitä ei lähetetä uudelleen itsestään. Tarkista postipalvelimen lokista "
              "viestitunnisteella, hyväksyikö palvelin viestin, ja ratkaise sen mukaan.",
              "Innehållet i dessa meddelanden nådde e-postservern, men inget svar kom: servern kan ha levererat "
              "dem. De skickas inte om av sig själva. Kontrollera i e-postserverns logg med meddelande-id om "
              "servern tog emot meddelandet, och avgör därefter.",
              "The content of these messages reached the mail server, but no answer came back: the server may "
              "have delivered them. They are not sent again by themselves. Check the mail server's log for the "
              "message id to see whether the server accepted it, and decide accordingly."),
    "marketing": ("Markkinointiviestit", "Marknadsföringsmeddelanden", "Marketing messages"),
    "transactional": ("Asiointiviestit", "Transaktionsmeddelanden", "Transactional messages"),
    "to": ("Vastaanottaja", "Mottagare", "To"),
    "subject": ("Aihe", "Ämne", "Subject"),
    "check": ("Etsi postipalvelimen lokista viestitunnistetta {message_id} ajalta {when}.",
              "Sök i e-postserverns logg efter meddelande-id {message_id} kring {when}.",
              "Look in the mail server's log for message id {message_id} around {when}."),
    "attempts": ("Lähetysyritykset", "Sändningsförsök", "Attempts"),
    "decision": ("Ratkaisu", "Beslut", "Decision"),
    "delivered": ("Toimitettu: palvelimen loki näyttää, että se hyväksyi viestin",
                  "Levererat: serverns logg visar att den tog emot meddelandet",
                  "Delivered: the server's log shows it accepted the message"),
    "requeue": ("Lähetä uudelleen: palvelin ei hyväksynyt viestiä",
                "Skicka igen: servern tog inte emot meddelandet",
                "Send again: the server did not accept the message"),
    "resolve": ("Ratkaise", "Avgör", "Resolve"),
    "decision_missing": ("Valitse ratkaisu.", "Välj ett beslut.", "Choose a decision."),
    "resolved": ("Ratkaistu.", "Avgjort.", "Resolved."),
    "campaign": ("Kampanja {id}", "Kampanj {id}", "Campaign {id}"),
    "nothing": ("Ei ratkaistavaa.", "Inget att avgöra.", "Nothing to resolve."),
}

TEXTS = {
    **entries("reg", COMMON),
    **entries("reg.people", PEOPLE),
    **entries("reg.person", PERSON),
    **entries("reg.section", SECTIONS),
    **entries("reg.partners", PARTNERS),
    **entries("reg.rule", RULES),
    **entries("reg.refusal", REFUSALS),
    **entries("reg.transfer_status", TRANSFER_STATUS),
    **entries("reg.transfer", TRANSFER),
    **entries("reg.retention", RETENTION),
    **entries("reg.retention_rule", RULE_NAMES),
    **entries("reg.breaches", BREACHES),
    **entries("reg.notice", NOTICE),
    **entries("reg.outcomes", OUTCOMES),
}
