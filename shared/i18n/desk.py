"""The desk's texts (`/desk`): signing in, the second factor, one's account, the privacy officer's
pages, and the mail with a set-password link."""

TEXTS = {
    "desk.name": {"fi": "Työpöytä", "sv": "Skrivbordet", "en": "Desk"},
    "desk.nav.label": {"fi": "Työpöydän osat", "sv": "Skrivbordets delar", "en": "Parts of the desk"},
    "desk.nav.requests": {"fi": "Pyynnöt", "sv": "Begäranden", "en": "Requests"},
    "desk.nav.people": {"fi": "Henkilöt", "sv": "Personer", "en": "People"},
    "desk.nav.partners": {"fi": "Kumppanit", "sv": "Partner", "en": "Partners"},
    "desk.nav.retention": {"fi": "Säilytys", "sv": "Lagring", "en": "Retention"},
    "desk.nav.breaches": {"fi": "Tietoturvaloukkaukset", "sv": "Personuppgiftsincidenter", "en": "Breaches"},
    "desk.nav.notice": {"fi": "Tietosuojaseloste", "sv": "Dataskyddsbeskrivning", "en": "Privacy notice"},
    "desk.nav.outcomes": {"fi": "Epäselvät lähetykset", "sv": "Oklara utskick", "en": "Unknown mail outcomes"},
    "desk.nav.account": {"fi": "Oma tili", "sv": "Mitt konto", "en": "My account"},
    "desk.signout": {"fi": "Kirjaudu ulos", "sv": "Logga ut", "en": "Sign out"},
    "desk.back_home": {"fi": "Työpöydän etusivulle", "sv": "Till skrivbordets startsida", "en": "To the desk's start"},
    # -- signing in ------------------------------------------------------------------------------
    "desk.signin.title": {"fi": "Kirjaudu työpöydälle", "sv": "Logga in på skrivbordet", "en": "Sign in to the desk"},
    "desk.signin.email": {"fi": "Sähköpostiosoite", "sv": "E-postadress", "en": "Email address"},
    "desk.signin.password": {"fi": "Salasana", "sv": "Lösenord", "en": "Password"},
    "desk.signin.submit": {"fi": "Kirjaudu", "sv": "Logga in", "en": "Sign in"},
    "desk.signin.forgot": {"fi": "Unohditko salasanan?", "sv": "Glömt lösenordet?", "en": "Forgot your password?"},
    "desk.signin.refused": {"fi": "Sähköpostiosoite tai salasana ei kelpaa.",
                            "sv": "E-postadressen eller lösenordet godtas inte.",
                            "en": "The email address or the password is not right."},
    "desk.signin.limited": {"fi": "Liian monta epäonnistunutta yritystä. Yritä uudelleen noin {minutes} minuutin kuluttua.",
                            "sv": "För många misslyckade försök. Försök igen om cirka {minutes} minuter.",
                            "en": "Too many failed attempts. Try again in about {minutes} minutes."},
    "desk.signin.note.ended": {"fi": "Istuntosi päättyi. Kirjaudu uudelleen.",
                               "sv": "Din session har avslutats. Logga in igen.",
                               "en": "Your session ended. Sign in again."},
    "desk.signin.note.password_set": {"fi": "Salasana on asetettu. Kirjaudu sillä.",
                                      "sv": "Lösenordet är inställt. Logga in med det.",
                                      "en": "Your password is set. Sign in with it."},
    # -- the second factor -----------------------------------------------------------------------
    "desk.code.title": {"fi": "Tunnistautumisen toinen vaihe", "sv": "Andra steget i inloggningen",
                        "en": "Second step of signing in"},
    "desk.code.intro": {"fi": "Anna todennussovelluksesi näyttämä kuusinumeroinen koodi tai yksi varakoodeistasi.",
                        "sv": "Ange den sexsiffriga koden som din autentiseringsapp visar, eller en av dina reservkoder.",
                        "en": "Enter the six-digit code your authenticator app shows, or one of your recovery codes."},
    "desk.code.label": {"fi": "Koodi", "sv": "Kod", "en": "Code"},
    "desk.code.hint": {"fi": "Esimerkiksi 123456", "sv": "Till exempel 123456", "en": "For example 123456"},
    "desk.code.submit": {"fi": "Jatka", "sv": "Fortsätt", "en": "Continue"},
    "desk.code.wrong": {"fi": "Koodi ei kelpaa. Tarkista se ja yritä uudelleen.",
                        "sv": "Koden godtas inte. Kontrollera den och försök igen.",
                        "en": "The code is not right. Check it and try again."},
    # -- setting a password ----------------------------------------------------------------------
    "desk.password.title": {"fi": "Aseta salasana", "sv": "Ange lösenord", "en": "Set your password"},
    "desk.password.intro": {"fi": "Käyttäjätunnus {name}, kirjautuminen osoitteella {email}.",
                            "sv": "Användare {name}, inloggning med adressen {email}.",
                            "en": "User {name}, signing in with {email}."},
    "desk.password.new": {"fi": "Uusi salasana", "sv": "Nytt lösenord", "en": "New password"},
    "desk.password.again": {"fi": "Uusi salasana uudelleen", "sv": "Nytt lösenord igen", "en": "New password again"},
    "desk.password.hint": {"fi": "Vähintään {n} merkkiä. Yleisiä tai helposti arvattavia salasanoja ei hyväksytä.",
                           "sv": "Minst {n} tecken. Vanliga eller lättgissade lösenord godtas inte.",
                           "en": "At least {n} characters. Common or easily guessed passwords are refused."},
    "desk.password.submit": {"fi": "Tallenna salasana", "sv": "Spara lösenordet", "en": "Save the password"},
    "desk.password.too_short": {"fi": "Salasanassa pitää olla vähintään {n} merkkiä.",
                                "sv": "Lösenordet måste ha minst {n} tecken.",
                                "en": "The password must have at least {n} characters."},
    "desk.password.common": {"fi": "Salasana on liian yleinen tai helppo arvata. Valitse pidempi tai harvinaisempi.",
                             "sv": "Lösenordet är för vanligt eller lätt att gissa. Välj ett längre eller ovanligare.",
                             "en": "The password is too common or easy to guess. Choose a longer or rarer one."},
    "desk.password.mismatch": {"fi": "Salasanat eivät ole samat.", "sv": "Lösenorden är inte likadana.",
                               "en": "The passwords are not the same."},
    "desk.link_invalid.title": {"fi": "Linkki ei enää toimi", "sv": "Länken fungerar inte längre",
                                "en": "The link no longer works"},
    "desk.link_invalid.body": {
        "fi": "Linkki on jo käytetty, korvattu uudella tai vanhentunut. Pyydä uusi linkki alta tai pääkäyttäjältä.",
        "sv": "Länken har redan använts, ersatts av en ny eller gått ut. Be om en ny länk nedan eller av huvudanvändaren.",
        "en": "The link has been used, replaced by a newer one or has expired. Ask for a new one below or from an "
              "administrator."},
    "desk.forgot.title": {"fi": "Unohtunut salasana", "sv": "Glömt lösenord", "en": "Forgotten password"},
    "desk.forgot.intro": {"fi": "Anna sähköpostiosoitteesi. Lähetämme siihen linkin, jolla voit asettaa uuden salasanan.",
                          "sv": "Ange din e-postadress. Vi skickar en länk dit där du kan ange ett nytt lösenord.",
                          "en": "Enter your email address. We send a link to it where you can set a new password."},
    "desk.forgot.submit": {"fi": "Lähetä linkki", "sv": "Skicka länken", "en": "Send the link"},
    "desk.forgot.sent": {
        "fi": "Jos osoitteella on tunnus työpöydälle, siihen on lähetetty linkki. Tarkista sähköpostisi.",
        "sv": "Om adressen har ett konto på skrivbordet har en länk skickats dit. Kontrollera din e-post.",
        "en": "If the address has a desk account, a link has been sent to it. Check your email."},
    "desk.mail.reset.subject": {"fi": "Uusi salasana työpöydälle", "sv": "Nytt lösenord till skrivbordet",
                                "en": "A new password for the desk"},
    "desk.mail.reset.body": {
        "fi": "Hei,\n\njoku (toivottavasti sinä) pyysi uutta salasanaa rekisterin työpöydälle. Aseta salasana tästä "
              "linkistä {hours} tunnin kuluessa:\n\n{link}\n\nJos et pyytänyt sitä, voit jättää viestin huomiotta: "
              "salasanasi ei muutu.\n",
        "sv": "Hej,\n\nnågon (förhoppningsvis du) bad om ett nytt lösenord till registrets skrivbord. Ange lösenordet "
              "via den här länken inom {hours} timmar:\n\n{link}\n\nOm du inte bad om det kan du bortse från "
              "meddelandet: ditt lösenord ändras inte.\n",
        "en": "Hello,\n\nsomeone (we hope you) asked for a new password for the register's desk. Set it through this "
              "link within {hours} hours:\n\n{link}\n\nIf you did not ask for it, ignore this message: your password "
              "does not change.\n"},
    # -- an admin's reason, refusals -------------------------------------------------------------
    "desk.reason.title": {"fi": "Kerro syy", "sv": "Ange orsaken", "en": "State your reason"},
    "desk.reason.intro": {
        "fi": "Sivulla on henkilötietoja. Pääkäyttäjänä avaat sen vain perustellusta syystä, joka tallentuu "
              "käyttölokiin jokaisen avaamasi sivun kohdalle tämän istunnon ajan.",
        "sv": "Sidan innehåller personuppgifter. Som huvudanvändare öppnar du den bara av en motiverad orsak, som "
              "sparas i åtkomstloggen för varje sida du öppnar under den här sessionen.",
        "en": "This page shows personal data. As an administrator you open it only for a stated reason, which the "
              "access log records for every page you open in this session."},
    "desk.reason.label": {"fi": "Syy", "sv": "Orsak", "en": "Reason"},
    "desk.reason.hint": {"fi": "Esimerkiksi tukipyynnön numero ja mitä selvität.",
                         "sv": "Till exempel numret på supportärendet och vad du utreder.",
                         "en": "For example the support ticket's number and what you are looking into."},
    "desk.reason.submit": {"fi": "Avaa sivu", "sv": "Öppna sidan", "en": "Open the page"},
    "desk.reason.too_short": {"fi": "Kirjoita syy, vähintään {n} merkkiä.", "sv": "Skriv orsaken, minst {n} tecken.",
                              "en": "Write the reason, at least {n} characters."},
    "desk.refused.role.title": {"fi": "Ei käyttöoikeutta", "sv": "Ingen behörighet", "en": "Not allowed"},
    "desk.refused.role.body": {"fi": "Roolisi ei salli tätä sivua.", "sv": "Din roll ger inte tillgång till den här sidan.",
                               "en": "Your role does not give you this page."},
    "desk.refused.csrf.title": {"fi": "Lomake hylättiin", "sv": "Formuläret avvisades", "en": "The form was refused"},
    "desk.refused.csrf.body": {
        "fi": "Lomake ei tullut työpöydän omalta sivulta tai se on vanhentunut. Avaa sivu uudelleen ja lähetä "
              "lomake sieltä.",
        "sv": "Formuläret kom inte från skrivbordets egen sida eller är föråldrat. Öppna sidan igen och skicka "
              "formuläret därifrån.",
        "en": "The form did not come from the desk's own page, or it is out of date. Open the page again and send "
              "the form from there."},
    # -- one's account ---------------------------------------------------------------------------
    "desk.account.title": {"fi": "Oma tili", "sv": "Mitt konto", "en": "My account"},
    "desk.account.name": {"fi": "Käyttäjätunnus", "sv": "Användarnamn", "en": "User name"},
    "desk.account.role": {"fi": "Rooli", "sv": "Roll", "en": "Role"},
    "desk.account.sessions": {"fi": "Avoimet istunnot", "sv": "Öppna sessioner", "en": "Open sessions"},
    "desk.account.started": {"fi": "Alkoi", "sv": "Började", "en": "Started"},
    "desk.account.last_seen": {"fi": "Viimeksi käytetty", "sv": "Senast använd", "en": "Last used"},
    "desk.account.browser": {"fi": "Selain", "sv": "Webbläsare", "en": "Browser"},
    "desk.account.end": {"fi": "Päätä istunto", "sv": "Avsluta sessionen", "en": "End the session"},
    "desk.account.this_one": {"fi": "tämä selain", "sv": "den här webbläsaren", "en": "this browser"},
    "desk.account.totp": {"fi": "Kaksivaiheinen tunnistautuminen", "sv": "Tvåstegsverifiering",
                          "en": "Two-step sign-in"},
    "desk.account.totp_on": {"fi": "Käytössä. Käyttämättömiä varakoodeja: {n}.",
                             "sv": "Påslagen. Oanvända reservkoder: {n}.",
                             "en": "On. Unused recovery codes: {n}."},
    "desk.account.totp_none": {
        "fi": "Ei käytössä. Kun otat sen käyttöön, kirjautuminen kysyy salasanan lisäksi todennussovelluksen koodin.",
        "sv": "Inte påslagen. När du slår på den frågar inloggningen förutom lösenordet efter en kod från "
              "autentiseringsappen.",
        "en": "Off. When you turn it on, signing in asks for a code from an authenticator app besides the password."},
    "desk.account.totp_start": {"fi": "Ota käyttöön", "sv": "Slå på", "en": "Turn it on"},
    "desk.account.new_codes": {"fi": "Luo uudet varakoodit", "sv": "Skapa nya reservkoder", "en": "Make new recovery codes"},
    "desk.account.totp_off": {"fi": "Poista käytöstä", "sv": "Stäng av", "en": "Turn it off"},
    "desk.account.totp_required": {"fi": "Roolisi vaatii kaksivaiheisen tunnistautumisen.",
                                   "sv": "Din roll kräver tvåstegsverifiering.",
                                   "en": "Your role requires two-step sign-in."},
    "desk.account.note.totp_off": {"fi": "Kaksivaiheinen tunnistautuminen on poistettu käytöstä.",
                                   "sv": "Tvåstegsverifieringen är avstängd.", "en": "Two-step sign-in is off."},
    "desk.account.password": {"fi": "Vaihda salasana", "sv": "Byt lösenord", "en": "Change your password"},
    "desk.account.current": {"fi": "Nykyinen salasana", "sv": "Nuvarande lösenord", "en": "Current password"},
    "desk.account.current_wrong": {"fi": "Nykyinen salasana ei kelpaa.", "sv": "Det nuvarande lösenordet godtas inte.",
                                   "en": "The current password is not right."},
    "desk.account.change_password": {"fi": "Vaihda salasana", "sv": "Byt lösenordet", "en": "Change the password"},
    "desk.totp.title": {"fi": "Ota kaksivaiheinen tunnistautuminen käyttöön", "sv": "Slå på tvåstegsverifiering",
                        "en": "Turn on two-step sign-in"},
    "desk.totp.required": {"fi": "Roolisi vaatii kaksivaiheisen tunnistautumisen ennen kuin voit jatkaa.",
                           "sv": "Din roll kräver tvåstegsverifiering innan du kan fortsätta.",
                           "en": "Your role requires two-step sign-in before you can go on."},
    "desk.totp.intro": {
        "fi": "Lisää alla oleva avain todennussovellukseesi (esimerkiksi puhelimen sovellukseen) ja anna sen näyttämä "
              "koodi.",
        "sv": "Lägg till nyckeln nedan i din autentiseringsapp (till exempel en app i telefonen) och ange koden som "
              "den visar.",
        "en": "Add the key below to your authenticator app (for example one on your phone) and enter the code it "
              "shows."},
    "desk.totp.key": {"fi": "Avain", "sv": "Nyckel", "en": "Key"},
    "desk.totp.uri": {"fi": "Osoitteena", "sv": "Som adress", "en": "As an address"},
    "desk.totp.submit": {"fi": "Ota käyttöön", "sv": "Slå på", "en": "Turn it on"},
    "desk.codes.title": {"fi": "Varakoodisi", "sv": "Dina reservkoder", "en": "Your recovery codes"},
    "desk.codes.intro": {
        "fi": "Tallenna koodit turvalliseen paikkaan. Kukin toimii kerran, jos puhelimesi ei ole käsillä. Ne "
              "näytetään vain nyt.",
        "sv": "Spara koderna på ett säkert ställe. Var och en fungerar en gång om telefonen inte finns till hands. De "
              "visas bara nu.",
        "en": "Keep the codes somewhere safe. Each works once when your phone is not at hand. They are shown only "
              "now."},
    "desk.codes.done": {"fi": "Olen tallentanut ne", "sv": "Jag har sparat dem", "en": "I have saved them"},
}
