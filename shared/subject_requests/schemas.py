from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator

from shared.models import Language, ObjectionScope, RequestChannel, RequestKind, RequestStatus
from shared.common.schemas import DbId, Email, StrictInput, text_field

FREE_TEXT = text_field(0, 5000)
RECTIFIABLE = frozenset({"first_name", "last_name", "position", "email", "phone", "language"})


class _RequestBase(StrictInput):
    kind: RequestKind
    objection_scope: ObjectionScope | None = None
    name: text_field(0, 200) | None = None  # type: ignore[valid-type]
    free_text: FREE_TEXT | None = None  # type: ignore[valid-type]
    proposed_changes: dict[str, str] | None = Field(default=None, description="field -> corrected value")
    language: Language = Language.fi

    @model_validator(mode="after")
    def _kind_rules(self):
        if self.kind == RequestKind.objection and self.objection_scope is None:
            raise ValueError("an objection needs objection_scope: direct_marketing, research or both")
        if self.kind != RequestKind.objection and self.objection_scope is not None:
            raise ValueError("objection_scope belongs to objections only")
        if self.proposed_changes:
            unknown = set(self.proposed_changes) - RECTIFIABLE
            if unknown:
                raise ValueError(f"these fields cannot be rectified here: {', '.join(sorted(unknown))}")
            if any(len(v) > 320 for v in self.proposed_changes.values()):
                raise ValueError("a proposed value is too long")
        return self


class PublicRequestCreate(_RequestBase):
    email: Email

    @model_validator(mode="after")
    def _says_what_to_correct(self):
        if self.kind == RequestKind.rectification and not self.proposed_changes and not self.free_text:
            raise ValueError("a rectification needs proposed_changes or free_text saying what to correct")
        return self


class StaffRequestCreate(_RequestBase):
    email: Email | None = None
    channel: RequestChannel
    received_on: date | None = None
    verification_method: text_field(3, 200)  # type: ignore[valid-type]
    note: FREE_TEXT | None = None  # type: ignore[valid-type]
    contact_id: DbId | None = None


class PublicReceipt(BaseModel):
    status: str = "received"
    message: str = ("If the address is valid, a message with a confirmation link is on its way. "
                    "The request proceeds once the link is followed.")


class Decision(StrictInput):
    reason: text_field(3, 2000)  # type: ignore[valid-type]


class Extension(Decision):
    months: int = Field(ge=1, le=2)


class RectificationApproval(StrictInput):
    changes: dict[str, str] = Field(description="the approved subset of proposed changes (possibly edited)")
    note: FREE_TEXT | None = Field(  # type: ignore[valid-type]
        default=None, description="why the rest of the proposal is not made (required when only part is approved; "
                                  "the subject is told)")

    @model_validator(mode="after")
    def _valid_contact_values(self):
        """The corrections obey the same rules as any edit of a contact (normalized email, E.164)."""
        from shared.contacts.schemas import ContactUpdate

        unknown = set(self.changes) - RECTIFIABLE
        if unknown:
            raise ValueError(f"these fields cannot be rectified here: {', '.join(sorted(unknown))}")
        self.changes = ContactUpdate.model_validate(self.changes).model_dump(exclude_unset=True, mode="json")
        return self


class ManualVerification(StrictInput):
    method: text_field(3, 200)  # type: ignore[valid-type]


class RepeatDecision(Decision):
    decision: str = Field(pattern="^(free|fee|manifestly_unfounded)$")


class SubjectRequestPublic(BaseModel):
    id: uuid.UUID
    kind: RequestKind
    objection_scope: ObjectionScope | None
    status: RequestStatus
    channel: RequestChannel
    language: Language
    email: str | None
    name: str | None
    free_text: str | None
    proposed_changes: dict[str, Any] | None
    approved_changes: dict[str, Any] | None
    contact_id: int | None
    verification_method: str | None
    received_at: datetime
    due_at: datetime
    extended_due_at: datetime | None
    extension_reason: str | None
    verified_at: datetime | None
    completed_at: datetime | None
    outcome: str | None
    repeat_count: int
    repeats_since_change: int
    repeat_decision: str | None
    job_id: uuid.UUID | None
    version: int
