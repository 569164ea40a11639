"""Texts of the privacy notice (GDPR Art. 13–14, shared/notice/render.py); what the register itself
says (controller, purposes, sources ...) comes from its configuration and the code labels."""

HEADINGS = ("controller", "contact_person", "register_name", "purposes_and_bases", "subjects_and_contents", "sources",
            "retention", "disclosures", "security", "rights", "automated_decisions", "updates")

TEXTS = {
    "notice.title": {
        "fi": "Tietosuojaseloste",
        "sv": "Dataskyddsbeskrivning",
        "en": "Privacy notice",
    },
    "notice.law": {
        "fi": "EU:n yleinen tietosuoja-asetus (2016/679) 13 ja 14 art. sekä tietosuojalaki (1050/2018)",
        "sv": "EU:s allmänna dataskyddsförordning (2016/679) art. 13 och 14 samt dataskyddslagen (1050/2018)",
        "en": "EU General Data Protection Regulation (2016/679) Art. 13 and 14, and the Data Protection Act "
              "(1050/2018)",
    },
    "notice.version": {
        "fi": "Versio {version}, julkaistu {date}",
        "sv": "Version {version}, publicerad {date}",
        "en": "Version {version}, published {date}",
    },
    "notice.business_id": {
        "fi": "Y-tunnus",
        "sv": "FO-nummer",
        "en": "Business ID",
    },
    "notice.heading.controller": {
        "fi": "Rekisterinpitäjä",
        "sv": "Personuppgiftsansvarig",
        "en": "Controller",
    },
    "notice.heading.contact_person": {
        "fi": "Yhteyshenkilö rekisteriä koskevissa asioissa",
        "sv": "Kontaktperson i registerärenden",
        "en": "Contact person for register matters",
    },
    "notice.heading.register_name": {
        "fi": "Rekisterin nimi",
        "sv": "Registrets namn",
        "en": "Name of the register",
    },
    "notice.heading.purposes_and_bases": {
        "fi": "Henkilötietojen käsittelyn tarkoitukset ja oikeusperusteet",
        "sv": "Ändamål och rättslig grund för behandlingen",
        "en": "Purposes and legal bases of the processing",
    },
    "notice.heading.subjects_and_contents": {
        "fi": "Rekisteröidyt ja rekisterin tietosisältö",
        "sv": "Registrerade och registrets innehåll",
        "en": "Data subjects and contents of the register",
    },
    "notice.heading.sources": {
        "fi": "Säännönmukaiset tietolähteet",
        "sv": "Regelbundna uppgiftskällor",
        "en": "Regular sources",
    },
    "notice.heading.retention": {
        "fi": "Henkilötietojen säilytysaika",
        "sv": "Lagringstid",
        "en": "Retention",
    },
    "notice.heading.disclosures": {
        "fi": "Tietojen luovuttaminen ja siirtäminen",
        "sv": "Utlämnande och överföring av uppgifter",
        "en": "Disclosure and transfer of data",
    },
    "notice.heading.security": {
        "fi": "Rekisterin suojauksen periaatteet",
        "sv": "Principer för skyddet av registret",
        "en": "Security principles",
    },
    "notice.heading.rights": {
        "fi": "Rekisteröidyn oikeudet",
        "sv": "Den registrerades rättigheter",
        "en": "The data subject's rights",
    },
    "notice.heading.automated_decisions": {
        "fi": "Automaattinen päätöksenteko",
        "sv": "Automatiserat beslutsfattande",
        "en": "Automated decision-making",
    },
    "notice.heading.updates": {
        "fi": "Tietosuojaselosteen päivittäminen",
        "sv": "Uppdatering av dataskyddsbeskrivningen",
        "en": "Updates to this notice",
    },
    "notice.purposes": {
        "fi": "Tietoja käsitellään seuraaviin tarkoituksiin:",
        "sv": "Uppgifterna behandlas för följande ändamål:",
        "en": "The data is processed for these purposes:",
    },
    "notice.bases": {
        "fi": "Käsittelyn oikeusperusteet:",
        "sv": "Rättslig grund för behandlingen:",
        "en": "The legal bases of the processing:",
    },
    "notice.retention_intro": {
        "fi": "Tietoja säilytetään vain niin kauan kuin niitä tarvitaan tässä selosteessa kuvattuihin "
              "tarkoituksiin, ellei laki edellytä pidempää säilyttämistä. Säilytysajat tarkistetaan "
              "automaattisesti joka yö:",
        "sv": "Uppgifterna bevaras bara så länge de behövs för de ändamål som beskrivs här, om inte lag kräver "
              "längre lagring. Lagringstiderna kontrolleras automatiskt varje natt:",
        "en": "Data is kept only as long as it is needed for the purposes described here, unless a law requires "
              "longer. Retention is checked automatically every night:",
    },
    "notice.marketing_objectors": {
        "fi": "Markkinointikiellon tehneen tunniste (suojattu tiiviste, ei osoitetta) säilytetään pysyvästi, "
              "jotta kieltoa noudatetaan.",
        "sv": "En skyddad kod (inte adressen) för den som förbjudit marknadsföring bevaras permanent, så att "
              "förbudet respekteras.",
        "en": "A protected code (not the address) of anyone who objected to marketing is kept permanently, so "
              "that the objection is honoured.",
    },
    "notice.partners": {
        "fi": "Tietoja luovutetaan vain erikseen nimetyille sopimuskumppaneille kirjallisen sopimuksen "
              "perusteella ja vain nimettyä tehtävää varten:",
        "sv": "Uppgifter lämnas ut endast till namngivna avtalspartner enligt skriftligt avtal och endast för en "
              "namngiven uppgift:",
        "en": "Data is disclosed only to named contract partners under a written agreement, and only for a named "
              "task:",
    },
    "notice.no_partners": {
        "fi": "Tällä hetkellä tietoja ei luovuteta sopimuskumppaneille.",
        "sv": "För närvarande lämnas inga uppgifter ut till avtalspartner.",
        "en": "At present no data is disclosed to contract partners.",
    },
    "notice.how": {
        "fi": "Pyynnön voi tehdä verkossa osoitteessa {requests} (vahvistetaan sähköpostiin lähetettävällä "
              "linkillä) tai kirjallisesti kohdassa 2 mainitulle yhteyshenkilölle. Pyyntöihin vastataan maksutta "
              "ja viimeistään kuukauden kuluessa; määräaikaa voidaan perustellusta syystä jatkaa enintään "
              "kahdella kuukaudella. Ilmeisen perusteettomasta tai kohtuuttomasta pyynnöstä voidaan periä "
              "kohtuullinen maksu tai siitä voidaan kieltäytyä perustellusti (tietosuoja-asetuksen 12 art. 5 "
              "kohta).",
        "sv": "En begäran kan göras på webben på {requests} (bekräftas med en länk som skickas per e-post) eller "
              "skriftligen till kontaktpersonen i punkt 2. Begäranden besvaras kostnadsfritt och senast inom en "
              "månad; tiden kan av särskilda skäl förlängas med högst två månader. För en uppenbart ogrundad "
              "eller orimlig begäran kan en rimlig avgift tas ut eller begäran avslås med motivering "
              "(dataskyddsförordningen art. 12.5).",
        "en": "You can make a request online at {requests} (confirmed by a link sent to your email) or in "
              "writing to the contact person in section 2. Requests are answered free of charge and within one "
              "month; for good reason the time may be extended by at most two months. For a manifestly unfounded "
              "or excessive request a reasonable fee may be charged, or the request refused with reasons (GDPR "
              "Art. 12(5)).",
    },
    "notice.updates": {
        "fi": "Jetmasters Oy voi päivittää tätä selostetta. Jokainen päivitys julkaistaan uutena versiona "
              "päivämäärineen; voimassa oleva versio on osoitteessa {notice} ja aiemmat versiot osoitteessa "
              "{versions}.",
        "sv": "Jetmasters Oy kan uppdatera denna beskrivning. Varje uppdatering publiceras som en ny version med "
              "datum; den gällande versionen finns på {notice} och tidigare versioner på {versions}.",
        "en": "Jetmasters Oy may update this notice. Every update is published as a new, dated version; the "
              "current one is at {notice} and earlier versions at {versions}.",
    },
    "notice.right.access": {
        "fi": "Oikeus saada pääsy omiin tietoihin (tarkastusoikeus).",
        "sv": "Rätt till tillgång till de egna uppgifterna.",
        "en": "The right of access to your data.",
    },
    "notice.right.rectify": {
        "fi": "Oikeus vaatia virheellisen, puutteellisen tai vanhentuneen tiedon oikaisemista.",
        "sv": "Rätt att få felaktiga, ofullständiga eller föråldrade uppgifter rättade.",
        "en": "The right to have wrong, incomplete or outdated data rectified.",
    },
    "notice.right.erase": {
        "fi": "Oikeus vaatia tietojen poistamista.",
        "sv": "Rätt att få uppgifterna raderade.",
        "en": "The right to erasure.",
    },
    "notice.right.restrict": {
        "fi": "Oikeus vaatia käsittelyn rajoittamista.",
        "sv": "Rätt till begränsning av behandlingen.",
        "en": "The right to restriction of processing.",
    },
    "notice.right.object": {
        "fi": "Oikeus vastustaa käsittelyä suoramarkkinointia sekä markkina- ja mielipidetutkimusta varten; "
              "kielto tulee voimaan heti.",
        "sv": "Rätt att invända mot behandling för direktmarknadsföring samt marknads- och "
              "opinionsundersökningar; invändningen gäller omedelbart.",
        "en": "The right to object to processing for direct marketing and for market and opinion research; an "
              "objection takes effect at once.",
    },
    "notice.right.portability": {
        "fi": "Oikeus siirtää itse antamasi tiedot järjestelmästä toiseen, kun käsittely perustuu suostumukseen "
              "tai sopimukseen.",
        "sv": "Rätt att flytta uppgifter du själv lämnat till ett annat system, när behandlingen grundar sig på "
              "samtycke eller avtal.",
        "en": "The right to data portability for data you gave yourself, when the processing rests on consent or "
              "a contract.",
    },
    "notice.right.withdraw": {
        "fi": "Oikeus peruuttaa suostumus milloin tahansa.",
        "sv": "Rätt att när som helst återkalla ett samtycke.",
        "en": "The right to withdraw a consent at any time.",
    },
    "notice.right.complain": {
        "fi": "Oikeus tehdä valitus Tietosuojavaltuutetun toimistolle (tietosuoja.fi).",
        "sv": "Rätt att lämna in klagomål till Dataombudsmannens byrå (tietosuoja.fi).",
        "en": "The right to lodge a complaint with the Office of the Data Protection Ombudsman (tietosuoja.fi).",
    },
}
RIGHTS = ("access", "rectify", "erase", "restrict", "object", "portability", "withdraw", "complain")
