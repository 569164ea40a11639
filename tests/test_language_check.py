"""The one-language check itself: it finds codes and English words, and leaves good text alone."""

import pytest

from language_check import assert_one_language, foreign_words, visible_text


@pytest.mark.parametrize(("text", "lang", "word"), [
    ("Saimme pyynnön (objection). Vahvista se.", "fi", "objection"),
    ("Vi har registrerat din invändning (both).", "sv", "both"),
    ("Käsittelyperuste: customer_relationship", "fi", "customer_relationship"),
    ("Tila: sent. Lähde: contacts import", "fi", "sent"),
    ("Purposes: sales_marketing", "en", "sales_marketing"),
    ("Klicka på the link", "sv", "link"),
])
def test_finds_codes_and_english_words(text, lang, word):
    found = foreign_words(text, lang)
    assert any(repr(word) in f for f in found), found
    with pytest.raises(AssertionError, match=word):
        assert_one_language(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Lähde: hakemistopalvelu. Valitus: Tietosuojavaltuutetun toimisto, tietosuoja.fi. Jetmasters Oy, "
     "Pakkastie 5, 87100 Kajaani. Vahvista: https://example.com/public/verify/abc_the_request "
     "tai kirjoita osoitteeseen privacy.request@example.com. Tiedosto data.json on liitteenä. Se on valmis.",
     "fi"),
    ("Vi har rättat dina uppgifter i vårt register. Status: skickat. Dataombudsmannens byrå, tietosuoja.fi. "
     "Om du inte gjort begäran kan du bortse från meddelandet.", "sv"),
    ("We received your request for access to your data.", "en"),
])
def test_leaves_one_language_alone(text, lang):
    assert_one_language(text, lang)


def test_allowed_names_pass():
    assert_one_language("Terveisin Data Sales Oy", "fi", allowed={"Data", "Sales"})


def test_visible_text_drops_tags_scripts_and_styles():
    html = ('<html><head><style>body{color:red}</style><title>Otsikko</title></head><body>'
            '<p class="customer">Hei <b>Maija</b></p><script>var request = 1;</script>'
            '<img alt="Logo kuva" src="x.png"></body></html>')
    text = visible_text(html)
    assert text == "Otsikko Hei Maija Logo kuva"
    assert_one_language(text, "fi")


def test_letters_touching_a_digit_are_a_tag_not_a_word():
    """A random tag's tail ("…5abe") is never read as an English word ("be"), however it falls."""
    from language_check import foreign_words

    assert foreign_words("Maija Mäki9ecc5abe ja 3be5 Oy", "fi") == []
    assert foreign_words("Hae be tästä", "fi") != []  # the word alone still counts
