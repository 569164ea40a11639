"""The retention policy: `policy.toml` beside this module (the defaults the privacy notice
promises), overridable by settings, validated when loaded. Texts for the notice come from here
too, so what the notice says and what the sweep does cannot drift apart."""

from __future__ import annotations

import calendar
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from shared.settings import get_settings

DEFAULT_FILE = Path(__file__).with_name("policy.toml")
# rule -> the actions it may take (a person is erased, never half-anonymized)
RULES: dict[str, frozenset[str]] = {
    "prospects": frozenset({"erase"}),
    "former_customers": frozenset({"erase"}),
    "web_events": frozenset({"anonymize", "erase"}),
    "feedback": frozenset({"anonymize", "erase"}),
    "access_exports": frozenset({"erase"}),
    "verification_tokens": frozenset({"erase"}),
    "access_log": frozenset({"erase"}),
    "finished_requests": frozenset({"anonymize"}),
    "import_files": frozenset({"erase"}),
}
_PERIOD = re.compile(r"\s*(\d{1,4})\s*(hour|day|month|year)s?\s*")
UNITS = {  # unit -> language -> (one, many)
    "hour": {"fi": ("tunti", "tuntia"), "sv": ("timme", "timmar"), "en": ("hour", "hours")},
    "day": {"fi": ("päivä", "päivää"), "sv": ("dag", "dagar"), "en": ("day", "days")},
    "month": {"fi": ("kuukausi", "kuukautta"), "sv": ("månad", "månader"), "en": ("month", "months")},
    "year": {"fi": ("vuosi", "vuotta"), "sv": ("år", "år"), "en": ("year", "years")},
}


class PolicyError(ValueError):
    """The policy file or an override is not valid; the message names the rule."""


def _minus_months(moment: datetime, months: int) -> datetime:
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # hour, day, month, year

    @classmethod
    def parse(cls, value: str) -> Period:
        match = _PERIOD.fullmatch(str(value).lower())
        if match is None or int(match.group(1)) < 1:
            raise PolicyError(f"a period is 'N hours|days|months|years', not {value!r}")
        return cls(int(match.group(1)), match.group(2))

    def before(self, now: datetime) -> datetime:
        """The moment this period before `now`: records older than it are due."""
        if self.unit in ("month", "year"):
            return _minus_months(now, self.amount * (12 if self.unit == "year" else 1))
        return now - timedelta(**{f"{self.unit}s": self.amount})

    def text(self, language: str) -> str:
        one, many = UNITS[self.unit][language]
        return f"{self.amount} {one if self.amount == 1 else many}"

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    period: Period
    action: str

    def public(self) -> dict[str, str]:
        return {"rule": self.name, "description": self.description, "period": str(self.period), "action": self.action}


def _rule(name: str, values: dict[str, Any]) -> Rule:
    if name not in RULES:
        raise PolicyError(f"unknown retention rule {name!r} (known: {', '.join(RULES)})")
    try:
        period = Period.parse(values["period"])
        action = str(values["action"])
    except KeyError as exc:
        raise PolicyError(f"retention rule {name!r} needs {exc.args[0]!r}") from None
    except PolicyError as exc:
        raise PolicyError(f"retention rule {name!r}: {exc}") from None
    if action not in RULES[name]:
        raise PolicyError(f"retention rule {name!r} can only {' or '.join(sorted(RULES[name]))}, not {action!r}")
    return Rule(name=name, description=str(values.get("description", name)), period=period, action=action)


def load_policy(*, path: Path | None = None, overrides: dict[str, Any] | str | None = None) -> dict[str, Rule]:
    """Every rule, from the file and then the overrides ({rule: "N months"} or {rule: {period, action}})."""
    with (path or DEFAULT_FILE).open("rb") as file:
        raw: dict[str, Any] = tomllib.load(file)
    if isinstance(overrides, str):
        overrides = json.loads(overrides) if overrides.strip() else {}
    for name, change in (overrides or {}).items():
        if name not in raw:
            raise PolicyError(f"unknown retention rule {name!r} in the overrides")
        raw[name] = {**raw[name], **({"period": change} if isinstance(change, str) else change)}
    missing = sorted(set(RULES) - set(raw))
    if missing:
        raise PolicyError(f"the retention policy has no rule for: {', '.join(missing)}")
    return {name: _rule(name, values) for name, values in raw.items()}


def current_policy() -> dict[str, Rule]:
    """The policy this process runs with (REKISTERI_RETENTION_POLICY_FILE, REKISTERI_RETENTION_OVERRIDES)."""
    settings = get_settings()
    return load_policy(path=settings.retention_policy_file, overrides=settings.retention_overrides)
