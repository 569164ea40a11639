"""API shapes of dedup runs, the review queue and merges."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.models import JobStatus
from shared.models.dedup import CandidateStatus, DedupEntity
from shared.common.schemas import DbId

DismissReason = Literal["different_records", "not_sure", "other"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunCreate(_Input):
    entity: DedupEntity = DedupEntity.contacts
    auto_merge: bool = Field(default=False, description="merge groups above the automatic threshold "
                             "(REKISTERI_DEDUP_AUTO_MERGE_THRESHOLD; refused while it is unset)")


class RunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    entity: DedupEntity
    mode: str
    auto_merge: bool
    job_id: uuid.UUID | None
    status: JobStatus | None = None
    progress: int = 0
    error: str | None = None
    stats: dict[str, Any] | None
    created_at: datetime
    finished_at: datetime | None


class FieldWeight(BaseModel):
    field: str
    level: str
    weight: float


class LikelyDuplicate(BaseModel):
    """A likely duplicate of a record just created: its id, the probability and what agreed (never
    the values). A warning: the record was created all the same."""

    id: int
    score: float
    reasons: list[FieldWeight]


class LinkExplanation(BaseModel):
    a: int
    b: int
    probability: float
    match_weight: float
    prior: float
    cannot_link: bool = False
    fields: list[FieldWeight]


class MemberPublic(BaseModel):
    id: int
    centre: bool
    probability: float
    restricted: bool = False
    objects_direct_marketing: bool = False
    objects_research: bool = False
    record: dict[str, Any]  # what a reviewer compares: names, email, phone, company … (read is logged)


class CandidatePublic(BaseModel):
    id: int
    entity: DedupEntity
    status: CandidateStatus
    score: float
    centre_id: int
    members: list[MemberPublic]
    explanation: list[LinkExplanation]
    run_id: int | None
    decision_reason: str | None
    decided_at: datetime | None
    merge_id: int | None
    created_at: datetime
    updated_at: datetime


class CandidatePage(BaseModel):
    items: list[CandidatePublic]
    next_cursor: str | None


class DismissCreate(_Input):
    reason: DismissReason = "different_records"


class MergeCreate(_Input):
    """Members and survivor, or a candidate group (its centre survives unless another is named)."""

    entity: DedupEntity = DedupEntity.contacts
    candidate_id: DbId | None = None
    survivor_id: DbId | None = None
    member_ids: list[DbId] = Field(default_factory=list, max_length=50)
    choices: dict[str, DbId] = Field(default_factory=dict, description="field -> id of the record whose value is kept")
    include_restricted: bool = Field(default=False, description="privacy role only: merge records under restriction "
                                     "(the restriction then holds for the merged record)")

    @model_validator(mode="after")
    def _members_or_group(self) -> MergeCreate:
        if self.candidate_id is None and (self.survivor_id is None or not self.member_ids):
            raise ValueError("give candidate_id, or survivor_id and member_ids")
        return self


class MergePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    entity: DedupEntity
    survivor_id: int | None
    merged_ids: list[int]
    candidate_id: int | None
    choices: dict[str, Any]
    automatic: bool
    actor: str
    at: datetime
    undone_at: datetime | None
    undone_by: str | None

    @classmethod
    def of(cls, merge) -> MergePublic:
        return cls.model_validate({**merge.model_dump(exclude={"snapshot"}),
                                   "survivor_id": merge.survivor_contact_id or merge.survivor_company_id})
