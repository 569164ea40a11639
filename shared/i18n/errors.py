"""What a page says when a domain error stops what the person asked for: one text per kind of
error (shared/common/errors.py `key`); services/api/errors.py `error_answer` gives the key with
the HTTP status."""

from __future__ import annotations

TEXTS = {
    "errors.failed": {
        "fi": "Pyyntöä ei voitu toteuttaa.",
        "sv": "Begäran kunde inte utföras.",
        "en": "The request could not be carried out.",
    },
    "errors.not_found": {
        "fi": "Etsimääsi ei löytynyt.",
        "sv": "Det du söker hittades inte.",
        "en": "What you are looking for was not found.",
    },
    "errors.gone": {
        "fi": "Linkki ei ole enää voimassa. Tee uusi pyyntö.",
        "sv": "Länken gäller inte längre. Gör en ny begäran.",
        "en": "The link is no longer valid. Make a new request.",
    },
    "errors.conflict": {
        "fi": "Muutosta ei voitu tehdä, koska tiedot ovat muuttuneet tai ovat jo olemassa.",
        "sv": "Ändringen kunde inte göras eftersom uppgifterna har ändrats eller redan finns.",
        "en": "The change could not be made: the data has changed or exists already.",
    },
    "errors.invalid": {
        "fi": "Tarkista merkitty kenttä.",
        "sv": "Kontrollera det markerade fältet.",
        "en": "Check the marked field.",
    },
    "errors.too_large": {
        "fi": "Tiedosto on liian suuri.",
        "sv": "Filen är för stor.",
        "en": "The file is too large.",
    },
    "errors.too_many": {
        "fi": "Liian monta pyyntöä. Yritä myöhemmin uudelleen.",
        "sv": "För många förfrågningar. Försök igen senare.",
        "en": "Too many requests. Try again later.",
    },
    "errors.forbidden": {
        "fi": "Sinulla ei ole oikeutta tähän.",
        "sv": "Du har inte behörighet till detta.",
        "en": "You may not do this.",
    },
    "errors.not_authenticated": {
        "fi": "Kirjaudu sisään jatkaaksesi.",
        "sv": "Logga in för att fortsätta.",
        "en": "Sign in to continue.",
    },
}
