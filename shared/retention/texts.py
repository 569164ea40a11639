"""What the register tells people about retention, in fi/sv/en, made from the retention policy
(policy.toml and its overrides): the privacy notice's section 7 (`notice_lines`) and the
"retention" of each category in an access answer (`answer_text`). One source: change a period or
an action in the policy and the sweep, the notice and every new access answer change together."""

from __future__ import annotations

from shared.retention.policy import Rule, current_policy

ACTIONS = {"erase": {"fi": "poistetaan", "sv": "raderas", "en": "erased"},
           "anonymize": {"fi": "anonymisoidaan", "sv": "anonymiseras", "en": "anonymised"}}

NOTICE = {  # rule -> language -> a sentence of the notice, with {period} and {action}
    "prospects": {
        "fi": "Mahdollisten asiakkaiden yhteyshenkilöt: {period} viimeisestä yhteydenpidosta, sitten tiedot {action}.",
        "sv": "Kontaktpersoner hos potentiella kunder: {period} efter den senaste kontakten, sedan {action} "
              "uppgifterna.",
        "en": "Contact persons of prospective clients: {period} after the last interaction, then the data is "
              "{action}."},
    "former_customers": {
        "fi": "Asiakkaiden yhteyshenkilöt: asiakassuhteen ajan ja {period} sen päättymisestä, sitten tiedot {action}.",
        "sv": "Kontaktpersoner hos kunder: under kundförhållandet och {period} efter att det upphört, sedan {action} "
              "uppgifterna.",
        "en": "Contact persons of clients: for the client relationship and {period} after it ends, then the data is "
              "{action}."},
    "web_events": {"fi": "Tunnistettavat verkkokäyttäytymistiedot: {period}, sitten ne {action}.",
                   "sv": "Identifierbara uppgifter om beteende på webbplatserna: {period}, sedan {action} de.",
                   "en": "Identifiable behaviour on the websites: {period}, then it is {action}."},
    "feedback": {"fi": "Asiakaspalaute: {period}, sitten se {action}.",
                 "sv": "Kundrespons: {period}, sedan {action} den.",
                 "en": "Customer feedback: {period}, then it is {action}."},
    "access_log": {"fi": "Loki siitä, kuka tietoja katseli: {period}.",
                   "sv": "Logg över vem som visade uppgifterna: {period}.",
                   "en": "The log of who read the data: {period}."},
    "finished_requests": {
        "fi": "Rekisteröityjen pyyntöjen käsittelytiedot: pyytäjän tiedot {period} pyynnön valmistumisesta.",
        "sv": "Uppgifter om behandlingen av registrerades begäranden: den som begärde, {period} efter att begäran "
              "slutförts.",
        "en": "Records of data subjects' requests: who asked, {period} after the request was finished."},
    "access_exports": {"fi": "Tarkastuspyynnön vastaus ladattavana: {period}.",
                       "sv": "Svaret på en begäran om tillgång kan laddas ned i {period}.",
                       "en": "The answer to an access request can be downloaded for {period}."},
}

# An access answer's retention keys (shared/subject_requests/notice.py CATEGORIES): (rule, text).
ANSWER: dict[str, tuple[str | None, dict[str, str]]] = {
    "prospect": ("prospects", {"fi": "{period} viimeisestä yhteydenpidosta",
                               "sv": "{period} efter den senaste kontakten",
                               "en": "{period} after the last interaction"}),
    "customer": ("former_customers", {"fi": "Asiakassuhteen ajan ja {period} sen päättymisestä",
                                      "sv": "Under kundförhållandet och {period} efter att det upphört",
                                      "en": "For the customer relationship and {period} after it ends"}),
    "former_customer": ("former_customers", {"fi": "{period} asiakassuhteen päättymisestä",
                                             "sv": "{period} efter att kundförhållandet upphörde",
                                             "en": "{period} after the customer relationship ended"}),
    "web_events": ("web_events", {"fi": "{period}", "sv": "{period}", "en": "{period}"}),
    "feedback": ("feedback", {"fi": "{period}", "sv": "{period}", "en": "{period}"}),
    "access_log": ("access_log", {"fi": "{period}", "sv": "{period}", "en": "{period}"}),
    "requests": ("finished_requests", {
        "fi": "Pyyntö ja sen käsittely niin kauan kuin on tarpeen sen osoittamiseksi, miten pyyntö käsiteltiin; "
              "pyytäjän tiedot {period} pyynnön valmistumisesta, sitten ne {action}",
        "sv": "Begäran och dess behandling så länge det behövs för att visa hur den behandlades; uppgifterna om den "
              "som begärde {period} efter att begäran slutförts, sedan {action} de",
        "en": "The request and its handling as long as needed to show how it was handled; who asked: {period} after "
              "the request was finished, then {action}"}),
    "import_file": ("import_files", {
        "fi": "Kunnes tuonti on käsitelty; epäonnistuneen tuonnin tiedosto {action}, kun {period} on kulunut",
        "sv": "Tills inläsningen har behandlats; filen från en misslyckad inläsning {action} efter {period}",
        "en": "Until the import is processed; a failed import's file is {action} after {period}"}),
    "with_record": (None, {"fi": "Niin kauan kuin tiedot, joita ne koskevat", "sv": "Så länge som uppgifterna de gäller",
                           "en": "As long as the record they concern"}),
    "suppression": (None, {"fi": "Pysyvästi, jotta markkinointikieltoa noudatetaan (vain suojattu tunniste)",
                           "sv": "Permanent, så att förbudet mot marknadsföring respekteras (endast en skyddad kod)",
                           "en": "Permanently, so that the objection to marketing is honoured (a protected code "
                                 "only)"}),
}


def _fill(template: str, rule: Rule, language: str) -> str:
    return template.format(period=rule.period.text(language), action=ACTIONS[rule.action][language])


def notice_rules(policy: dict[str, Rule]) -> list[Rule]:
    """The rules the privacy notice states, in the policy's order."""
    return [rule for name, rule in policy.items() if name in NOTICE]


def notice_lines(policy: dict[str, Rule], language: str) -> list[str]:
    """Section 7 of the privacy notice: one sentence per rule it states."""
    return [_fill(NOTICE[rule.name][language], rule, language) for rule in notice_rules(policy)]


def answer_text(key: str, *, language: str, policy: dict[str, Rule] | None = None) -> str:
    """The retention of one category of a person's data, for their access answer."""
    rule_name, texts = ANSWER[key]
    if rule_name is None:
        return texts[language]
    return _fill(texts[language], (policy or current_policy())[rule_name], language)
