"""What a transfer would do, before it is made: whether the partner's agreement allows it, how
many people it would send and how many each rule keeps out.

It applies the transfer's own rules, not a copy: `refusal_cause` (shared/partners/service.py) and
`files.select_people`, run inside a savepoint that is rolled back, so the counts are the ones
the transfer itself would get now and nothing is written (no transfer, no file, no disclosure).
With `named`, it also names up to that many people per rule (the caller logs the read).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from shared.common.errors import InvalidReference
from shared.models.partners import Partner
from shared.partners.schemas import TRANSFERABLE_FIELDS, TransferCreate
from shared.partners.service import REFUSALS, refusal_cause
from shared.transfers import files


def chosen_fields(partner: Partner, requested: list[str] | None) -> list[str]:
    """The fields a transfer carries: those asked for, else all the partner may receive, in file order."""
    wanted = set(requested or partner.fields)
    return [f for f in TRANSFERABLE_FIELDS if f in wanted]


@dataclass(frozen=True)
class TransferPreview:
    partner: Partner
    fields: list[str]
    refusal: tuple[str, dict] | None  # why it would be refused: a code of REFUSALS and its values (None: it runs)
    rows: int  # the people it would send
    excluded: dict[str, int]  # rule -> how many it keeps out (the first rule that applies counts)
    who: dict[str, list[tuple[int, str, str]]]  # rule -> (id, first name, last name) of some it keeps out

    @property
    def refusal_text(self) -> str | None:
        """The refusal as the transfer's record would keep it."""
        return None if self.refusal is None else REFUSALS[self.refusal[0]].format(**self.refusal[1])

    @property
    def candidates(self) -> int:
        return self.rows + sum(self.excluded.values())


def preview_transfer(session: Session, *, data: TransferCreate, today: date, named: int = 0) -> TransferPreview:
    """The transfer `data` describes, counted now and not made (see the module docstring)."""
    partner = session.get(Partner, data.partner_id)
    if partner is None:
        raise InvalidReference("partner_id", "no partner has this id")
    fields = chosen_fields(partner, data.fields)
    reason = refusal_cause(partner, purpose=data.purpose, fields=fields, today=today)
    tag = uuid.uuid4().hex
    savepoint = session.begin_nested()
    try:
        keys = files.load_keys(session, name=f"preview_keys_{tag}")
        selection = data.selection.model_dump(mode="json")
        selected = files.select_people(session, name=f"preview_people_{tag}", purpose=data.purpose,
                                       selection=selection, keys=keys)
        who = files.excluded_people(session, purpose=data.purpose, selection=selection, keys=keys,
                                    limit=named) if named else {}
    finally:
        savepoint.rollback()  # the temporary tables go with it
    return TransferPreview(partner=partner, fields=fields, refusal=reason, rows=selected.rows,
                           excluded=selected.excluded, who=who)
