"""The privacy centre's texts (`/privacy`): home, a form per right, verification, status,
download, the marketing preference page, and the link lines of the mails about them."""

TEXTS = {
    # -- home ------------------------------------------------------------------------------------
    "centre.home.title": {"fi": "Tietosuoja ja oikeutesi", "sv": "Dataskydd och dina rättigheter",
                          "en": "Privacy and your rights"},
    "centre.home.intro": {
        "fi": "{controller} pitää asiakas- ja markkinointirekisteriä, jossa on asiakasyritysten yhteyshenkilöiden "
              "tietoja. Tällä sivulla voit käyttää oikeuksiasi: nähdä tietosi, korjata tai poistaa ne, rajoittaa "
              "niiden käsittelyä tai kieltää markkinoinnin. Et tarvitse tunnuksia.",
        "sv": "{controller} för ett kund- och marknadsföringsregister med uppgifter om kontaktpersoner hos "
              "kundföretag. På den här sidan kan du använda dina rättigheter: se dina uppgifter, rätta eller "
              "radera dem, begränsa behandlingen eller förbjuda marknadsföring. Du behöver inget konto.",
        "en": "{controller} keeps a customer and marketing register with the details of contact persons at client "
              "companies. On this page you can use your rights: see your data, correct or erase it, restrict its "
              "processing or stop marketing. You need no account."},
    "centre.home.controller": {"fi": "Rekisterinpitäjä", "sv": "Personuppgiftsansvarig", "en": "Controller"},
    "centre.home.name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "centre.home.address": {"fi": "Osoite", "sv": "Adress", "en": "Address"},
    "centre.home.business_id": {"fi": "Y-tunnus", "sv": "FO-nummer", "en": "Business ID"},
    "centre.home.contact_person": {"fi": "Rekisteriasioiden yhteyshenkilö", "sv": "Kontaktperson i registerärenden",
                                   "en": "Contact person for register matters"},
    "centre.home.phone": {"fi": "Puhelin", "sv": "Telefon", "en": "Phone"},
    "centre.home.rights": {"fi": "Oikeutesi", "sv": "Dina rättigheter", "en": "Your rights"},
    "centre.home.how": {
        "fi": "Jokainen pyyntö vahvistetaan linkillä, jonka lähetämme sähköpostiisi. Pyynnöt ovat maksuttomia, ja "
              "vastaamme viimeistään kuukauden kuluessa.",
        "sv": "Varje begäran bekräftas med en länk som vi skickar till din e-post. Begäranden är avgiftsfria och "
              "vi svarar inom en månad.",
        "en": "Every request is confirmed with a link we send to your email. Requests are free of charge and we "
              "answer within a month."},
    "centre.home.consent": {
        "fi": "Suostumuksen voit perua milloin tahansa. Jokaisen markkinointiviestin lopussa on linkki sivulle, "
              "jolla voit perua suostumuksen, lopettaa tilauksen tai kieltää markkinoinnin.",
        "sv": "Ett samtycke kan du återkalla när som helst. I slutet av varje marknadsföringsmeddelande finns en "
              "länk till en sida där du kan återkalla samtycket, avsluta prenumerationen eller förbjuda "
              "marknadsföring.",
        "en": "You can withdraw a consent at any time. At the end of every marketing message there is a link to a "
              "page where you can withdraw the consent, leave a list or stop marketing."},
    "centre.home.complaint_title": {"fi": "Oikeus valittaa", "sv": "Rätt att klaga", "en": "Right to complain"},
    "centre.complaint": {
        "fi": "Sinulla on oikeus tehdä valitus tietosuojavaltuutetulle (tietosuoja.fi), jos katsot, että tietojasi "
              "käsitellään lainvastaisesti.",
        "sv": "Du har rätt att lämna in klagomål till dataombudsmannen (tietosuoja.fi) om du anser att dina "
              "uppgifter behandlas i strid med lagen.",
        "en": "You have the right to lodge a complaint with the Data Protection Ombudsman (tietosuoja.fi) if you "
              "think your data is processed unlawfully."},
    "centre.home.notice": {"fi": "Tietosuojaseloste", "sv": "Dataskyddsbeskrivning", "en": "Privacy notice"},
    "centre.home.notice_current": {"fi": "Lue voimassa oleva tietosuojaseloste (versio {version}, {date})",
                                   "sv": "Läs den gällande dataskyddsbeskrivningen (utgåva {version}, {date})",
                                   "en": "Read the current privacy notice (version {version}, {date})"},
    "centre.home.notice_earlier": {"fi": "Aiemmat versiot", "sv": "Tidigare utgåvor", "en": "Earlier versions"},
    "centre.home.notice_version": {"fi": "Versio {version}, julkaistu {date}", "sv": "Utgåva {version}, publicerad {date}",
                                   "en": "Version {version}, published {date}"},
    "centre.home.notice_none": {"fi": "Tietosuojaselostetta ei ole vielä julkaistu.",
                                "sv": "Dataskyddsbeskrivningen har inte publicerats ännu.",
                                "en": "The privacy notice has not been published yet."},
    "centre.home.link": {"fi": "Tietosuoja ja oikeutesi", "sv": "Dataskydd och dina rättigheter",
                         "en": "Privacy and your rights"},
    # -- the rights, in plain words -------------------------------------------------------------
    "centre.right.access.title": {"fi": "Oikeus nähdä tietosi", "sv": "Rätt att se dina uppgifter",
                                  "en": "Right to see your data"},
    "centre.right.access.text": {
        "fi": "Saat kopion kaikista tiedoista, jotka meillä on sinusta, sekä tiedon siitä, mistä ne on saatu, "
              "mihin niitä käytetään ja kuinka kauan niitä säilytetään.",
        "sv": "Du får en kopia av alla uppgifter vi har om dig, och får veta varifrån de kommer, vad de används "
              "till och hur länge de sparas.",
        "en": "You get a copy of all the data we hold about you, and learn where it came from, what it is used "
              "for and how long it is kept."},
    "centre.right.rectification.title": {"fi": "Oikeus korjata tietosi", "sv": "Rätt att rätta dina uppgifter",
                                         "en": "Right to correct your data"},
    "centre.right.rectification.text": {
        "fi": "Voit pyytää korjaamaan väärät tai vanhentuneet tiedot.",
        "sv": "Du kan begära att vi rättar felaktiga eller föråldrade uppgifter.",
        "en": "You can ask us to correct data that is wrong or out of date."},
    "centre.right.erasure.title": {"fi": "Oikeus poistaa tietosi", "sv": "Rätt att radera dina uppgifter",
                                   "en": "Right to erase your data"},
    "centre.right.erasure.text": {
        "fi": "Voit pyytää poistamaan tietosi. Säilytämme vain sen, mitä laki velvoittaa säilyttämään, ja kerromme "
              "sinulle siitä.",
        "sv": "Du kan begära att vi raderar dina uppgifter. Vi behåller bara det som lagen kräver och berättar det för dig.",
        "en": "You can ask us to erase your data. We keep only what the law requires us to keep, and tell you so."},
    "centre.right.restriction.title": {"fi": "Oikeus rajoittaa käsittelyä", "sv": "Rätt att begränsa behandlingen",
                                       "en": "Right to restrict processing"},
    "centre.right.restriction.text": {
        "fi": "Voit pyytää, että tietojasi säilytetään mutta niitä ei käytetä, esimerkiksi sillä aikaa kun niiden "
              "oikeellisuutta selvitetään.",
        "sv": "Du kan begära att dina uppgifter sparas men inte används, till exempel medan det utreds om de är "
              "korrekta.",
        "en": "You can ask that your data is kept but not used, for example while we check whether it is "
              "correct."},
    "centre.right.objection.title": {"fi": "Oikeus kieltää markkinointi", "sv": "Rätt att förbjuda marknadsföring",
                                     "en": "Right to stop marketing"},
    "centre.right.objection.text": {
        "fi": "Voit kieltää suoramarkkinoinnin tai markkina- ja mielipidetutkimukset. Kielto on voimassa heti, kun "
              "vahvistat sen.",
        "sv": "Du kan förbjuda direktmarknadsföring eller marknads- och opinionsundersökningar. Förbudet gäller "
              "så fort du har bekräftat det.",
        "en": "You can object to direct marketing or to market and opinion research. The objection applies as "
              "soon as you confirm it."},
    "centre.right.access.link": {"fi": "Pyydä tietosi", "sv": "Begär dina uppgifter", "en": "Ask for your data"},
    "centre.right.rectification.link": {"fi": "Pyydä korjausta", "sv": "Begär rättelse", "en": "Ask for a correction"},
    "centre.right.erasure.link": {"fi": "Pyydä poistoa", "sv": "Begär radering", "en": "Ask for erasure"},
    "centre.right.restriction.link": {"fi": "Pyydä rajoitusta", "sv": "Begär begränsning",
                                      "en": "Ask for a restriction"},
    "centre.right.objection.link": {"fi": "Kiellä markkinointi", "sv": "Förbjud marknadsföring", "en": "Stop marketing"},
    # -- kinds and scopes as a person reads them -------------------------------------------------
    "centre.kind.access": {"fi": "Tietojen tarkastus", "sv": "Tillgång till uppgifter", "en": "Access to your data"},
    "centre.kind.rectification": {"fi": "Tietojen korjaus", "sv": "Rättelse av uppgifter",
                                  "en": "Correction of your data"},
    "centre.kind.erasure": {"fi": "Tietojen poisto", "sv": "Radering av uppgifter", "en": "Erasure of your data"},
    "centre.kind.restriction": {"fi": "Käsittelyn rajoitus", "sv": "Begränsning av behandlingen",
                                "en": "Restriction of processing"},
    "centre.kind.objection": {"fi": "Markkinoinnin kielto", "sv": "Förbud mot marknadsföring",
                              "en": "Objection to marketing"},
    "centre.scope.direct_marketing": {"fi": "Suoramarkkinointi", "sv": "Direktmarknadsföring",
                                      "en": "Direct marketing"},
    "centre.scope.research": {"fi": "Markkina- ja mielipidetutkimukset", "sv": "Marknads- och opinionsundersökningar",
                              "en": "Market and opinion research"},
    "centre.scope.both": {"fi": "Suoramarkkinointi sekä markkina- ja mielipidetutkimukset",
                          "sv": "Direktmarknadsföring samt marknads- och opinionsundersökningar",
                          "en": "Direct marketing and market and opinion research"},
    # -- the forms ------------------------------------------------------------------------------
    "centre.form.access.intro": {
        "fi": "Kokoamme kaikki tiedot, jotka meillä on sinusta, ja lähetämme sähköpostiisi linkin, josta voit "
              "lukea ja ladata ne.",
        "sv": "Vi samlar alla uppgifter vi har om dig och skickar en länk till din e-post där du kan läsa och "
              "ladda ner dem.",
        "en": "We gather all the data we hold about you and email you a link where you can read and download it."},
    "centre.form.rectification.intro": {
        "fi": "Kerro, mitkä tiedot ovat väärin ja mitä niiden pitäisi olla. Tarkistamme korjaukset ja kerromme, "
              "mitä muutimme.",
        "sv": "Berätta vilka uppgifter som är fel och vad de borde vara. Vi granskar rättelserna och berättar vad "
              "vi ändrade.",
        "en": "Tell us which details are wrong and what they should be. We check the corrections and tell you "
              "what we changed."},
    "centre.form.erasure.intro": {
        "fi": "Poistamme tietosi rekisteristä. Säilytämme vain suojatun tunnisteen osoitteestasi, jottei sitä "
              "lisätä markkinointiin uudelleen.",
        "sv": "Vi raderar dina uppgifter ur registret. Vi behåller bara en skyddad kod av din adress så att den "
              "inte läggs till i marknadsföring igen.",
        "en": "We erase your data from the register. We keep only a protected code of your address so that it "
              "is never added to marketing again."},
    "centre.form.restriction.intro": {
        "fi": "Tietojasi ei käytetä mihinkään, ennen kuin rajoitus poistetaan. Kerromme ennen kuin poistamme sen.",
        "sv": "Dina uppgifter används inte till något förrän begränsningen hävs. Vi meddelar dig innan den hävs.",
        "en": "Your data is not used for anything until the restriction is lifted. We tell you before we lift "
              "it."},
    "centre.form.objection.intro": {
        "fi": "Kielto on voimassa heti, kun vahvistat sen sähköpostiisi lähetettävällä linkillä.",
        "sv": "Förbudet gäller så fort du bekräftar det med länken som vi skickar till din e-post.",
        "en": "The objection applies as soon as you confirm it with the link we send to your email."},
    "centre.form.email": {"fi": "Sähköpostiosoitteesi", "sv": "Din e-postadress", "en": "Your email address"},
    "centre.form.email_hint": {
        "fi": "Lähetämme tähän osoitteeseen vahvistuslinkin. Käytä osoitetta, johon olet saanut viestejämme.",
        "sv": "Vi skickar en bekräftelselänk till den här adressen. Använd adressen där du har fått våra "
              "meddelanden.",
        "en": "We send a confirmation link to this address. Use the address where you have received our "
              "messages."},
    "centre.form.language": {"fi": "Millä kielellä vastaamme?", "sv": "På vilket språk ska vi svara?",
                             "en": "Which language should we answer in?"},
    "centre.form.scope": {"fi": "Mitä kiellät?", "sv": "Vad vill du förbjuda?", "en": "What do you object to?"},
    "centre.form.changes": {"fi": "Mitkä tiedot pitää korjata?", "sv": "Vilka uppgifter ska rättas?",
                            "en": "Which details should change?"},
    "centre.form.changes_hint": {
        "fi": "Kirjoita oikea tieto vain niihin kohtiin, jotka haluat korjata. Jätä muut tyhjiksi.",
        "sv": "Skriv den rätta uppgiften bara i de fält som du vill rätta. Lämna de andra tomma.",
        "en": "Write the correct value only in the fields you want to change. Leave the others empty."},
    "centre.form.field.first_name": {"fi": "Etunimi", "sv": "Förnamn", "en": "First name"},
    "centre.form.field.last_name": {"fi": "Sukunimi", "sv": "Efternamn", "en": "Last name"},
    "centre.form.field.position": {"fi": "Asema yrityksessä", "sv": "Ställning i företaget",
                                   "en": "Position in the company"},
    "centre.form.field.email": {"fi": "Sähköpostiosoite", "sv": "E-postadress", "en": "Email address"},
    "centre.form.field.phone": {"fi": "Puhelinnumero", "sv": "Telefonnummer", "en": "Phone number"},
    "centre.form.field.language": {"fi": "Asiointikieli", "sv": "Kontaktspråk", "en": "Language for contact"},
    "centre.form.no_change": {"fi": "Ei muutosta", "sv": "Ingen ändring", "en": "No change"},
    "centre.form.explanation": {"fi": "Selitys", "sv": "Förklaring", "en": "Explanation"},
    "centre.form.explanation_hint": {
        "fi": "Kerro tarvittaessa lisää: mikä on väärin ja miksi.",
        "sv": "Berätta mer vid behov: vad är fel och varför.",
        "en": "Tell us more if needed: what is wrong and why."},
    "centre.form.reason": {"fi": "Perustelu (vapaaehtoinen)", "sv": "Motivering (frivillig)",
                           "en": "Reason (optional)"},
    "centre.form.submit": {"fi": "Lähetä pyyntö", "sv": "Skicka begäran", "en": "Send the request"},
    "centre.back": {"fi": "Takaisin tietosuojasivulle", "sv": "Tillbaka till dataskyddssidan",
                    "en": "Back to the privacy page"},
    "centre.error.email": {"fi": "Kirjoita sähköpostiosoite muodossa nimi@esimerkki.fi",
                           "sv": "Skriv e-postadressen i formen namn@exempel.fi",
                           "en": "Enter an email address in the form name@example.com"},
    "centre.error.language": {"fi": "Valitse kieli", "sv": "Välj språk", "en": "Choose a language"},
    "centre.error.objection_scope": {"fi": "Valitse, mitä kiellät", "sv": "Välj vad du vill förbjuda",
                                     "en": "Choose what you object to"},
    "centre.error.changes": {
        "fi": "Kirjoita vähintään yksi korjattu tieto tai selitys",
        "sv": "Skriv minst en rättad uppgift eller en förklaring",
        "en": "Enter at least one corrected value or an explanation"},
    "centre.error.too_long": {"fi": "Teksti on liian pitkä", "sv": "Texten är för lång", "en": "The text is too long"},
    # -- after sending ---------------------------------------------------------------------------
    "centre.sent.title": {"fi": "Tarkista sähköpostisi", "sv": "Kontrollera din e-post", "en": "Check your email"},
    "centre.sent.text": {
        "fi": "Jos osoite on oikein, lähetimme siihen viestin, jossa on vahvistuslinkki. Pyyntösi etenee, kun "
              "avaat linkin ja vahvistat pyynnön.",
        "sv": "Om adressen stämmer har vi skickat ett meddelande med en bekräftelselänk till den. Din begäran "
              "går vidare när du öppnar länken och bekräftar begäran.",
        "en": "If the address is right, we have sent it a message with a confirmation link. Your request goes "
              "ahead once you open the link and confirm it."},
    "centre.sent.once": {
        "fi": "Linkki toimii kerran ja on voimassa {hours} tuntia. Jos viestiä ei kuulu, katso roskapostikansio "
              "tai tee uusi pyyntö.",
        "sv": "Länken fungerar en gång och gäller i {hours} timmar. Om inget meddelande kommer, titta i "
              "skräppostmappen eller gör en ny begäran.",
        "en": "The link works once, for {hours} hours. If no message arrives, look in your spam folder or make a "
              "new request."},
    "centre.limited.title": {"fi": "Liian monta pyyntöä", "sv": "För många begäranden", "en": "Too many requests"},
    "centre.limited.text": {
        "fi": "Tästä osoitteesta tai laitteesta on tehty tunnin sisällä niin monta pyyntöä, ettemme ota uutta "
              "vastaan juuri nyt. Voit yrittää uudelleen {time} jälkeen.",
        "sv": "Det har kommit så många begäranden från den här adressen eller enheten inom en timme att vi inte "
              "tar emot en ny för tillfället. Du kan försöka igen efter {time}.",
        "en": "So many requests have come from this address or device within the hour that we cannot take a new "
              "one just now. You can try again after {time}."},
    # -- the emailed link ------------------------------------------------------------------------
    "centre.verify.title": {"fi": "Vahvista pyyntösi", "sv": "Bekräfta din begäran", "en": "Confirm your request"},
    "centre.verify.text": {"fi": "Olet vahvistamassa tämän pyynnön:", "sv": "Du håller på att bekräfta den här "
                           "begäran:", "en": "You are confirming this request:"},
    "centre.verify.kind": {"fi": "Pyyntö", "sv": "Begäran", "en": "Request"},
    "centre.verify.scope": {"fi": "Koskee", "sv": "Gäller", "en": "Covers"},
    "centre.verify.address": {"fi": "Sähköpostiosoite", "sv": "E-postadress", "en": "Email address"},
    "centre.verify.received": {"fi": "Vastaanotettu", "sv": "Mottagen", "en": "Received"},
    "centre.verify.button": {"fi": "Vahvista pyyntö", "sv": "Bekräfta begäran", "en": "Confirm the request"},
    "centre.verify.not_you": {
        "fi": "Jos et tehnyt tätä pyyntöä, älä vahvista sitä. Vahvistamaton pyyntö raukeaa itsestään.",
        "sv": "Om du inte har gjort den här begäran ska du inte bekräfta den. En obekräftad begäran förfaller "
              "av sig själv.",
        "en": "If you did not make this request, do not confirm it. A request nobody confirms lapses by itself."},
    "centre.invalid.title": {"fi": "Linkki ei ole enää voimassa", "sv": "Länken gäller inte längre",
                             "en": "This link no longer works"},
    "centre.invalid.text": {
        "fi": "Linkki on jo käytetty tai se on vanhentunut. Vahvistuslinkki toimii kerran ja on voimassa "
              "{hours} tuntia. Jos vahvistit pyynnön jo, sen tilanne on kerrottu sähköpostiisi tulleessa viestissä.",
        "sv": "Länken har redan använts eller har gått ut. En bekräftelselänk fungerar en gång och gäller i "
              "{hours} timmar. Om du redan har bekräftat begäran finns dess läge i meddelandet till din e-post.",
        "en": "The link has been used already or has expired. A confirmation link works once, for {hours} hours. "
              "If you confirmed the request already, the message in your email tells you where it stands."},
    "centre.invalid.again": {"fi": "Tee uusi pyyntö", "sv": "Gör en ny begäran", "en": "Make a new request"},
    "centre.badlink.title": {"fi": "Linkki ei kelpaa", "sv": "Länken är inte giltig", "en": "The link is not valid"},
    "centre.badlink.text": {
        "fi": "Tarkista, että avasit linkin viestistä kokonaisena.",
        "sv": "Kontrollera att du öppnade hela länken från meddelandet.",
        "en": "Check that you opened the whole link from the message."},
    # -- status ----------------------------------------------------------------------------------
    "centre.status.title": {"fi": "Pyyntösi tilanne", "sv": "Läget för din begäran", "en": "Your request"},
    "centre.status.confirmed": {"fi": "Kiitos, pyyntösi on vahvistettu.", "sv": "Tack, din begäran är bekräftad.",
                                "en": "Thank you, your request is confirmed."},
    "centre.status.state": {"fi": "Tilanne", "sv": "Läge", "en": "Status"},
    "centre.status.phase.awaiting_confirmation": {
        "fi": "Vastaanotettu, odottaa vahvistustasi sähköpostiin lähetetyllä linkillä",
        "sv": "Mottagen, väntar på att du bekräftar den med länken i din e-post",
        "en": "Received, waiting for you to confirm it with the link in your email"},
    "centre.status.phase.in_progress": {"fi": "Käsittelyssä", "sv": "Under behandling", "en": "Being handled"},
    "centre.status.phase.waiting_officer": {"fi": "Odottaa tietosuojavastaavan käsittelyä",
                                            "sv": "Väntar på dataskyddsombudets behandling",
                                            "en": "Waiting for the privacy officer"},
    "centre.status.phase.done": {"fi": "Valmis", "sv": "Klar", "en": "Done"},
    "centre.status.phase.no_data": {"fi": "Valmis: rekisterissä ei ole sinua koskevia tietoja",
                                    "sv": "Klar: registret innehåller inga uppgifter om dig",
                                    "en": "Done: the register holds no data about you"},
    "centre.status.phase.rejected": {"fi": "Hylätty", "sv": "Avslagen", "en": "Rejected"},
    "centre.status.phase.cancelled": {"fi": "Peruttu", "sv": "Återkallad", "en": "Cancelled"},
    "centre.status.next": {"fi": "Mitä seuraavaksi tapahtuu", "sv": "Vad som händer härnäst",
                           "en": "What happens next"},
    "centre.status.next.access": {
        "fi": "Kokoamme kaikki tiedot, jotka meillä on sinusta. Saat sähköpostiisi linkin, josta voit lukea ja "
              "ladata ne.",
        "sv": "Vi samlar alla uppgifter vi har om dig. Du får en länk till din e-post där du kan läsa och ladda "
              "ner dem.",
        "en": "We gather all the data we hold about you. You will get a link by email where you can read and "
              "download it."},
    "centre.status.next.rectification": {
        "fi": "Tietosuojavastaava tarkistaa ehdottamasi korjaukset. Kerromme sähköpostitse, mitä korjasimme.",
        "sv": "Dataskyddsombudet granskar de rättelser du föreslog. Vi berättar per e-post vad vi rättade.",
        "en": "The privacy officer checks the corrections you proposed. We will tell you by email what we "
              "changed."},
    "centre.status.next.erasure": {
        "fi": "Poistamme tietosi. Kerromme sähköpostitse, kun ne on poistettu.",
        "sv": "Vi raderar dina uppgifter. Vi meddelar dig per e-post när de är raderade.",
        "en": "We erase your data. We will tell you by email when it is gone."},
    "centre.status.done.access": {
        "fi": "Lähetimme sähköpostiisi linkin, josta voit lukea ja ladata tietosi.",
        "sv": "Vi har skickat en länk till din e-post där du kan läsa och ladda ner dina uppgifter.",
        "en": "We have emailed you a link where you can read and download your data."},
    "centre.status.done.rectification": {
        "fi": "Korjasimme tietosi. Kerroimme sähköpostitse, mitä muutimme.",
        "sv": "Vi har rättat dina uppgifter. Vi har berättat per e-post vad vi ändrade.",
        "en": "We have corrected your data and told you by email what we changed."},
    "centre.status.done.erasure": {
        "fi": "Tietosi on poistettu rekisteristämme.", "sv": "Dina uppgifter har raderats ur vårt register.",
        "en": "Your data has been erased from our register."},
    "centre.status.done.restriction": {
        "fi": "Tietojesi käsittely on rajoitettu. Kerromme ennen kuin rajoitus poistetaan.",
        "sv": "Behandlingen av dina uppgifter är begränsad. Vi meddelar dig innan begränsningen hävs.",
        "en": "Processing of your data is restricted. We will tell you before the restriction is lifted."},
    "centre.status.done.objection": {
        "fi": "Kielto on kirjattu ja voimassa heti.", "sv": "Förbudet är registrerat och gäller omedelbart.",
        "en": "Your objection is recorded and applies now."},
    "centre.status.due": {"fi": "Vastaamme viimeistään {date}.", "sv": "Vi svarar senast {date}.",
                          "en": "We will answer by {date} at the latest."},
    "centre.status.extended": {"fi": "Käsittelyaikaa on jatkettu {date} asti. Syy: {reason}",
                               "sv": "Handläggningstiden har förlängts till och med {date}. Orsak: {reason}",
                               "en": "We have extended the time to answer until {date}. Reason: {reason}"},
    "centre.status.reason": {"fi": "Syy: {reason}", "sv": "Orsak: {reason}", "en": "Reason: {reason}"},
    "centre.status.completed_at": {"fi": "Valmistunut {date}.", "sv": "Klar {date}.", "en": "Completed on {date}."},
    "centre.status.keep": {
        "fi": "Linkki tälle sivulle on jokaisessa pyyntöäsi koskevassa viestissä.",
        "sv": "Länken till den här sidan finns i varje meddelande om din begäran.",
        "en": "Every message about your request has the link to this page."},
    # -- access answer download ------------------------------------------------------------------
    "centre.export.title": {"fi": "Tietosi", "sv": "Dina uppgifter", "en": "Your data"},
    "centre.export.intro": {
        "fi": "Tässä on vastaus tarkastuspyyntöösi: kaikki tiedot, jotka {controller} on tallentanut sinusta, "
              "sekä mistä ne on saatu, mihin niitä käytetään ja kuinka kauan niitä säilytetään.",
        "sv": "Här är svaret på din begäran om tillgång: alla uppgifter som {controller} har sparat om dig, samt "
              "varifrån de kommer, vad de används till och hur länge de sparas.",
        "en": "Here is the answer to your request for access: all the data {controller} has stored about you, "
              "where it came from, what it is used for and how long it is kept."},
    "centre.export.inside": {"fi": "Mitä paketissa on", "sv": "Vad paketet innehåller", "en": "What is inside"},
    "centre.export.file.answer.html": {"fi": "luettava vastaus, joka avautuu selaimessa",
                                       "sv": "ett läsbart svar som öppnas i webbläsaren",
                                       "en": "the readable answer, which opens in a browser"},
    "centre.export.file.data.json": {"fi": "samat tiedot koneluettavassa muodossa",
                                     "sv": "samma uppgifter i maskinläsbar form",
                                     "en": "the same data in machine-readable form"},
    "centre.export.file.README.txt": {"fi": "ohje tiedostojen lukemiseen", "sv": "anvisning om hur filerna läses",
                                      "en": "how to read the files"},
    "centre.export.until": {"fi": "Linkki toimii {date} asti.", "sv": "Länken fungerar till och med {date}.",
                            "en": "The link works until {date}."},
    "centre.export.view": {"fi": "Lue vastaus selaimessa", "sv": "Läs svaret i webbläsaren",
                           "en": "Read the answer in your browser"},
    "centre.export.download": {"fi": "Lataa kaikki tiedostot pakattuna ({size} kt)",
                               "sv": "Ladda ner alla filer komprimerade ({size} kB)",
                               "en": "Download all files compressed ({size} kB)"},
    "centre.export.expired_title": {"fi": "Latauslinkki on vanhentunut", "sv": "Nedladdningslänken har gått ut",
                                    "en": "The download link has expired"},
    "centre.export.expired_text": {
        "fi": "Linkki oli voimassa rajoitetun ajan, jotta tietosi eivät jää kenenkään saataville. Voit pyytää "
              "tietosi uudelleen; se on maksutonta.",
        "sv": "Länken gällde en begränsad tid så att dina uppgifter inte förblir åtkomliga för vem som helst. Du "
              "kan begära dina uppgifter på nytt; det är avgiftsfritt.",
        "en": "The link worked for a limited time so that your data does not stay within anyone's reach. You can "
              "ask for your data again; it is free of charge."},
    # -- marketing preferences -------------------------------------------------------------------
    "centre.prefs.title": {"fi": "Markkinointiviestiesi asetukset", "sv": "Inställningar för din marknadsföringspost",
                           "en": "Your marketing email settings"},
    "centre.prefs.intro": {"fi": "Viestit lähettää {sender} osoitteeseen {address}. Rekisterinpitäjä on {controller}.",
                           "sv": "Meddelandena skickas av {sender} till {address}. Personuppgiftsansvarig är "
                                 "{controller}.",
                           "en": "The messages are sent by {sender} to {address}. The controller is {controller}."},
    "centre.prefs.lists": {"fi": "Postituslistasi", "sv": "Dina utskickslistor", "en": "Your mailing lists"},
    "centre.prefs.no_lists": {"fi": "Et ole millään postituslistalla.", "sv": "Du finns inte på någon utskickslista.",
                              "en": "You are not on any mailing list."},
    "centre.prefs.list": {"fi": "Lista", "sv": "Lista", "en": "List"},
    "centre.prefs.status": {"fi": "Tilanne", "sv": "Läge", "en": "Status"},
    "centre.prefs.action": {"fi": "Toiminto", "sv": "Åtgärd", "en": "Action"},
    "centre.prefs.status.subscribed": {"fi": "Tilattu", "sv": "Prenumererar", "en": "Subscribed"},
    "centre.prefs.status.pending": {"fi": "Odottaa vahvistustasi", "sv": "Väntar på din bekräftelse",
                                    "en": "Waiting for your confirmation"},
    "centre.prefs.status.unsubscribed": {"fi": "Ei tilattu", "sv": "Ingen prenumeration", "en": "Not subscribed"},
    "centre.prefs.leave": {"fi": "Lopeta tilaus: {list}", "sv": "Avsluta prenumerationen: {list}",
                           "en": "Leave the list: {list}"},
    "centre.prefs.join": {"fi": "Tilaa uudelleen: {list}", "sv": "Prenumerera igen: {list}",
                          "en": "Join again: {list}"},
    "centre.prefs.join_hint": {
        "fi": "Jos tilaat listan uudelleen, lähetämme sähköpostiisi linkin, jolla vahvistat tilauksen.",
        "sv": "Om du prenumererar igen skickar vi en länk till din e-post som du bekräftar prenumerationen med.",
        "en": "If you join a list again, we email you a link to confirm it."},
    "centre.prefs.objections": {"fi": "Kiellot", "sv": "Förbud", "en": "Objections"},
    "centre.prefs.object_marketing": {"fi": "Kiellä kaikki suoramarkkinointi", "sv": "Förbjud direktmarknadsföring helt",
                                      "en": "Object to all direct marketing"},
    "centre.prefs.object_marketing_hint": {
        "fi": "Emme lähetä sinulle enää markkinointia millään listalla.",
        "sv": "Vi skickar ingen marknadsföring till dig längre, på någon lista.",
        "en": "We will send you no more marketing, on any list."},
    "centre.prefs.object_research": {"fi": "Kiellä markkina- ja mielipidetutkimukset",
                                     "sv": "Förbjud marknads- och opinionsundersökningar",
                                     "en": "Object to market and opinion research"},
    "centre.prefs.objected_marketing": {"fi": "Olet kieltänyt suoramarkkinoinnin.",
                                        "sv": "Du har förbjudit direktmarknadsföring.",
                                        "en": "You have objected to direct marketing."},
    "centre.prefs.objected_research": {"fi": "Olet kieltänyt markkina- ja mielipidetutkimukset.",
                                       "sv": "Du har förbjudit marknads- och opinionsundersökningar.",
                                       "en": "You have objected to market and opinion research."},
    "centre.prefs.consents": {"fi": "Suostumuksesi", "sv": "Dina samtycken", "en": "Your consents"},
    "centre.prefs.no_consents": {"fi": "Sinulla ei ole voimassa olevia suostumuksia.",
                                 "sv": "Du har inga gällande samtycken.", "en": "You have no consents in force."},
    "centre.prefs.consent_granted": {"fi": "{purpose}, annettu {date}", "sv": "{purpose}, givet {date}",
                                     "en": "{purpose}, given on {date}"},
    "centre.prefs.withdraw": {"fi": "Peru suostumus: {purpose}", "sv": "Återkalla samtycket: {purpose}",
                              "en": "Withdraw the consent: {purpose}"},
    "centre.prefs.done.leave": {"fi": "Tilaus on lopetettu.", "sv": "Prenumerationen är avslutad.",
                                "en": "You have left the list."},
    "centre.prefs.done.join": {
        "fi": "Lähetimme sähköpostiisi vahvistuslinkin. Tilaus alkaa, kun vahvistat sen.",
        "sv": "Vi har skickat en bekräftelselänk till din e-post. Prenumerationen börjar när du bekräftar den.",
        "en": "We have emailed you a confirmation link. The subscription starts once you confirm it."},
    "centre.prefs.done.joined": {"fi": "Tilaus on vahvistettu.", "sv": "Prenumerationen är bekräftad.",
                                 "en": "Your subscription is confirmed."},
    "centre.prefs.done.object_marketing": {
        "fi": "Suoramarkkinoinnin kielto on kirjattu ja voimassa heti.",
        "sv": "Förbudet mot direktmarknadsföring är registrerat och gäller omedelbart.",
        "en": "Your objection to direct marketing is recorded and applies now."},
    "centre.prefs.done.object_research": {
        "fi": "Tutkimusten kielto on kirjattu ja voimassa heti.",
        "sv": "Förbudet mot undersökningar är registrerat och gäller omedelbart.",
        "en": "Your objection to research is recorded and applies now."},
    "centre.prefs.done.one_click": {"fi": "Kielto on kirjattu ja voimassa heti.",
                                    "sv": "Förbudet är registrerat och gäller omedelbart.",
                                    "en": "Your objection is recorded and applies now."},
    "centre.prefs.done.withdraw": {"fi": "Suostumus on peruttu.", "sv": "Samtycket är återkallat.",
                                   "en": "The consent is withdrawn."},
    "centre.prefs.done.test": {"fi": "Tämä oli testiviestin linkki, joten mitään ei muutettu.",
                               "sv": "Det här var länken i ett testmeddelande, så inget ändrades.",
                               "en": "This was a test message's link, so nothing changed."},
    "centre.prefs.blocked": {
        "fi": "Listaa ei voi tilata, koska olet kieltänyt suoramarkkinoinnin tai tietojesi käsittelyä on rajoitettu.",
        "sv": "Du kan inte prenumerera, eftersom du har förbjudit direktmarknadsföring eller behandlingen av dina "
              "uppgifter är begränsad.",
        "en": "You cannot join the list, because you have objected to direct marketing or processing of your data "
              "is restricted."},
    "centre.prefs.test": {"fi": "Tämä on testiviestin linkki, joten sillä ei voi muuttaa mitään.",
                          "sv": "Det här är länken i ett testmeddelande, så den kan inte ändra något.",
                          "en": "This is a test message's link, so it cannot change anything."},
    "centre.prefs.other_rights": {"fi": "Muut oikeutesi", "sv": "Dina övriga rättigheter", "en": "Your other rights"},
    "centre.join.title": {"fi": "Vahvista tilaus", "sv": "Bekräfta prenumerationen", "en": "Confirm your subscription"},
    "centre.join.text": {"fi": "Vahvista, että haluat taas saada listan {list} viestejä.",
                         "sv": "Bekräfta att du vill få meddelanden från listan {list} igen.",
                         "en": "Confirm that you want messages from the list {list} again."},
    "centre.join.button": {"fi": "Vahvista tilaus", "sv": "Bekräfta prenumerationen", "en": "Confirm the subscription"},
    "centre.join.invalid": {
        "fi": "Vahvistuslinkki ei ole enää voimassa. Voit tilata listan uudelleen asetussivulta.",
        "sv": "Bekräftelselänken gäller inte längre. Du kan prenumerera igen på inställningssidan.",
        "en": "The confirmation link no longer works. You can join the list again from the settings page."},
    "centre.join.settings": {"fi": "Asetussivulle", "sv": "Till inställningssidan", "en": "To the settings page"},
    # -- lines in the mails ----------------------------------------------------------------------
    "centre.mail.status_link": {"fi": "Pyyntösi tilanteen näet täältä:\n{link}",
                                "sv": "Läget för din begäran ser du här:\n{link}",
                                "en": "See where your request stands here:\n{link}"},
    "centre.mail.centre_link": {"fi": "Oikeutesi ja tietosuojaseloste:\n{link}",
                                "sv": "Dina rättigheter och dataskyddsbeskrivningen:\n{link}",
                                "en": "Your rights and the privacy notice:\n{link}"},
    "centre.mail.join_subject": {"fi": "Vahvista listan {list} tilaus", "sv": "Bekräfta prenumerationen på {list}",
                                 "en": "Confirm your subscription to {list}"},
    "centre.mail.join_body": {
        "fi": "Pyysit, että sinulle lähetetään taas listan {list} viestejä. Vahvista tilaus tästä linkistä "
              "{hours} tunnin kuluessa:\n{link}\n\nJos et pyytänyt tätä, voit jättää viestin huomiotta; tilaus ei "
              "ala.\n\n{controller}",
        "sv": "Du bad att få meddelanden från listan {list} igen. Bekräfta prenumerationen via länken inom "
              "{hours} timmar:\n{link}\n\nOm du inte bad om detta kan du bortse från meddelandet; prenumerationen "
              "börjar inte.\n\n{controller}",
        "en": "You asked for messages from the list {list} again. Confirm the subscription with this link within "
              "{hours} hours:\n{link}\n\nIf you did not ask for this, you can ignore this message; the "
              "subscription does not start.\n\n{controller}"},
}
