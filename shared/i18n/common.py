"""Texts every page and message shares."""

TEXTS = {
    "common.language_name": {"fi": "suomi", "sv": "svenska", "en": "English"},
    "common.skip_to_content": {"fi": "Siirry sisältöön", "sv": "Gå till innehållet", "en": "Skip to content"},
    "common.language_switch": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "common.error_summary_title": {"fi": "Tarkista tiedot", "sv": "Kontrollera uppgifterna",
                                   "en": "There is a problem"},
    "common.error_title_prefix": {"fi": "Virhe", "sv": "Fel", "en": "Error"},
}
