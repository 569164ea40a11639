"""What the register tells people about retention, in fi/sv/en, made from the retention policy
(policy.toml and its overrides): the privacy notice's section 7 (`notice_lines`) and the
"retention" of each category in an access answer (`answer_text`). One source: change a period or
an action in the policy and the sweep, the notice and every new access answer change together."""

from __future__ import annotations

from shared.i18n import t
from shared.retention.policy import Rule, current_policy

# The notice states these rules (in the policy's order); the texts are `retention.notice.<rule>`.
NOTICE = ("prospects", "former_customers", "web_events", "feedback", "access_log", "finished_requests",
          "access_exports")
# An access answer's retention keys (shared/subject_requests/notice.py CATEGORIES) -> the rule they
# state (None: no period); the texts are `retention.answer.<key>` in shared/i18n/retention.py.
ANSWER: dict[str, str | None] = {
    "prospect": "prospects", "customer": "former_customers", "former_customer": "former_customers",
    "web_events": "web_events", "feedback": "feedback", "access_log": "access_log", "requests": "finished_requests",
    "import_file": "import_files", "with_record": None, "suppression": None,
}


def _fill(key: str, rule: Rule, language: str) -> str:
    return t(key, language, period=rule.period.text(language), action=t(f"retention.action.{rule.action}", language))


def notice_rules(policy: dict[str, Rule]) -> list[Rule]:
    """The rules the privacy notice states, in the policy's order."""
    return [rule for name, rule in policy.items() if name in NOTICE]


def notice_lines(policy: dict[str, Rule], language: str) -> list[str]:
    """Section 7 of the privacy notice: one sentence per rule it states."""
    return [_fill(f"retention.notice.{rule.name}", rule, language) for rule in notice_rules(policy)]


def answer_text(key: str, *, language: str, policy: dict[str, Rule] | None = None) -> str:
    """The retention of one category of a person's data, for their access answer."""
    rule_name = ANSWER[key]
    if rule_name is None:
        return t(f"retention.answer.{key}", language)
    return _fill(f"retention.answer.{key}", (policy or current_policy())[rule_name], language)
