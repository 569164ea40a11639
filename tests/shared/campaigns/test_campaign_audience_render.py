"""The audience build renders a message once per shape and fills in each recipient
(shared/campaigns/messages.py Renderer): every message must be exactly what render() makes."""

from __future__ import annotations

from datetime import date

import pytest

from shared.campaigns.messages import Renderer
from shared.campaigns.render import Person, needs_source_notice, render
from shared.models import EmailCategory
from shared.models.campaigns import Campaign, CampaignStatus

TEMPLATE = {"subject": "Hei {first_name}  {last_name}: {company} ({full_name}) {unknown}",
            "body_text": "Hei {full_name},\n{company} kiittää.\n{first_name}/{last_name}",
            "body_html": "<p>Hei <b>{full_name}</b>, {company} &amp; {first_name} {last_name}</p>"}
NAMES = [("Matti", "Virtanen", "Yritys Oy"), ("Anna-Liisa", "Mäki-Petäys", None), ("Seán", "O'Brien", ""),
         ("<script>", "a&b", "\"Quote\" & <Co>"), ("Matti  Ville", "von   Essen", "A  B"), ("{last_name}", "{first_name}", "{company}"),
         (" Space", "Left", "Co"), ("", "Empty", "Co"), ("Tab\t", "Name", "Co"), ("Åsa", "Öhman", "Åbo\x01Oy"),
         ("5.4611686018427387904", "x", "y")]


@pytest.mark.parametrize("category", [EmailCategory.marketing, EmailCategory.sister_marketing, EmailCategory.research])
def test_each_message_is_what_render_makes(category):
    campaign = Campaign(id=7, name="K", category=category, status=CampaignStatus.sending, list_ids=[1, 2],
                        sender_name="Jetmasters Oy", sender_email="m@jetmasters.example", reply_to="r@jetmasters.example",
                        sender_postal_address="Pakkastie 5, 87100 Kajaani", relevant_to_role=True,
                        relevance_justification="x",
                        templates={"fi": TEMPLATE, "sv": {**TEMPLATE, "body_html": None}})
    renderer, checked = Renderer(campaign), 0
    for i, (first, last, company) in enumerate(NAMES * 2):
        for language, source, provider, received in [("fi", "data_subject", None, None),
                                                     ("sv", "directory_service", "Fonecta", date(2026, 1, 2)),
                                                     ("en", "public_register", None, date(2025, 5, 1))]:
            for list_id, informed in [(1, True), (2, False), (None, False)]:
                person = Person(contact_id=100 + i, email=f"p{i}@example.fi", first_name=first, last_name=last,
                                company=company, language=language, source=source, source_provider=provider,
                                source_received=received)
                notice = needs_source_notice(person) and not informed
                assert renderer(person, list_id=list_id, source_notice=notice) == \
                    render(campaign, person, list_id=list_id, source_notice=notice), (person, list_id, notice)
                checked += 1
    assert checked == len(NAMES) * 2 * 9 and len(renderer.shapes) <= 9
