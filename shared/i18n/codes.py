"""Labels of the codes a person may see: `code.<kind>.<code>`; read them with `label(kind, code, lang)`."""

TEXTS = {
    "code.language.fi": {"fi": "suomi", "sv": "finska", "en": "Finnish"},
    "code.language.sv": {"fi": "ruotsi", "sv": "svenska", "en": "Swedish"},
    "code.language.en": {"fi": "englanti", "sv": "engelska", "en": "English"},
}
